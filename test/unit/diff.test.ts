import { beforeAll, describe, expect, it } from 'vitest'
import { loadLinearEngine } from '../../src/schemas/regexp.js'
import { diffSchemas, type SchemaChange } from '../../src/schemas/diff/index.js'
import type { Schemas } from '../../src/wriftai/types.js'

// Patterns that repeat run on RE2, which the action loads before it compares.
beforeAll(loadLinearEngine)

const input = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra })
const schemas = (inputSchema: Record<string, unknown>, output: Record<string, unknown> = { type: 'string' }): Schemas => ({ prediction: { input: inputSchema, output } })
const rules = (changes: SchemaChange[]) => changes.map((c) => [c.rule, c.breaking, c.pointer, c.livePointer])

const P = '/prediction/input/properties'

describe('diffSchemas: inputs', () => {
  it.each([
    ['a removed input', { a: { type: 'string' }, b: { type: 'integer' } }, { b: { type: 'integer' } }, [['input-removed', true, P, `${P}/a`]]],
    ['a narrowed type', { n: { type: 'number' } }, { n: { type: 'integer' } }, [['type-narrowed', true, `${P}/n/type`, `${P}/n/type`]]],
    ['a union losing a member', { s: { type: ['string', 'null'] } }, { s: { type: 'string' } }, [['type-narrowed', true, `${P}/s/type`, `${P}/s/type`]]],
    ['a type on an untyped input', { s: {} }, { s: { type: 'string' } }, [['type-narrowed', true, `${P}/s/type`, `${P}/s`]]],
    ['an enum value removed', { m: { enum: ['a', 'b'] } }, { m: { enum: ['a'] } }, [['enum-value-removed', true, `${P}/m/enum`, `${P}/m/enum`]]],
    ['an enum added', { m: { type: 'string' } }, { m: { type: 'string', enum: ['a'] } }, [['enum-added', true, `${P}/m/enum`, `${P}/m`]]],
    ['minimum raised', { n: { minimum: 1 } }, { n: { minimum: 2 } }, [['minimum-raised', true, `${P}/n/minimum`, `${P}/n/minimum`]]],
    ['exclusiveMinimum added', { n: {} }, { n: { exclusiveMinimum: 0 } }, [['minimum-raised', true, `${P}/n/exclusiveMinimum`, `${P}/n`]]],
    ['maximum lowered', { n: { maximum: 10 } }, { n: { maximum: 9 } }, [['maximum-lowered', true, `${P}/n/maximum`, `${P}/n/maximum`]]],
    ['maxLength tightened', { s: { maxLength: 10 } }, { s: { maxLength: 5 } }, [['length-tightened', true, `${P}/s/maxLength`, `${P}/s/maxLength`]]],
    ['minItems added', { l: { type: 'array' } }, { l: { type: 'array', minItems: 1 } }, [['length-tightened', true, `${P}/l/minItems`, `${P}/l`]]],
    ['a pattern added', { s: { type: 'string' } }, { s: { type: 'string', pattern: '^a' } }, [['pattern-changed', true, `${P}/s/pattern`, `${P}/s`]]],
    ['a format changed', { s: { format: 'uri' } }, { s: { format: 'email' } }, [['format-changed', true, `${P}/s/format`, `${P}/s/format`]]],
    ['a new optional input', {}, { a: { type: 'string' } }, [['input-added', false, `${P}/a`, P]]],
    ['a changed default', { a: { type: 'integer', default: 1 } }, { a: { type: 'integer', default: 2 } }, [['default-changed', false, `${P}/a`, `${P}/a`]]],
    [
      'a changed description and x-order',
      { a: { description: 'x', 'x-order': 1 } },
      { a: { description: 'y', 'x-order': 2 } },
      [['annotation-changed', false, `${P}/a`, `${P}/a`]],
    ],
    ['a widened input', { n: { type: 'integer', maximum: 5 } }, { n: { type: 'number', maximum: 6 } }, []],
    ['nothing', { a: { type: 'string' } }, { a: { type: 'string' } }, []],
  ])('%s', (_name, before, after, expected) => {
    expect(rules(diffSchemas(schemas(input(before)), schemas(input(after))))).toEqual(expected)
  })

  it('reports inputs that became required, and new required inputs, with a default or not', () => {
    const before = schemas(input({ a: { type: 'string' } }))
    const after = schemas(input({ a: { type: 'string' }, b: { type: 'string' }, c: { type: 'integer', default: 1 } }, { required: ['a', 'b', 'c'] }))
    const changes = diffSchemas(before, after)
    expect(rules(changes)).toEqual([
      // On the name added to "required".
      ['input-now-required', true, '/prediction/input/required/0', `${P}/a`],
      ['input-new-required', true, '/prediction/input/required/1', P],
      ['input-new-required', true, '/prediction/input/required/2', P],
    ])
    // A default on a required input is never used: callers that leave it out are rejected.
    expect(changes[2]!.message).toBe(
      'new input "c" is required (a default on a required input is never used); callers that do not send it will fail; e.g. {} was accepted by the live version and is now rejected',
    )
    expect(changes.map((c) => c.counterexample)).toEqual([{}, {}, {}])
  })

  it('closes additional properties and suggests a rename', () => {
    const changes = diffSchemas(schemas(input({ prompt: { type: 'string' } })), schemas(input({ text: { type: 'string' } }, { additionalProperties: false })))
    expect(changes.map((c) => c.rule)).toEqual(['input-removed', 'input-added', 'additional-properties-closed'])
    expect(changes[0]!.message).toBe(
      'input "prompt" was removed (renamed to "text"?); callers that send it will fail; e.g. {"prompt":"a"} was accepted by the live version and is now rejected',
    )
  })

  it('resolves $ref on both sides, recursive schemas included', () => {
    const node = { type: 'object', properties: { value: { type: 'number' }, child: { $ref: '#/$defs/Node' } } }
    const narrowed = { type: 'object', properties: { value: { type: 'integer' }, child: { $ref: '#/$defs/Node' } } }
    const before = schemas(input({ tree: { $ref: '#/$defs/Node' } }, { $defs: { Node: node } }))
    const after = schemas(input({ tree: { $ref: '#/$defs/Node' } }, { $defs: { Node: narrowed } }))
    const changes = diffSchemas(before, after)
    // The definition is compared once, where it is first met, not once per level of recursion; the
    // change sits on the keyword that changed, in the definition.
    expect(changes.map((c) => [c.rule, c.pointer, c.counterexample])).toEqual([['type-narrowed', '/prediction/input/$defs/Node/properties/value/type', { tree: { value: 0.5 } }]])
  })
})

