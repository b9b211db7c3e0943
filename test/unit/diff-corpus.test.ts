import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLinearEngine } from '../../src/schemas/regexp.js'
import { checkSchemasText } from '../../src/schemas/check.js'
import { CHANGE_RULES, diffSchemas } from '../../src/schemas/diff/index.js'
import type { Schemas } from '../../src/wriftai/types.js'

// Patterns that repeat run on RE2, which the action loads before it compares.
beforeAll(loadLinearEngine)

// The pairs in test/fixtures/diff/ were written for this project from what the peer diff tools
// test (oasdiff's checker rules, json-schema-diff's and Optic's cases) and from real Cog, pydantic
// and Hugging Face shapes. Each folder holds live.json, new.json and expected.json.
const DIR = path.resolve(import.meta.dirname, '../fixtures/diff')
const pairs = readdirSync(DIR).sort()

interface Expected {
  breaking: boolean
  rule?: string
  side: 'input' | 'output'
  section: 'prediction' | 'training'
  counterexample?: unknown
  basis?: 'convention'
}

const read = (name: string, file: string): unknown => JSON.parse(readFileSync(path.join(DIR, name, file), 'utf8'))

// An oracle of its own, apart from the product's: plain ajv on each whole schema, nullable dropped
// as 2020-12 ignores it.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020
function accepts(schema: unknown, value: unknown): boolean {
  const ajv = addFormats(new Ajv2020({ strict: false, logger: false }))
  const withoutNullable = JSON.parse(JSON.stringify(schema), (key, v: unknown) => (key === 'nullable' && typeof v === 'boolean' ? undefined : v)) as object
  return ajv.validate(withoutNullable, value) as boolean
}

/** Whether `value` shows a break: the live input accepts it and the new one rejects it, or the new output allows what the live one did not. */
function shows(expected: Pick<Expected, 'side' | 'section'>, live: Schemas, next: Schemas, value: unknown): boolean {
  const l = live[expected.section]![expected.side]
  const n = next[expected.section]![expected.side]
  return expected.side === 'input' ? accepts(l, value) && !accepts(n, value) : accepts(n, value) && !accepts(l, value)
}

const tally = { tp: 0, fp: 0, fn: 0, tn: 0, ruleAgree: 0, ruleTotal: 0, counterexamples: 0 }
const reported = new Set<string>()
const misses: string[] = []

describe('the breaking-change corpus', () => {
  it('holds at least 150 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(150)
  })

  it.each(pairs)('%s', (name) => {
    const live = read(name, 'live.json') as Schemas
    const next = read(name, 'new.json') as Schemas
    const expected = read(name, 'expected.json') as Expected
    // Both files are valid schemas files: the comparison never sees an invalid one.
    for (const file of ['live.json', 'new.json']) {
      const { findings } = checkSchemasText(readFileSync(path.join(DIR, name, file), 'utf8'), file)
      expect(findings.filter((f) => f.severity === 'error')).toEqual([])
    }
    // The expected counterexample is real.
    if ('counterexample' in expected) expect(shows(expected, live, next, expected.counterexample)).toBe(true)
    else if (expected.breaking) expect(expected.basis).toBe('convention')

    const changes = diffSchemas(live, next)
    for (const change of changes) reported.add(change.rule)
    const breaking = changes.filter((c) => c.breaking)
    // Every counterexample the product shows is real, by the oracle's reading too.
    for (const change of breaking) {
      expect(change.basis).toMatch(/^(counterexample|convention)$/)
      if (change.basis === 'counterexample') {
        tally.counterexamples++
        expect(shows(change, live, next, change.counterexample), `${change.rule}: ${JSON.stringify(change.counterexample)}`).toBe(true)
      } else expect(change.counterexample).toBeUndefined()
    }
    const found = breaking.length > 0
    if (found && expected.breaking) tally.tp++
    else if (found) {
      tally.fp++
      misses.push(`false alarm: ${name} (${breaking.map((c) => c.rule).join(', ')})`)
    } else if (expected.breaking) {
      tally.fn++
      misses.push(`missed: ${name} (${expected.rule})`)
    } else tally.tn++
    if (expected.breaking && expected.rule) {
      tally.ruleTotal++
      if (breaking.some((c) => c.rule === expected.rule)) tally.ruleAgree++
      else if (found) misses.push(`other rule: ${name} (expected ${expected.rule}, got ${breaking.map((c) => c.rule).join(', ')})`)
    }
  })

  afterAll(() => {
    const recall = tally.tp / (tally.tp + tally.fn)
    const precision = tally.tp / (tally.tp + tally.fp)
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`
    console.log(
      `breaking-change corpus: ${pairs.length} pairs (${tally.tp + tally.fn} breaking); recall ${pct(recall)}, precision ${pct(precision)}, ` +
        `rule agreement ${pct(tally.ruleAgree / tally.ruleTotal)}; ${tally.counterexamples} counterexamples checked; missed ${tally.fn}, false alarms ${tally.fp}`,
    )
    for (const line of misses) console.log(`  ${line}`)
  })

  it('meets every rule somewhere in the corpus', () => {
    expect(CHANGE_RULES.filter((rule) => !reported.has(rule))).toEqual([])
  })

  it('reaches 95% recall and 95% precision over the corpus', () => {
    // Runs last: vitest runs the tests of a file in order.
    expect(tally.tp + tally.fp + tally.fn + tally.tn).toBe(pairs.length)
    expect(tally.tp / (tally.tp + tally.fn)).toBeGreaterThanOrEqual(0.95)
    expect(tally.tp / (tally.tp + tally.fp)).toBeGreaterThanOrEqual(0.95)
  })
})
