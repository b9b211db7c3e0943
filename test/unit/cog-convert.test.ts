import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { convertCogDocument } from '../../src/cog/convert.js'
import { addFormatChecks } from '../../src/schemas/formats.js'
import { checkSchemasText } from '../../src/schemas/check.js'

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv
const DIR = path.join(import.meta.dirname, '../fixtures/cog')
const FIXTURES = ['pydantic-v1', 'pydantic-v2', 'go-generator'] as const
const load = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(DIR, `${name}.openapi.json`), 'utf8'))

/** The document as an OpenAPI 3.0 validator reads it: ajv with OpenAPI's `nullable`, the components as one schema. */
function openApiValidator(document: Record<string, any>, root: string): ValidateFunction {
  const ajv = addFormats(new Ajv({ strict: false, logger: false }))
  ajv.addSchema({ components: document.components }, 'cog')
  // OpenAPI 3.0's boolean exclusive bounds are draft 4's: rewrite them for ajv's draft-07 reading.
  const text = JSON.stringify(document.components)
    .replace(/"exclusiveMaximum":true/g, '"x-exclusive-maximum":true')
    .replace(/"exclusiveMinimum":true/g, '"x-exclusive-minimum":true')
  const components = JSON.parse(text, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      // ajv refuses "nullable" without "type"; Cog's generator means: this, or null.
      if (value.nullable === true && !('type' in value)) {
        const { nullable, title, description, default: fallback, ...rest } = value
        return {
          anyOf: [{ type: 'null' }, rest],
          ...(title !== undefined && { title }),
          ...(description !== undefined && { description }),
          ...(fallback !== undefined && { default: fallback }),
        }
      }
      if (value['x-exclusive-maximum']) {
        value.exclusiveMaximum = value.maximum
        delete value.maximum
        delete value['x-exclusive-maximum']
      }
      if (value['x-exclusive-minimum']) {
        value.exclusiveMinimum = value.minimum
        delete value.minimum
        delete value['x-exclusive-minimum']
      }
    }
    return value
  })
  ajv.removeSchema('cog')
  ajv.addSchema({ components }, 'cog')
  return ajv.compile({ $ref: `cog#/components/schemas/${root}` })
}

function convertedValidator(schema: unknown): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, logger: false })
  addFormatChecks(ajv)
  return ajv.compile(schema as object)
}

/** Values for one property: its default, examples and enum members, and values around and outside them. */
function probes(property: Record<string, any>, components: Record<string, any>): unknown[] {
  const values: unknown[] = [null, 'not a uri', 'https://example.com/a.png', -1, 0, 0.5, 1, 3, 4, 5, 8, 9, 10, 11, 100000, true, [], {}, 'chat', 'srt', 'K_EULER', 'nope']
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const n = node as Record<string, any>
    if ('default' in n) values.push(n.default)
    if (Array.isArray(n.examples)) values.push(...n.examples)
    if ('example' in n) values.push(n.example)
    if (Array.isArray(n.enum)) values.push(...n.enum)
    for (const bound of ['minimum', 'maximum']) if (typeof n[bound] === 'number') values.push(n[bound] - 1, n[bound], n[bound] + 1)
    if (typeof n.$ref === 'string') visit(components[n.$ref.split('/').pop() as string])
    for (const child of Object.values(n)) if (child && typeof child === 'object') visit(child)
  }
  visit(property)
  return values
}

/** A value a (required) property takes. */
function valid(property: Record<string, any>): unknown {
  if ('default' in property) return property.default
  if (Array.isArray(property.examples)) return property.examples[0]
  if (property.format === 'uri') return 'https://example.com/a.png'
  return { string: 'a', integer: 1, number: 1, boolean: true, array: [], object: {} }[property.type as string]
}