describe('diffSchemas: outputs', () => {
  const O = '/prediction/output'
  it.each([
    [
      'an output property removed',
      { type: 'object', properties: { a: {}, b: {} } },
      { type: 'object', properties: { b: {} } },
      [['output-removed', true, `${O}/properties`, `${O}/properties/a`]],
    ],
    [
      'a required output now optional',
      { type: 'object', properties: { a: {} }, required: ['a'] },
      { type: 'object', properties: { a: {} } },
      [['output-now-optional', true, `${O}/properties/a`, `${O}/required/0`]],
    ],
    ['a widened type', { type: 'integer' }, { type: 'number' }, [['output-type-changed', true, `${O}/type`, `${O}/type`]]],
    ['a changed type', { type: 'string' }, { type: 'array' }, [['output-type-changed', true, `${O}/type`, `${O}/type`]]],
    ['an output that became nullable', { type: 'string' }, { type: ['string', 'null'] }, [['output-nullable', true, `${O}/type`, `${O}/type`]]],
    ['an enum value added', { enum: ['a'] }, { enum: ['a', 'b'] }, [['output-enum-value-added', true, `${O}/enum`, `${O}/enum`]]],
    ['a narrowed output', { type: 'number' }, { type: 'integer' }, []],
    [
      'array items widened',
      { type: 'array', items: { type: 'string' } },
      { type: 'array', items: { type: ['string', 'null'] } },
      [['output-nullable', true, `${O}/items/type`, `${O}/items/type`]],
    ],
  ])('%s', (_name, before, after, expected) => {
    const inputSchema = input({})
    expect(rules(diffSchemas(schemas(inputSchema, before), schemas(inputSchema, after)))).toEqual(expected)
  })
})

describe('diffSchemas: what cannot be checked', () => {
  it('leaves a change on a remote $ref not compared, and reports the others by convention when the live version cannot be compiled here', () => {
    const live = schemas(input({ x: { $ref: 'https://example.com/x.json' }, y: { type: 'string' } }))
    const local = schemas(input({ x: { type: 'string' }, y: { type: 'integer' } }))
    const changes = diffSchemas(live, local)
    // x: what the remote schema took is unknown, so nothing is said either way; y narrows for certain.
    expect(changes.map((c) => [c.rule, c.pointer, c.breaking, c.basis])).toEqual([
      ['compatibility-not-proven', `${P}/x/type`, false, undefined],
      ['type-narrowed', `${P}/y/type`, true, 'convention'],
    ])
    expect(changes[0]!.message).toBe('input "x": not compared, as "$ref": "https://example.com/x.json" points outside the schema and references are never fetched')
  })

  it('calls a loosened pattern information, with no counterexample to show', () => {
    const changes = diffSchemas(schemas(input({ s: { type: 'string', pattern: '^[a-z]+$' } })), schemas(input({ s: { type: 'string', pattern: '^[a-z0-9]+$' } })))
    expect(changes.map((c) => [c.rule, c.breaking])).toEqual([['compatibility-not-proven', false]])
    expect(changes[0]!.message).toBe(
      'input "s": "pattern" "^[a-z]+$" → "^[a-z0-9]+$"; no value was found that one version accepts and the other does not, but compatibility is not proven',
    )
  })
})

