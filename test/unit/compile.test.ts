import { describe, expect, it } from 'vitest'
import { KEYWORDS_WITHOUT_COMPILE_RULES } from '../../src/schemas/compile.js'
import { createAjv } from '../../src/schemas/validate.js'

// One valid value for each keyword that the strict compile skips.
const SAMPLE: Record<string, unknown> = {
  type: ['object', 'array', 'string', 'number', 'null'],
  properties: { a: true },
  required: ['a'],
  additionalProperties: false,
  propertyNames: { maxLength: 3 },
  minProperties: 0,
  maxProperties: 9,
  dependentRequired: { a: ['b'] },
  dependentSchemas: { a: true },
  unevaluatedProperties: false,
  items: { type: 'integer' },
  prefixItems: [true, { type: 'string' }],
  unevaluatedItems: false,
  minItems: 0,
  maxItems: 9,
  uniqueItems: true,
  allOf: [true],
  anyOf: [true, false],
  oneOf: [true],
  not: false,
  const: 1,
  minimum: 0,
  maximum: 9,
  exclusiveMinimum: -1,
  exclusiveMaximum: 10,
  multipleOf: 0.5,
  minLength: 0,
  maxLength: 9,
  contentEncoding: 'base64',
  contentMediaType: 'application/json',
  contentSchema: { type: 'object' },
}

describe('keywords the strict compile skips', () => {
  it('has a sample for each of them', () => {
    expect(Object.keys(SAMPLE).sort()).toEqual([...KEYWORDS_WITHOUT_COMPILE_RULES].sort())
  })

  it('compile together in strict mode, as the validator is set up', () => {
    expect(() => createAjv().compile(SAMPLE)).not.toThrow()
  })

  it('include none that strict mode can reject', () => {
    for (const [keyword, schema] of Object.entries({ then: { then: true }, enum: { enum: [] }, pattern: { pattern: '(' }, minContains: { minContains: 1 } })) {
      expect(KEYWORDS_WITHOUT_COMPILE_RULES.has(keyword)).toBe(false)
      expect(() => createAjv().compile(schema)).toThrow()
    }
  })
})