describe('import-cog: a Cog OpenAPI document to a schemas file', () => {
  for (const name of FIXTURES) {
    it(`${name}: the result validates with no findings at all`, () => {
      const { text } = convertCogDocument(load(name), name)
      expect(checkSchemasText(text, 'schemas.json').findings).toEqual([])
    })

    it(`${name}: accepts exactly the inputs and outputs the document accepts`, () => {
      const document = load(name)
      const { schemas } = convertCogDocument(document, name)
      const pairs: [string, unknown][] = [
        ['Input', schemas.prediction.input],
        ['Output', schemas.prediction.output],
      ]
      if (schemas.training) pairs.push(['TrainingInput', schemas.training.input], ['TrainingOutput', schemas.training.output])
      let compared = 0
      const differ: string[] = []
      for (const [root, converted] of pairs) {
        const before = openApiValidator(document, root)
        const after = convertedValidator(converted)
        const source = document.components.schemas[root]
        const properties = (source.properties ?? {}) as Record<string, Record<string, any>>
        // Required properties hold a value their schema takes, so that each probe is what decides.
        const required = Object.fromEntries(((source.required ?? []) as string[]).map((p) => [p, valid(properties[p]!)]))
        const wholes: unknown[] = probes(source, document.components.schemas)
        for (const [property, schema] of Object.entries(properties)) {
          for (const value of probes(schema, document.components.schemas)) wholes.push({ ...required, [property]: value })
        }
        for (const value of wholes) {
          compared++
          if (before(value) !== after(value)) differ.push(`${root} ${JSON.stringify(value)}: OpenAPI ${before(value)}, converted ${after(value)}`)
        }
      }
      expect(differ).toEqual([])
      expect(compared).toBeGreaterThan(100)
    })
  }

  it('copies only what a root reaches into its $defs, transitively, with references rewritten', () => {
    const v1 = convertCogDocument(load('pydantic-v1'), 'v1').schemas
    expect(Object.keys(v1.prediction.input.$defs as object)).toEqual(['width', 'scheduler'])
    expect((v1.prediction.input.properties as any).width).toEqual({ allOf: [{ $ref: '#/$defs/width' }], description: 'Width of output image', default: 1024, 'x-order': 2 })
    expect(v1.prediction.output).toEqual({ title: 'Output', type: 'array', items: { type: 'string', format: 'uri' } })
    const go = convertCogDocument(load('go-generator'), 'go').schemas
    expect(go.prediction.output.$ref).toBe('#/$defs/TranscriptionResult')
    expect(Object.keys(go.prediction.output.$defs as object)).toEqual(['TranscriptionResult', 'Segment'])
  })

  it("writes OpenAPI's own keywords in their 2020-12 form, and notes what it drops", () => {
    const { schemas, notes } = convertCogDocument(load('go-generator'), 'go')
    const p = schemas.prediction.input.properties as Record<string, Record<string, unknown>>
    expect(p.language).toEqual({ type: ['string', 'null'], title: 'Language', 'x-order': 1 })
    expect(p.temperature).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }], title: 'Temperature', 'x-order': 2 })
    expect(p.transcription).toEqual({ anyOf: [{ allOf: [{ $ref: '#/$defs/Transcription' }] }, { type: 'null' }], default: 'plain text', 'x-order': 3 })
    expect(p.beam_size).toEqual({ type: 'integer', minimum: 1, exclusiveMaximum: 10, title: 'Beam Size', default: 5, examples: [3], 'x-order': 4 })
    expect(p.patience).toEqual({ type: 'number', exclusiveMinimum: 0, title: 'Patience', default: 1, 'x-order': 5 })
    expect(notes).toEqual(['components.schemas.TranscriptionResult.discriminator was dropped: OpenAPI\'s "discriminator" has no JSON Schema 2020-12 form'])
    const nullableEnum = convertCogDocument(
      { components: { schemas: { Input: { type: 'object', properties: { m: { type: 'string', enum: ['a'], nullable: true } } }, Output: { type: 'string' } } } },
      'x',
    )
    // As in OpenAPI 3.0.3, null passes an enum only as one of its members.
    expect((nullableEnum.schemas.prediction.input.properties as any).m).toEqual({ type: ['string', 'null'], enum: ['a'] })
  })

  it('keeps the key order and writes 2-space JSON with a final newline, the same each time', () => {
    const first = convertCogDocument(load('pydantic-v2'), 'v2').text
    expect(first).toBe(convertCogDocument(load('pydantic-v2'), 'v2').text)
    expect(first.startsWith('{\n  "prediction": {\n    "input": {\n      "properties": {\n        "prompt": {')).toBe(true)
    expect(first.endsWith('}\n')).toBe(true)
    expect(Object.keys(JSON.parse(first))).toEqual(['prediction', 'training'])
  })

  it('keeps a root that refers to itself (a tree output) resolvable', () => {
    const tree = { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Output' } } } }
    const { schemas, text } = convertCogDocument({ components: { schemas: { Input: { type: 'object', properties: {} }, Output: tree } } }, 'x')
    expect((schemas.prediction.output as any).properties.children.items).toEqual({ $ref: '#/$defs/Output' })
    expect(Object.keys((schemas.prediction.output as any).$defs)).toEqual(['Output'])
    expect(checkSchemasText(text, 'schemas.json').findings).toEqual([])
  })

  it('refuses a document nested deeper than a schemas file may be, without overflowing the stack', () => {
    let deep: Record<string, unknown> = { type: 'string' }
    for (let i = 0; i < 100_000; i++) deep = { items: deep }
    expect(() => convertCogDocument({ components: { schemas: { Input: { type: 'object', properties: { x: deep } }, Output: {} } } }, 'label')).toThrow(
      /^label: components\.schemas\.Input\.properties\.x[.items]+… is nested deeper than 256 levels$/,
    )
  })

  it('refuses what is not a Cog document, in one line naming the source and what is missing', () => {
    expect(() => convertCogDocument({ openapi: '3.0.2' }, 'openapi.json')).toThrow('openapi.json is not a Cog OpenAPI document: it has no components.schemas')
    expect(() => convertCogDocument({ components: { schemas: { Input: {} } } }, 'openapi.json')).toThrow(
      'openapi.json has no components.schemas.Output, which Cog writes for every model',
    )
    expect(() => convertCogDocument({ components: { schemas: { Input: { $ref: '#/components/schemas/Gone' }, Output: {} } } }, 'openapi.json')).toThrow(
      'openapi.json: components.schemas.Input refers to components.schemas.Gone, which does not exist',
    )
    expect(() => convertCogDocument({ components: { schemas: { Input: { $ref: 'https://example.com/x.json' }, Output: {} } } }, 'openapi.json')).toThrow(
      'only references to #/components/schemas/… can be brought into the schemas file',
    )
  })
})
