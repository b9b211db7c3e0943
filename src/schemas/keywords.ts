import { FORMAT_NAMES } from './formats.js'
import type { RuleId } from './rules.js'

/** Keywords whose value is one subschema. */
export const SCHEMA_KEYWORDS = new Set([
  'additionalProperties',
  'contains',
  'contentSchema',
  'else',
  'if',
  'items',
  'not',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
])
/** Keywords whose value is an array of subschemas. */
export const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
/** Keywords whose value maps names to subschemas. */
export const SCHEMA_MAP_KEYWORDS = new Set(['$defs', 'definitions', 'dependentSchemas', 'patternProperties', 'properties'])

/** Keywords that tie a subschema to the document around it: references, and the ids and anchors they resolve to. */
export const REFERENCE_KEYWORDS = ['$ref', '$dynamicRef', '$id', '$anchor', '$dynamicAnchor']

/** Every keyword of the JSON Schema 2020-12 vocabularies (core, applicator, unevaluated, validation, meta-data, format, content). */
export const KNOWN_KEYWORDS = new Set([
  ...SCHEMA_KEYWORDS,
  ...SCHEMA_ARRAY_KEYWORDS,
  '$defs',
  'dependentSchemas',
  'patternProperties',
  'properties',
  '$schema',
  '$id',
  '$ref',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$vocabulary',
  '$comment',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'format',
  'contentEncoding',
  'contentMediaType',
])

/** Keywords of older drafts or other dialects, with what 2020-12 says instead. */
export const FOREIGN_KEYWORDS: Record<string, { severity: 'error' | 'warning'; rule: RuleId; message: string }> = {
  nullable: {
    severity: 'warning',
    rule: 'nullable',
    message: '"nullable" is OpenAPI 3.0, not JSON Schema 2020-12, and is ignored by validators; add "null" to "type" instead, e.g. "type": ["string", "null"]',
  },
  definitions: { severity: 'warning', rule: 'legacy-keyword', message: '"definitions" is from draft-07; 2020-12 names it "$defs"' },
  dependencies: { severity: 'error', rule: 'legacy-keyword', message: '"dependencies" is from draft-07 and is ignored by 2020-12; use "dependentRequired" or "dependentSchemas"' },
  additionalItems: { severity: 'error', rule: 'legacy-keyword', message: '"additionalItems" is from draft-07 and is ignored by 2020-12; use "prefixItems" with "items"' },
  $recursiveRef: { severity: 'error', rule: 'legacy-keyword', message: '"$recursiveRef" is from draft 2019-09; 2020-12 uses "$dynamicRef"' },
  $recursiveAnchor: { severity: 'error', rule: 'legacy-keyword', message: '"$recursiveAnchor" is from draft 2019-09; 2020-12 uses "$dynamicAnchor"' },
}

/** How to let a schema accept null in 2020-12: null added to its type, or a null branch when it has none. */
export function howToAllowNull(schema: Record<string, unknown>): string {
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : []
  return types.length > 0 ? `"type": [${[...types.filter((t) => t !== 'null'), 'null'].map((t) => JSON.stringify(t)).join(', ')}]` : 'an "anyOf" branch {"type": "null"}'
}

/** Formats that are checked; any other `format` value would be silently ignored. */
export const KNOWN_FORMATS = new Set<string>(FORMAT_NAMES)

export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema'

/** The known keyword closest to `word`, when it is close enough to be a likely typo. */
export function suggestKeyword(word: string, budget?: SuggestionBudget): string | undefined {
  return closest(word, [...KNOWN_KEYWORDS], budget)
}

/** How many comparisons the suggestions of one schema may make: a hostile file must not turn did-you-mean into minutes. */
export interface SuggestionBudget {
  left: number
}

export function closest(word: string, candidates: readonly string[], budget?: SuggestionBudget): string | undefined {
  // A suggestion is within a quarter of the word's length; a longer word is no typo of a name.
  if (word.length > MAX_SUGGESTED_LENGTH || (budget && budget.left <= 0)) return undefined
  const lower = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Math.max(1, Math.floor(word.length / 4)) + 1
  for (const candidate of candidates) {
    // Lengths that differ by more than the best distance so far cannot do better: skip the work.
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue
    if (budget && budget.left-- <= 0) return undefined
    const distance = levenshtein(lower, candidate.toLowerCase(), bestDistance)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Longer words get no did-you-mean: no keyword or property name a person types is this long. */
const MAX_SUGGESTED_LENGTH = 100

/** Edit distance, or `limit` as soon as it is known to reach it. */
function levenshtein(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (current[j]! < rowMin) rowMin = current[j]!
    }
    if (rowMin >= limit) return limit
    previous = current
  }
  return previous[b.length]!
}
