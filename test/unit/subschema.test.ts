import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLinearEngine } from '../../src/schemas/regexp.js'
import { diffSchemas } from '../../src/schemas/diff/index.js'
import type { Schemas } from '../../src/wriftai/types.js'
import { accepts, type Json, Random, search } from '../fuzz/oracle.ts'

beforeAll(loadLinearEngine)

// Is every value of A a value of B? The question a subschema checker answers, asked here of every
// ordered pair within each family of small schemas (numbers as unions of ranges with steps and
// exclusions, strings, arrays, objects): each pair is an input that was A and is now B. The
// verdict is the oracle's: a value A accepts and B rejects, found by ajv over values drawn from A
// and from the numbers and strings both schemas name, or the gate's counterexample confirmed.
type Schema = Record<string, unknown>
const FAMILIES: Record<string, Schema[]> = {
  numbers: [
    { type: 'integer' },
    { type: 'number' },
    { type: 'integer', minimum: 5 },
    { type: 'integer', multipleOf: 10 },
    { type: 'integer', multipleOf: 5, minimum: 0 },
    { type: 'number', minimum: 1, maximum: 8 },
    { type: 'number', exclusiveMinimum: 1, maximum: 8 },
    {
      type: 'number',
      anyOf: [
        { exclusiveMinimum: 5, maximum: 10 },
        { minimum: 0, maximum: 4 },
      ],
    },
    {
      type: 'number',
      anyOf: [
        { minimum: 0, maximum: 4 },
        { minimum: 4, maximum: 10 },
      ],
    },
    { type: 'number', minimum: 1, maximum: 20, multipleOf: 0.25 },
    { type: 'number', minimum: 1, maximum: 20, multipleOf: 0.5 },
    { type: 'integer', not: { enum: [0, 1] } },
    { type: 'integer', minimum: 0, maximum: 3, not: { const: 2 } },
    { enum: [1, 2, 3] },
    { enum: [1, 2, 3, 4.5] },
  ],
  strings: [
    { type: 'string' },
    { type: 'string', maxLength: 6 },
    { type: 'string', minLength: 2, maxLength: 6 },
    { type: 'string', pattern: '^[a-z]+$' },
    { type: 'string', pattern: '^[a-z0-9]+$' },
    { type: 'string', pattern: '^https://' },
    { type: 'string', format: 'uri' },
    { type: 'string', format: 'date' },
    { type: 'string', enum: ['DDIM', 'K_EULER'] },
    { type: 'string', enum: ['DDIM'] },
    { type: 'string', not: { enum: ['DDIM'] } },
    { type: ['string', 'null'] },
  ],
  arrays: [
    { type: 'array' },
    { type: 'array', items: { type: 'string' } },
    { type: 'array', items: { type: 'string' }, maxItems: 2 },
    { type: 'array', items: { type: 'string' }, minItems: 1 },
    { type: 'array', items: { type: 'string' }, uniqueItems: true },
    { type: 'array', items: { type: 'string' }, contains: { const: 'cat' } },
    { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } },
    { type: 'array', items: { type: 'integer', minimum: 0 } },
  ],
  objects: [
    { type: 'object' },
    { type: 'object', properties: { a: { type: 'string' } } },
    { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
    { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, dependentRequired: { a: ['b'] } },
    { type: 'object', propertyNames: { maxLength: 3 } },
    { type: 'object', maxProperties: 1 },
    { type: 'object', properties: { a: { type: 'string', not: { enum: ['x'] } } } },
  ],
}

/** Every number and string a schema names, and its neighbours: where differences between two schemas hide. */
function literals(node: unknown, out: Json[] = []): Json[] {
  if (typeof node === 'number') out.push(node, node - 1, node + 1, node - 0.5, node + 0.5, node + 0.25, node * 2, -node)
  else if (typeof node === 'string') out.push(node, `${node}x`, node.toUpperCase(), 'abcdefg', 'http://x.org/', 'https://x.org/', '2025-01-01')
  else if (Array.isArray(node)) for (const item of node) literals(item, out)
  else if (node && typeof node === 'object') for (const value of Object.values(node)) literals(value, out)
  return out
}

