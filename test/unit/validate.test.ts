import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkSchemasText } from '../../src/schemas/check.js'
import { parseJson } from '../../src/schemas/document.js'
import { validateSchemas } from '../../src/schemas/validate.js'

function check(text: string) {
  const { document } = parseJson(text, 'schemas.json')
  if (!document) throw new Error('fixture must be valid JSON')
  return validateSchemas(document)
}

const where = (r: ReturnType<typeof check>) => r.findings.map((f) => `${f.rule} ${f.pointer} ${f.line}:${f.column}`)

describe('validateSchemas', () => {
  it('accepts a well-formed envelope and returns the schemas', () => {
    const result = check('{"prediction": {"input": {"type": "object", "properties": {}}, "output": {"type": "string"}}}')
    expect(result.findings).toEqual([])
    expect(result.schemas?.prediction.output).toEqual({ type: 'string' })
  })

  it('accepts an optional training section', () => {
    const io = '{"input": {"type": "object", "properties": {}}, "output": {}}'
    expect(check(`{"prediction": ${io}, "training": ${io}}`).findings).toEqual([])
  })

  it('names unknown keys at their position', () => {
    const result = check('{\n  "prediction": {\n    "input": {"type": "object", "properties": {}},\n    "output": {},\n    "outputs": {}\n  },\n  "predict": {}\n}')
    expect(where(result)).toEqual(['envelope /prediction/outputs 5:5', 'envelope /predict 7:3'])
    expect(result.findings[1]?.message).toBe('unknown top-level key "predict"; expected "prediction" (and optionally "training")')
    expect(result.schemas).toBeUndefined()
  })

  it('reports a missing side and a non-object schema', () => {
    const result = check('{\n  "prediction": {\n    "input": []\n  }\n}')
    expect(where(result)).toEqual(['envelope /prediction 2:3', 'envelope /prediction/input 3:5'])
    expect(result.findings.map((f) => f.message)).toEqual(['"prediction" is missing its "output" schema', 'prediction.input must be a JSON Schema object'])
  })

  it('checks each schema on its own when their $ids are the same', () => {
    const side = (type: string, bad: string) =>
      `{"$id": "https://example.com/shared", "type": "object", "properties": {"a": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"type": "${type}", "default": ${bad}}}}`
    const result = check(`{"prediction": {"input": ${side('string', '"ok"')}, "output": ${side('integer', '"not an integer"')}}}`)
    expect(result.findings.map((f) => `${f.rule} ${f.pointer}`)).toEqual(['default-mismatch /prediction/output/$defs/a/default'])
  })

  it('reports a $id used twice in one schema', () => {
    const twice = '{"type": "object", "properties": {"a": {"$id": "https://example.com/a", "type": "string"}, "b": {"$id": "https://example.com/a", "type": "integer"}}}'
    const result = check(`{"prediction": {"input": ${twice}, "output": {}}}`)
    expect(result.findings.map((f) => `${f.rule} ${f.pointer}`)).toEqual(['schema-compile /prediction/input'])
    expect(result.findings[0]?.message).toContain('resolves to more than one schema')
  })

  it('checks defaults against the formats each schema uses', () => {
    const input = '{"type": "object", "properties": {"site": {"type": "string", "format": "uri", "default": "not a uri"}}}'
    const output = '{"type": "string", "format": "email", "default": "nobody"}'
    const result = check(`{"prediction": {"input": ${input}, "output": ${output}}}`)
    expect(result.findings.map((f) => `${f.rule} ${f.pointer}`)).toEqual([
      'default-mismatch /prediction/input/properties/site/default',
      'default-mismatch /prediction/output/default',
    ])
    expect(result.findings[1]?.message).toContain('must match format "email"')
  })

  it('reports a root that is not an object', () => {
    expect(where(check('[1]'))).toEqual(['envelope  1:1'])
  })

  it('checks each schema against the 2020-12 meta-schema, once per location', () => {
    const text =
      '{\n  "prediction": {\n    "input": {\n      "type": "object",\n      "properties": {\n        "n": {"type": "integr", "minimum": "1"}\n      }\n    },\n    "output": {"type": "string"}\n  }\n}'
    const result = check(text)
    expect(where(result)).toEqual(['meta-schema /prediction/input/properties/n/type 6:15', 'meta-schema /prediction/input/properties/n/minimum 6:33'])
    expect(result.findings[0]?.message).toBe('"type" must be equal to one of the allowed values: "array", "boolean", "integer", "null", "number", "object", "string"')
    expect(result.findings[1]?.message).toBe('"minimum" must be number')
  })

  it('reports a $ref that does not resolve inside the document', () => {
    const result = check('{"prediction": {"input": {"type": "object", "properties": {}}, "output": {"$ref": "#/$defs/missing"}}}')
    expect(where(result)).toEqual(['unresolved-ref /prediction/output/$ref 1:75'])
    expect(result.findings[0]?.message).toBe('"$ref": "#/$defs/missing" does not resolve inside this schema')
  })
})

