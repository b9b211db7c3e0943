import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkSchemasText } from '../../src/schemas/check.js'
import { RULES } from '../../src/schemas/rules.js'

const DIR = path.resolve(import.meta.dirname, '../fixtures/schemas')
const fixtures = readdirSync(DIR)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
  .sort()

interface Expected {
  rule: string
  severity: string
  line: number
  column: number
  pointer: string
}

describe('the schemas fixture corpus', () => {
  it('holds at least 40 files, each with its expected findings', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40)
    for (const name of fixtures) expect(readdirSync(DIR)).toContain(name.replace(/\.json$/, '.expected.json'))
  })

  it.each(fixtures)('%s', (name) => {
    const text = readFileSync(path.join(DIR, name), 'utf8')
    const expected = JSON.parse(readFileSync(path.join(DIR, name.replace(/\.json$/, '.expected.json')), 'utf8')) as Expected[]
    const { findings, schemas } = checkSchemasText(text, name)
    expect(findings.map(({ rule, severity, line, column, pointer }) => ({ rule, severity, line, column, pointer }))).toEqual(expected)
    expect(schemas !== undefined).toBe(expected.every((f) => f.severity !== 'error'))
    for (const f of findings) expect(f.file).toBe(name)
  })

  it('covers every rule, and good files stay clean', () => {
    const seen = new Set<string>()
    for (const name of fixtures) {
      const expected = JSON.parse(readFileSync(path.join(DIR, name.replace(/\.json$/, '.expected.json')), 'utf8')) as Expected[]
      for (const f of expected) seen.add(f.rule)
      if (name.startsWith('good-')) expect(expected).toEqual([])
      else expect(expected.length).toBeGreaterThan(0)
    }
    // schema-drift compares the file with an image's Cog schema: test/integration/registry.itg.test.ts.
    expect([...seen].sort()).toEqual(
      Object.keys(RULES)
        .filter((rule) => rule !== 'schema-drift')
        .sort(),
    )
  })
})