describe('diffSchemas: messages', () => {
  const O = { type: 'object', properties: {} }
  it.each([
    [
      'a narrowed type names the new type',
      schemas(input({ n: { type: 'number' } })),
      schemas(input({ n: { type: 'integer' } })),
      'input "n" no longer accepts number (now integer); e.g. {"n":0.5} was accepted by the live version and is now rejected',
    ],
    [
      'an optional output says it can be null',
      schemas(O, { type: 'string' }),
      schemas(O, { anyOf: [{ type: 'string' }, { type: 'null' }] }),
      'the output can now be null; e.g. null can now be produced, which the live version did not allow',
    ],
    [
      'a root output names the output',
      schemas(O, { type: 'integer' }),
      schemas(O, { type: 'number' }),
      'the output can now be number (was integer); e.g. 0.5 can now be produced, which the live version did not allow',
    ],
    [
      'a removed enum value names it',
      schemas(input({ s: { enum: ['DDIM', 'K_EULER'] } })),
      schemas(input({ s: { enum: ['K_EULER'] } })),
      'input "s" no longer accepts "DDIM"; e.g. {"s":"DDIM"} was accepted by the live version and is now rejected',
    ],
    [
      'a name with a newline stays on one line',
      schemas(input({ 'a\n::error::x': { type: 'string' } })),
      schemas(input({ 'a\n::error::x': { type: 'integer' } })),
      'input "a\\n::error::x" no longer accepts string (now integer); e.g. {"a\\n::error::x":"a"} was accepted by the live version and is now rejected',
    ],
  ])('%s', (_name, live, local, message) => {
    expect(diffSchemas(live, local).map((c) => c.message)).toEqual([message])
  })

  it('names the live version the counterexample was checked against', () => {
    const [change] = diffSchemas(schemas(input({ n: { maximum: 4 } })), schemas(input({ n: { maximum: 2 } })), { live: 'acme/sdxl:3' })
    expect(change!.message).toBe('input "n": "maximum" 4 → 2; e.g. {"n":4} was accepted by acme/sdxl:3 and is now rejected')
    expect(change!.was).toBe(4)
  })
})

describe('diffSchemas: counterexamples', () => {
  beforeAll(loadLinearEngine)

  it('shows each change alone: a field another change made invalid gets the new version’s own value', () => {
    const live = schemas(input({ mode: { type: 'string', enum: ['fast', 'slow'] }, steps: { type: 'integer', default: 40 } }, { required: ['steps'] }))
    const local = schemas(input({ mode: { type: 'string', enum: ['fast'] }, steps: { type: 'integer', default: 20, maximum: 25 } }, { required: ['steps'] }))
    const changes = diffSchemas(live, local).filter((c) => c.breaking)
    expect(changes.map((c) => [c.rule, c.counterexample])).toEqual([
      ['enum-value-removed', { steps: 20, mode: 'slow' }],
      ['maximum-lowered', { steps: 40 }],
    ])
  })
})

describe('diffSchemas: fingerprints', () => {
  beforeAll(loadLinearEngine)
  const live = () => schemas(input({ mode: { type: 'string', enum: ['fast', 'slow'], title: 'Mode' }, steps: { type: 'integer', maximum: 50 } }))

  it('name a change whatever the key order, the annotations or the other changes', () => {
    const next = schemas(input({ steps: { maximum: 50, type: 'integer' }, mode: { title: 'How fast', enum: ['fast'], type: 'string' } }))
    const alone = diffSchemas(live(), next).find((c) => c.rule === 'enum-value-removed')!
    const withAnother = diffSchemas(live(), schemas(input({ mode: { type: 'string', enum: ['fast'] }, steps: { type: 'integer', maximum: 10 } })))
    expect(alone.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(withAnother.find((c) => c.rule === 'enum-value-removed')!.fingerprint).toBe(alone.fingerprint)
  })

  it('differ for another change of the same keyword', () => {
    const lowered = (max: number) => diffSchemas(live(), schemas(input({ mode: { type: 'string', enum: ['fast', 'slow'] }, steps: { type: 'integer', maximum: max } })))[0]!
    expect(lowered(10).fingerprint).not.toBe(lowered(20).fingerprint)
    expect(lowered(10).fingerprint).toBe(lowered(10).fingerprint)
  })
})