describe('OpenAPI nullable, as 2020-12 reads it', () => {
  it('says nullable is ignored and how to allow null, naming the type or an anyOf branch', () => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../fixtures/schemas/nullable-default-null.json'), 'utf8')
    const messages = checkSchemasText(text, 'schemas.json').findings.map((f) => f.message)
    expect(messages).toEqual([
      '"nullable" is OpenAPI 3.0, not JSON Schema 2020-12, and is ignored by validators; allow null with "type": ["string", "null"]',
      'default null does not match its schema: must be string; "nullable" is OpenAPI 3.0 and is ignored by JSON Schema 2020-12: allow null with "type": ["string", "null"]',
      '"nullable" is OpenAPI 3.0, not JSON Schema 2020-12, and is ignored by validators; allow null with an "anyOf" branch {"type": "null"}',
      'default null does not match its schema: must be string (+2 more); "nullable" is OpenAPI 3.0 and is ignored by JSON Schema 2020-12: allow null with an "anyOf" branch {"type": "null"}',
    ])
  })
})

describe('hints for what people paste from OpenAPI', () => {
  const messages = (name: string) =>
    checkSchemasText(readFileSync(path.resolve(import.meta.dirname, `../fixtures/schemas/${name}.json`), 'utf8'), 'schemas.json').findings.map((f) => f.message)

  it('says what to take from a whole OpenAPI document, in one finding', () => {
    expect(messages('openapi-document')).toEqual([
      'this is an OpenAPI document, not a schemas file: take components.schemas.Input as "prediction": {"input": …} and components.schemas.Output as its "output", with the schemas they reference copied into "$defs"',
    ])
  })

  it('explains components references, example, binary files and discriminator', () => {
    expect(messages('openapi-hints')).toEqual([
      '"$ref": "#/components/schemas/Scheduler" does not resolve inside this schema; copy "Scheduler" from the OpenAPI document into "$defs" and point at "#/$defs/Scheduler"',
      'unknown keyword "example"; JSON Schema names it "examples", an array: "examples": [value]',
      '"format": "binary" is OpenAPI\'s, for raw bytes; file inputs are URLs here: {"type": "string", "format": "uri"}',
      'unknown keyword "discriminator" (OpenAPI); JSON Schema picks a "oneOf" branch by its own keywords, e.g. a "const" on the tag property in each branch',
    ])
  })

  it('says how files are taken when a type is "file"', () => {
    expect(messages('meta-schema-type-file')).toEqual([
      '"type" must be equal to one of the allowed values: "array", "boolean", "integer", "null", "number", "object", "string"; file inputs are URLs here: {"type": "string", "format": "uri"}',
    ])
  })
})

describe('bounded on hostile files', () => {
  const wrap = (input: Record<string, unknown>) => JSON.stringify({ prediction: { input: { type: 'object', ...input }, output: { type: 'string' } } })

  it('checks the members of a 40,000-member enum against the rest of its schema, not against each other', () => {
    const members = Array.from({ length: 40_000 }, (_, i) => i)
    const { findings } = checkSchemasText(wrap({ properties: { e: { type: 'integer', enum: [...members, 'x'], default: 5 } } }), 'schemas.json')
    expect(findings.map((f) => [f.rule, f.pointer])).toEqual([['enum-mismatch', '/prediction/input/properties/e/enum/40000']])
  })

  it('shows a keyword of a megabyte cut short, with no suggestion for it', () => {
    const keyword = 'k'.repeat(1_000_000)
    const { findings } = checkSchemasText(wrap({ properties: { p: { type: 'string', [keyword]: 1 } } }), 'schemas.json')
    expect(findings.map((f) => f.message)).toEqual([`unknown keyword "${'k'.repeat(59)}…" (extension keywords must start with "x-")`])
  })

  it('stops suggesting names when the comparisons run out, and still reports every unknown name', () => {
    const properties = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`parameter_${i}`, { type: 'string' }]))
    const required = Array.from({ length: 1_500 }, (_, i) => `paramater_${i}x`)
    const { findings } = checkSchemasText(wrap({ properties, required }), 'schemas.json')
    expect(findings).toHaveLength(1_500)
    expect(findings[0]!.message).toBe('"paramater_0x" is required but is not in "properties"; did you mean "parameter_0"?')
    expect(findings.at(-1)!.message).toBe('"paramater_1499x" is required but is not in "properties"')
  })
})

