import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLinearEngine } from '../../src/schemas/regexp.js'
import { checkSchemasText } from '../../src/schemas/check.js'
import { diffSchemas } from '../../src/schemas/diff/index.js'
import type { Schemas } from '../../src/wriftai/types.js'

beforeAll(loadLinearEngine)

// Each shape a missed break or a false alarm was once found in, written the four ways generators
// write a property: Cog with pydantic v1 ({"allOf": [{"$ref"}]} beside its own description), Cog
// with pydantic v2 (Optional as anyOf with null), the Go generator (a type list with null) and fal
// ({"title": "Video", "allOf": [{"$ref": "#/$defs/File"}]}, the definition titled otherwise).
type Schema = Record<string, unknown>
type Shape = 'cog-v1' | 'cog-v2' | 'go' | 'fal'
const SHAPES: Shape[] = ['cog-v1', 'cog-v2', 'go', 'fal']

/** The property `x` as a generator of that shape writes it, and the definitions it uses. */
function written(shape: Shape, schema: Schema): { property: Schema; defs: Schema } {
  switch (shape) {
    case 'cog-v1':
      return {
        property: { allOf: [{ $ref: '#/$defs/X' }], description: 'The x of the prediction.', 'x-order': 1 },
        defs: { X: { title: 'X', description: 'An enumeration.', ...schema } },
      }
    case 'cog-v2':
      return { property: { anyOf: [{ $ref: '#/$defs/X' }, { type: 'null' }], default: null, title: 'X' }, defs: { X: { title: 'XModel', ...schema } } }
    case 'go':
      return { property: typeof schema.type === 'string' ? { ...schema, type: [schema.type, 'null'], title: 'X' } : { anyOf: [schema, { type: 'null' }], title: 'X' }, defs: {} }
    case 'fal':
      return { property: { title: 'Video', allOf: [{ $ref: '#/$defs/File' }] }, defs: { File: { title: 'File', ...schema } } }
  }
}

function schemasFile(shape: Shape, side: 'input' | 'output', x: Schema): Schemas {
  const { property, defs } = written(shape, x)
  const withX: Schema = { type: 'object', title: side === 'input' ? 'Input' : 'Output', properties: { x: property }, $defs: defs }
  if (side === 'input') (withX.properties as Schema).prompt = { type: 'string', title: 'Prompt' }
  if (side === 'input') withX.required = ['prompt']
  const other = side === 'input' ? { type: 'string', title: 'Output' } : { type: 'object', title: 'Input', properties: { prompt: { type: 'string' } } }
  return { prediction: side === 'input' ? { input: withX, output: other } : { input: other, output: withX } } as unknown as Schemas
}

interface Cause {
  name: string
  side: 'input' | 'output'
  live: Schema
  next: Schema
  /** The rule the break is reported under, and the value of x in its counterexample; none: no breaking change. */
  rule?: string
  x?: unknown
  /** Where a shape's counterexample differs (another value of the same difference). */
  xIn?: Partial<Record<Shape, unknown>>
}

const FILE = { type: 'object', properties: { url: { type: 'string', format: 'uri' }, content_type: { type: 'string' } }, required: ['url'] }

