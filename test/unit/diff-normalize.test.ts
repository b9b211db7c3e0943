import { describe, expect, it } from 'vitest'
import { makeRoot, view } from '../../src/schemas/diff/normalize.js'

// How the comparison reads a schema: each normalization folds a spelling into the one it accepts the same values as.
const read = (node: unknown, root: Record<string, unknown> = {}) => {
  const v = view(node, '/s', makeRoot(root, ''))
  return { schema: v.schema, never: v.never }
}

describe('the comparison reads schemas through their spellings', () => {
  it.each([
    [
      'a $ref, its siblings applying too',
      { $ref: '#/$defs/S', description: 'd' },
      { $defs: { S: { type: 'string', maxLength: 3 } } },
      { type: ['string'], maxLength: 3, description: 'd' },
    ],
    ['a $ref to an $anchor', { $ref: '#pick' }, { $defs: { P: { $anchor: 'pick', enum: ['a'] } } }, { $anchor: 'pick', enum: ['a'], type: ['string'] }],
    [
      "a $ref to the root's own $id",
      { $ref: 'https://example.com/s.json#/$defs/N' },
      { $id: 'https://example.com/s.json', $defs: { N: { type: 'number' } } },
      { type: ['number'] },
    ],
    [
      'an allOf wrapper of one $ref (pydantic v1)',
      { allOf: [{ $ref: '#/$defs/E' }], default: 'a' },
      { $defs: { E: { enum: ['a', 'b'] } } },
      { enum: ['a', 'b'], type: ['string'], default: 'a' },
    ],
    ['allOf members that clash stay allOf', { minimum: 1, allOf: [{ minimum: 2 }] }, {}, { minimum: 1, allOf: [{ minimum: 2 }] }],
    ['an anyOf with a null branch (pydantic v2 Optional)', { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null }, {}, { type: ['integer', 'null'], default: null }],
    [
      'an Optional enum behind a $ref',
      { anyOf: [{ $ref: '#/$defs/E' }, { type: 'null' }] },
      { $defs: { E: { type: 'string', enum: ['a'] } } },
      { type: ['string', 'null'], enum: ['a', null] },
    ],
    ['an anyOf of bare types', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, {}, { type: ['string', 'integer'] }],
    ['const as a one-member enum', { const: 'x' }, {}, { enum: ['x'], type: ['string'] }],
    ['an enum limits the type to its members', { enum: [1, 'a', null] }, {}, { enum: [1, 'a', null], type: ['integer', 'string', 'null'] }],
    ['a type drops the enum members it excludes', { type: 'string', enum: ['a', 1] }, {}, { enum: ['a'], type: ['string'] }],
    ['the tighter of exclusiveMinimum and minimum', { minimum: 0, exclusiveMinimum: 0 }, {}, { exclusiveMinimum: 0 }],
    ['minimum when it is the tighter', { minimum: 5, exclusiveMinimum: 0 }, {}, { minimum: 5 }],
    ['a type as a list', { type: 'string' }, {}, { type: ['string'] }],
  ])('%s', (_name, node, root, schema) => {
    expect(read(node, root)).toEqual({ schema, never: false })
  })

  it.each([
    ['oneOf of number and integer, which overlap', { oneOf: [{ type: 'number' }, { type: 'integer' }] }],
    ['oneOf of the same type twice, which rejects it', { oneOf: [{ type: 'string' }, { type: 'string' }] }],
  ])('keeps %s', (_name, node) => {
    expect(read(node).schema).toEqual(node)
  })

  it('reads false and an empty enum as accepting nothing', () => {
    expect(read(false).never).toBe(true)
    expect(read({ type: 'string', enum: [1] }).never).toBe(true)
  })

  it('remembers where each keyword is written, through references and wrappers', () => {
    const root = { $defs: { E: { enum: ['a'] } } }
    const v = view({ allOf: [{ $ref: '#/$defs/E' }], default: 'a' }, '/p', makeRoot(root, '/prediction/input'))
    expect(v.at).toMatchObject({ enum: '/prediction/input/$defs/E/enum', default: '/p/default' })
    expect(v.pointer).toBe('/p')
  })

  it('stops at recursive references', () => {
    const root = { $defs: { L: { $ref: '#/$defs/L' } } }
    expect(read({ $ref: '#/$defs/L' }, root).schema).toEqual({ $ref: '#/$defs/L' })
  })
})
