import { canonicalJson } from './canonical.js'
import { escapePointer } from './document.js'
import type { Problem } from './lint.js'
import type { Subschema } from './walk.js'

/** Keywords that say something only about values of one JSON type; on any other value they pass. */
const KEYWORDS_OF_TYPE: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'prefixItems', 'contains', 'minItems', 'maxItems', 'uniqueItems', 'minContains', 'maxContains', 'unevaluatedItems'],
  object: [
    'properties',
    'patternProperties',
    'additionalProperties',
    'required',
    'minProperties',
    'maxProperties',
    'propertyNames',
    'dependentRequired',
    'dependentSchemas',
    'unevaluatedProperties',
  ],
}
const TYPE_OF_KEYWORD = new Map(Object.entries(KEYWORDS_OF_TYPE).flatMap(([type, keywords]) => keywords.map((k) => [k, type] as const)))

/**
 * Mistakes a schema can hold while still being valid JSON Schema: keywords that can never apply to
 * the declared type, bounds that no value meets, repeated enum members. (minContains without
 * contains, and the like, are ajv's strict mode's: schema-compile.) A realistic schema has none of
 * these, so each is a finding, not a style note.
 */
export function correctnessProblems(subs: readonly Subschema[]): Problem[] {
  const problems: Problem[] = []
  for (const { schema, pointer } of subs) {
    const at = (keyword: string) => `${pointer}/${escapePointer(keyword)}`
    const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.filter((t): t is string => typeof t === 'string') : undefined
    if (types) {
      const declared = new Set(types.map((t) => (t === 'integer' ? 'number' : t)))
      for (const keyword of Object.keys(schema)) {
        const applies = TYPE_OF_KEYWORD.get(keyword)
        if (applies && !declared.has(applies)) {
          problems.push({
            severity: 'warning',
            rule: 'keyword-not-applicable',
            pointer: at(keyword),
            message: `"${keyword}" applies only to ${applies === 'number' ? 'numbers' : `${applies}s`}, and "type" is ${JSON.stringify(schema.type)}: it never applies here`,
          })
        }
      }
    }
    const range = (low: string, high: string, noun: string) => {
      const a = schema[low]
      const b = schema[high]
      if (typeof a === 'number' && typeof b === 'number' && a > b) {
        problems.push({ severity: 'error', rule: 'unsatisfiable-range', pointer: at(low), message: `"${low}" ${a} is above "${high}" ${b}: no ${noun} fits` })
      }
    }
    range('minLength', 'maxLength', 'string')
    range('minItems', 'maxItems', 'array')
    range('minProperties', 'maxProperties', 'object')
    range('minContains', 'maxContains', 'array')
    const numeric = numericRange(schema, types?.every((t) => t === 'integer') ?? false)
    if (numeric) problems.push({ severity: 'error', rule: 'unsatisfiable-range', pointer: at(numeric.keyword), message: numeric.message })
    if (Array.isArray(schema.enum)) {
      const seen = new Set<string>()
      schema.enum.forEach((member, i) => {
        const key = canonicalJson(member)
        if (seen.has(key))
          problems.push({
            severity: 'warning',
            rule: 'enum-duplicate',
            pointer: `${at('enum')}/${i}`,
            message: `${JSON.stringify(member).slice(0, 60)} is already an "enum" member`,
          })
        seen.add(key)
      })
    }
  }
  return problems
}

/** The numeric bounds, when no number (or, for an integer type, no integer) lies between them. */
function numericRange(schema: Record<string, unknown>, integer: boolean): { keyword: string; message: string } | undefined {
  const lowKeyword =
    typeof schema.exclusiveMinimum === 'number' && !(typeof schema.minimum === 'number' && schema.minimum > schema.exclusiveMinimum)
      ? 'exclusiveMinimum'
      : typeof schema.minimum === 'number'
        ? 'minimum'
        : undefined
  const highKeyword =
    typeof schema.exclusiveMaximum === 'number' && !(typeof schema.maximum === 'number' && schema.maximum < schema.exclusiveMaximum)
      ? 'exclusiveMaximum'
      : typeof schema.maximum === 'number'
        ? 'maximum'
        : undefined
  if (!lowKeyword || !highKeyword) return undefined
  const low = schema[lowKeyword] as number
  const high = schema[highKeyword] as number
  const lowOpen = lowKeyword === 'exclusiveMinimum'
  const highOpen = highKeyword === 'exclusiveMaximum'
  const empty = low > high || (low === high && (lowOpen || highOpen))
  const describe = `"${lowKeyword}" ${low} and "${highKeyword}" ${high}`
  if (empty) return { keyword: lowKeyword, message: `${describe}: no number fits` }
  if (integer) {
    const first = lowOpen ? Math.floor(low) + 1 : Math.ceil(low)
    const last = highOpen ? Math.ceil(high) - 1 : Math.floor(high)
    if (first > last) return { keyword: lowKeyword, message: `${describe}: no integer fits, and "type" is "integer"` }
  }
  return undefined
}