const CAUSES: Cause[] = [
  {
    name: 'an enum value removed behind a wrapper with its own annotations (sdxl DDIM)',
    side: 'input',
    live: { type: 'string', enum: ['DDIM', 'K_EULER', 'DPMSolverMultistep'] },
    next: { type: 'string', enum: ['K_EULER', 'DPMSolverMultistep'] },
    rule: 'enum-value-removed',
    x: 'DDIM',
  },
  { name: 'a file output compared with itself', side: 'output', live: FILE, next: FILE },
  {
    name: 'additionalProperties false added beside such a property',
    side: 'input',
    live: FILE,
    next: { ...FILE, additionalProperties: false },
    rule: 'additional-properties-closed',
    x: { url: 'https://example.com/a.png', extra: null },
  },
  { name: 'a one-branch anyOf around an object, same values', side: 'input', live: FILE, next: { anyOf: [FILE] } },
  { name: 'a one-branch oneOf around an object, same values', side: 'output', live: { oneOf: [FILE] }, next: FILE },
  {
    name: 'an enum added to a uri input',
    side: 'input',
    live: { type: 'string', format: 'uri' },
    next: { type: 'string', format: 'uri', enum: ['https://example.com/b.png'] },
    rule: 'enum-added',
    x: 'https://example.com/a.png',
  },
  {
    name: 'an enum dropped from output items',
    side: 'output',
    live: { type: 'array', items: { type: 'string', enum: ['png', 'jpg'] } },
    next: { type: 'array', items: { type: 'string' } },
    rule: 'output-enum-value-added',
    x: ['a'],
  },
  {
    name: 'an output pattern "^https://" removed',
    side: 'output',
    live: { type: 'string', pattern: '^https://' },
    next: { type: 'string' },
    rule: 'output-pattern-changed',
    x: 'a',
  },
  {
    name: 'an output pattern "^[^<>]*$" removed',
    side: 'output',
    live: { type: 'string', pattern: '^[^<>]*$' },
    next: { type: 'string' },
    rule: 'output-pattern-changed',
    x: '<a',
  },
  {
    name: 'an output pattern "[a-z]" removed',
    side: 'output',
    live: { type: 'string', pattern: '[a-z]' },
    next: { type: 'string' },
    rule: 'output-pattern-changed',
    x: 'A',
  },
  {
    name: 'propertyNames maxLength 6 added',
    side: 'input',
    live: { type: 'object', properties: { seed: { type: 'integer' } } },
    next: { type: 'object', properties: { seed: { type: 'integer' } }, propertyNames: { maxLength: 6 } },
    rule: 'constraint-added',
    x: { seedddd: 'a' },
  },
  {
    name: 'multipleOf 0.25 → 0.5 between 1 and 20',
    side: 'input',
    live: { type: 'number', minimum: 1, maximum: 20, multipleOf: 0.25 },
    next: { type: 'number', minimum: 1, maximum: 20, multipleOf: 0.5 },
    rule: 'multiple-of-changed',
    x: 1.25,
  },
  { name: 'a boolean limited to true', side: 'input', live: { type: 'boolean' }, next: { type: 'boolean', enum: [true] }, rule: 'enum-added', x: false },
  {
    name: 'uniqueItems added beside contains',
    side: 'input',
    live: { type: 'array', items: { type: 'string' }, contains: { const: 'cat' } },
    next: { type: 'array', items: { type: 'string' }, contains: { const: 'cat' }, uniqueItems: true },
    rule: 'unique-items-added',
    x: ['cat', 'cat'],
  },
  {
    name: 'dependentRequired added',
    side: 'input',
    live: { type: 'object', properties: { width: { type: 'integer' }, height: { type: 'integer' } } },
    next: { type: 'object', properties: { width: { type: 'integer' }, height: { type: 'integer' } }, dependentRequired: { width: ['height'] } },
    rule: 'constraint-added',
    x: { width: 0 },
  },
  {
    name: 'a type changed inside allOf → items → allOf',
    side: 'output',
    live: { allOf: [{ type: 'array', items: { allOf: [{ type: 'object', properties: { score: { type: 'number' } } }] } }] },
    next: { allOf: [{ type: 'array', items: { allOf: [{ type: 'object', properties: { score: { type: 'string' } } }] } }] },
    rule: 'output-type-changed',
    x: [{ score: 'a' }],
  },
  {
    name: 'multiples of 10 → a minimum of 5',
    side: 'input',
    live: { type: 'integer', multipleOf: 10 },
    next: { type: 'integer', minimum: 5 },
    rule: 'minimum-raised',
    x: 0,
  },
  {
    name: 'a range narrowed into a union of ranges',
    side: 'input',
    live: { type: 'number', minimum: 1, maximum: 8 },
    next: {
      type: 'number',
      anyOf: [
        { exclusiveMinimum: 5, maximum: 10 },
        { minimum: 0, maximum: 4 },
      ],
    },
    rule: 'constraint-added',
    x: 5,
    xIn: { 'cog-v2': 4.5 },
  },
  {
    name: 'not enum on an object member',
    side: 'input',
    live: { type: 'object', properties: { mode: { type: 'string' } } },
    next: { type: 'object', properties: { mode: { type: 'string', not: { enum: ['a', 'slow'] } } } },
    rule: 'constraint-added',
    x: { mode: 'a' },
  },
]

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020
/** Plain ajv on the whole schema: the oracle, apart from the product's checker. */
function accepts(schema: unknown, value: unknown): boolean {
  return addFormats(new Ajv2020({ strict: false, logger: false })).validate(schema as object, value) as boolean
}

const rows: string[] = []

describe.each(SHAPES)('causes of past misses, written as %s writes them', (shape) => {
  it.each(CAUSES.map((c) => [c.name, c] as const))('%s', (_name, cause) => {
    const live = schemasFile(shape, cause.side, cause.live)
    const next = schemasFile(shape, cause.side, cause.next)
    for (const file of [live, next]) expect(checkSchemasText(JSON.stringify(file), 'schemas.json').findings.filter((f) => f.severity === 'error')).toEqual([])
    const breaking = diffSchemas(live, next).filter((c) => c.breaking)
    if (!cause.rule) {
      expect(breaking).toEqual([])
      rows.push(`${shape}: ${cause.name}: no breaking change`)
      return
    }
    const change = breaking.find((c) => c.rule === cause.rule)
    expect(change, JSON.stringify(breaking.map((c) => c.message))).toBeDefined()
    const base = cause.side === 'input' ? { prompt: 'a' } : {}
    expect(change!.counterexample).toEqual({ ...base, x: cause.xIn && shape in cause.xIn ? cause.xIn[shape] : cause.x })
    // The oracle agrees: the live input takes it and the new one does not, or the new output allows what the live one did not.
    const [a, b] = cause.side === 'input' ? [live.prediction!.input, next.prediction!.input] : [next.prediction!.output, live.prediction!.output]
    expect([accepts(a, change!.counterexample), accepts(b, change!.counterexample)]).toEqual([true, false])
    rows.push(`${shape}: ${cause.name}: ${change!.rule}, e.g. ${JSON.stringify(change!.counterexample)}`)
  })
})

afterAll(() => {
  console.log(`causes of past misses: ${rows.length} of ${SHAPES.length * CAUSES.length} cases hold in the Cog v1, Cog v2, Go-generator and fal shapes`)
})
