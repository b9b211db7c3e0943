import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js'
import { KNOWN_KEYWORDS, REFERENCE_KEYWORDS, SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './keywords.js'
import { escapePointer } from './document.js'
import type { Problem } from './lint.js'
import { isObject, type SchemaObject, type Subschema } from './walk.js'

/** Keywords that assert nothing; two subschemas that differ only in these validate alike. */
export const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment'])
/**
 * Validators of subschemas that stand alone (no reference in them), by their JSON: the strict
 * compile and the self-consistency check meet the same leaf shapes, and compiling is the cost.
 */
export type ShapeValidators = Map<string, ValidateFunction>

/**
 * Keywords for which ajv has no strict-mode rule and no compile-time error once the meta-schema has
 * accepted their values: a shape made only of these compiles, so it is not compiled to find out.
 * The others (if/then/else, contains and its limits, patternProperties, pattern, format, enum,
 * nullable, unknown keywords) still are. A unit test compiles one shape holding all of these.
 */
export const KEYWORDS_WITHOUT_COMPILE_RULES = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'unevaluatedItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
])

/** Keywords that tie a subschema to its place in the document; the lint checks them instead. */
const PLACE_KEYWORDS = new Set([...REFERENCE_KEYWORDS, '$schema'])

/**
 * Compiles every subschema in ajv's strict mode, one level at a time: each with its own keywords
 * and its children replaced by `true`. Strict-mode rules concern the keywords of one schema object,
 * so this finds what a whole-document compile finds, at the subschema it is in, and compiling each
 * distinct shape once keeps thousands of similar properties cheap.
 */
export function strictCompileProblems(ajv: Ajv2020, subs: readonly Subschema[], shapes: ShapeValidators): Problem[] {
  const problems: Problem[] = []
  const failed = new Set<string>()
  for (const { schema, pointer } of subs) {
    const shallow = shallowCopy(schema)
    if (Object.keys(shallow).every((keyword) => KEYWORDS_WITHOUT_COMPILE_RULES.has(keyword))) continue
    const key = JSON.stringify(shallow)
    if (shapes.has(key) || failed.has(key)) continue
    try {
      shapes.set(key, ajv.compile(shallow))
    } catch (error: unknown) {
      failed.add(key)
      const message = (error as Error).message.replace(/^strict mode: /, '')
      problems.push({ severity: 'error', rule: 'schema-compile', pointer: `${pointer}${blamedKeyword(schema, message)}`, message: `strict mode rejects this schema: ${message}` })
    }
  }
  return problems
}

/** The keyword an ajv message is about, as a pointer suffix, so the finding sits on it. */
function blamedKeyword(schema: SchemaObject, message: string): string {
  for (const [, quoted] of message.matchAll(/"([^"]+)"/g)) if (quoted && quoted in schema) return `/${escapePointer(quoted)}`
  if (/regular expression/i.test(message) && 'pattern' in schema) return '/pattern'
  return ''
}

function shallowCopy(schema: SchemaObject): SchemaObject {
  const copy: SchemaObject = {}
  for (const [keyword, value] of Object.entries(schema)) {
    // Keywords 2020-12 does not define (x-*, nullable, unknown and legacy ones) are the lint's to
    // report, once; ajv would also enforce OpenAPI's rules for nullable, which 2020-12 ignores.
    if (ANNOTATIONS.has(keyword) || PLACE_KEYWORDS.has(keyword) || !KNOWN_KEYWORDS.has(keyword)) continue
    if (SCHEMA_KEYWORDS.has(keyword) && isObject(value)) copy[keyword] = true
    else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) copy[keyword] = value.map((item) => (isObject(item) ? true : item))
    else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value))
      copy[keyword] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isObject(item) ? true : item]))
    else copy[keyword] = value
  }
  return copy
}
