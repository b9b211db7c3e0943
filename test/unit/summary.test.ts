import { describe, expect, it } from 'vitest'
import { schemasHash } from '../../src/github/summary.js'
import type { Schemas } from '../../src/wriftai/types.js'

describe('schemasHash', () => {
  it('is the CRC-32 of the canonical JSON, whatever the key order', () => {
    // zlib.crc32 of {"prediction":{"input":{"type":"object"},"output":{"type":"string"}}}, computed by Python's zlib.
    const schemas = { prediction: { output: { type: 'string' }, input: { type: 'object' } } } as unknown as Schemas
    expect(schemasHash(schemas)).toBe('crc32:1c3afd5f')
  })

  it('changes when a schema changes', () => {
    const a = { prediction: { input: { type: 'object' }, output: { type: 'string' } } } as unknown as Schemas
    const b = { prediction: { input: { type: 'object' }, output: { type: 'integer' } } } as unknown as Schemas
    expect(schemasHash(a)).not.toBe(schemasHash(b))
  })
})
