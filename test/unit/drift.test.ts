import { describe, expect, it } from 'vitest'
import { driftFindings } from '../../src/cog/drift.js'
import { parseJson } from '../../src/schemas/document.js'
import type { Schemas } from '../../src/wriftai/types.js'

const image = {
  prediction: {
    input: { type: 'object', properties: { mode: { type: 'string', enum: ['fast', 'slow'], description: 'How' }, steps: { type: 'integer', maximum: 50 } } },
    output: { type: 'string', enum: ['ok', 'failed'] },
  },
} as unknown as Schemas

async function drift(edit: (s: any) => void): Promise<string[]> {
  const file = structuredClone(image) as any
  edit(file)
  const text = JSON.stringify(file, null, 2)
  const { document } = parseJson(text, 'schemas.json')
  return (await driftFindings(file, document!, image, { file: 'schemas.json' }, 'error')).map((f) => `${f.line}:${f.column} ${f.message}`)
}

describe('drift between the schemas file and the image', () => {
  it('is nothing when only annotations differ', async () => {
    expect(
      await drift((s) => {
        s.prediction.input.properties.mode.description = 'Speed'
        s.prediction.input.properties.mode.title = 'Mode'
        s.prediction.input.properties.steps['x-order'] = 1
        s.prediction.input.properties.steps.examples = [10]
      }),
    ).toEqual([])
  })

  it('finds an input the file narrows and one it widens, each on the file line with both values', async () => {
    const found = await drift((s) => {
      s.prediction.input.properties.mode.enum = ['fast']
      s.prediction.input.properties.steps.maximum = 100
    })
    expect(found).toEqual([
      '8:11 input "mode" no longer accepts "slow" (the image → schemas.json); "enum" is ["fast"] in schemas.json and ["fast","slow"] in the image; e.g. {"mode":"slow"} is accepted by the image and rejected by schemas.json',
      '15:11 input "steps": "maximum" 100 → 50 (schemas.json → the image); "maximum" is 100 in schemas.json and 50 in the image; e.g. {"steps":100} is accepted by schemas.json and rejected by the image',
    ])
  })

  it('finds an output the file allows and the image does not produce, in either direction', async () => {
    const wider = await drift((s) => void s.prediction.output.enum.push('partial'))
    expect(wider).toHaveLength(1)
    expect(wider[0]).toContain('is allowed by schemas.json but not by the image')
    const narrower = await drift((s) => void (s.prediction.output.enum = ['ok']))
    expect(narrower).toHaveLength(1)
    expect(narrower[0]).toContain('is allowed by the image but not by schemas.json')
  })
})