function arraysAndObjects(values: Json[]): Json[] {
  const strings = values.filter((v) => typeof v === 'string')
  return [
    [],
    ['cat', 'cat'],
    ['cat'],
    ['a', 'b', 'c'],
    [1, 2],
    ['a', 1],
    { a: 'x' },
    { b: 1 },
    { a: 'x', b: 1 },
    { abcd: 1 },
    { a: 'y', c: 2 },
    ...strings.slice(0, 3).map((s) => [s]),
  ]
}

const file = (x: Schema): Schemas => ({ prediction: { input: { type: 'object', properties: { x } }, output: { type: 'string' } } }) as unknown as Schemas
const tally = { pairs: 0, proven: 0, caught: 0, falseAlarms: 0, removals: 0, added: 0 }
const problems: string[] = []

describe.each(Object.entries(FAMILIES))('is every value of A one of B: %s', (_family, schemas) => {
  const pairs = schemas.flatMap((a, i) => schemas.flatMap((b, j) => (i === j ? [] : [[JSON.stringify(a), JSON.stringify(b), a, b] as const])))
  it.each(pairs)('%s → %s', (_a, _b, a, b) => {
    tally.pairs++
    const [live, next] = [file(a), file(b)]
    const [rootA, rootB] = [live.prediction!.input as Schema, next.prediction!.input as Schema]
    const values = literals([a, b])
    const found = search(rootA, rootB, new Random(tally.pairs), 200, [{ path: ['x'], values: [...values, ...arraysAndObjects(values)] }])
    const breaking = diffSchemas(live, next).filter((c) => c.breaking)
    let confirmed = false
    const declared = (s: Schema) => Object.keys((s.properties as Schema | undefined) ?? {})
    for (const change of breaking) {
      if (change.basis === 'counterexample' && accepts(rootA, change.counterexample) && accepts(rootB, change.counterexample) === false) confirmed = true
      else if (change.basis === 'convention' && change.rule === 'input-removed' && declared(a).some((n) => !declared(b).includes(n))) tally.removals++
      else {
        tally.falseAlarms++
        problems.push(`false alarm: ${JSON.stringify(a)} → ${JSON.stringify(b)}: ${change.message}`)
      }
    }
    const proven = found !== undefined || confirmed
    const added = declared(b).filter((n) => !declared(a).includes(n))
    if (proven && breaking.length === 0 && added.length > 0) {
      // A property B declares that A left open: a value sent under that name, which A ignored, may
      // now be refused. By convention a new optional input is not breaking; the pair counts as
      // such when B without its new declarations shows no break.
      const without = structuredClone(b)
      for (const name of added) delete (without.properties as Schema)[name]
      if (search(rootA, file(without).prediction!.input as Schema, new Random(tally.pairs), 200, []) === undefined) {
        tally.added++
        return
      }
    }
    if (proven) tally.proven++
    if (proven && breaking.length > 0) tally.caught++
    if (proven && breaking.length === 0) problems.push(`missed: ${JSON.stringify(a)} → ${JSON.stringify(b)}, e.g. ${JSON.stringify(found)}`)
  })
})

afterAll(() => {
  console.log(
    `subschema pairs: ${tally.pairs} ordered pairs; ${tally.proven} where A takes a value B does not (by the oracle), ${tally.caught} caught; ` +
      `recall ${((100 * tally.caught) / Math.max(1, tally.proven)).toFixed(1)}%, ${tally.falseAlarms} false alarms; ` +
      `${tally.removals} inputs removed (breaking by convention), ${tally.added} only through a newly declared property (not breaking by convention)`,
  )
  for (const line of problems) console.log(`  ${line}`)
})

describe('the subschema pairs', () => {
  it('miss nothing and raise no false alarm', () => {
    expect(problems).toEqual([])
  })
})