describe('uniqueItems in one pass', () => {
  const withDefault = (value: unknown) =>
    check(
      JSON.stringify({ prediction: { input: { type: 'object', properties: { u: { type: 'array', uniqueItems: true, default: value } } }, output: { type: 'string' } } }),
    ).findings.map((f) => f.message.replace(/^default .* does not match/, 'default does not match'))

  it('compares items as JSON values: key order does not matter, 1 and 1.0 are the same', () => {
    expect(
      withDefault([
        { a: 1, b: [2, { c: 3 }] },
        { b: [2, { c: 3 }], a: 1.0 },
      ]),
    ).toEqual(['default does not match its schema: must NOT have duplicate items (items ## 0 and 1 are identical)'])
    expect(withDefault([{ a: 1 }, { a: '1' }, [1], ['1'], 1, '1', null, false, 0])).toEqual([])
  })

  it('takes 40,000 distinct objects in linear time, and finds the one repeat among them', () => {
    const items = Array.from({ length: 40_000 }, (_, i) => ({ id: i, name: `n${i}` }))
    expect(withDefault(items)).toEqual([])
    expect(withDefault([...items, { name: 'n17', id: 17 }])).toEqual(['default does not match its schema: must NOT have duplicate items (items ## 17 and 40000 are identical)'])
  })
})

describe('2020-12 as written', () => {
  it('takes a property that a patternProperties entry matches too, with or without a default: both apply', () => {
    const schema = (extra: Record<string, unknown>) =>
      JSON.stringify({
        prediction: {
          input: { type: 'object', properties: { seed: { type: 'integer' } }, patternProperties: { '^s': { minimum: 0 } }, additionalProperties: { type: 'string' }, ...extra },
          output: { type: 'string' },
        },
      })
    expect(check(schema({})).findings).toEqual([])
    expect(check(schema({ default: { seed: 3, other: 'x' } })).findings).toEqual([])
    expect(where(check(schema({ default: { seed: -3 } })))).toEqual(['default-mismatch /prediction/input/default 1:164'])
  })
})

describe('hints for what authors actually type', () => {
  const file = (input: Record<string, unknown>) => JSON.stringify({ prediction: { input: { type: 'object', properties: input }, output: { type: 'string' } } })
  const messages = (text: string) => checkSchemasText(text, 'schemas.json').findings.map((f) => `${f.rule}: ${f.message}`)

  it.each([
    [{ n: { type: 'float' } }, '"float" is Python\'s name: JSON Schema\'s is "number"'],
    [{ n: { type: ['str', 'null'] } }, '"str" is Python\'s name: JSON Schema\'s is "string"'],
    [{ n: { type: 'integer', required: true } }, 'list the name in the object\'s own "required" array instead: "required": ["n"]'],
    [{ n: { type: 'number', maximum: 1, exclusiveMaximum: true } }, 'write "exclusiveMaximum": 1 in place of "maximum": 1'],
    [{ n: { type: 'string', enum: ['auto', 'manual'], examples: ['Auto'] } }, 'did you mean "auto"? (enum members are matched case by case)'],
  ])('%j', (input, hint) => {
    expect(messages(file(input)).join('\n')).toContain(hint)
  })

  it('points a $ref at the other folder where the schema is', () => {
    const text = JSON.stringify({
      prediction: { input: { type: 'object', properties: { s: { $ref: '#/$defs/S' } }, definitions: { S: { type: 'string' } } }, output: { type: 'string' } },
    })
    expect(messages(text)).toContain('unresolved-ref: "$ref": "#/$defs/S" does not resolve inside this schema; did you mean "#/definitions/S"?')
  })

  it('says a YAML file is YAML, in one finding at its first line', () => {
    const { findings } = checkSchemasText('# schemas\nprediction:\n  input:\n    type: object\n', 'schemas.yaml')
    expect(findings.map((f) => [f.rule, f.line, f.column, f.message])).toEqual([
      ['invalid-json', 1, 1, 'invalid JSON: this file is YAML; the schemas file is JSON (convert it, e.g. with yq -o json)'],
    ])
  })
})
