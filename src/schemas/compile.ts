import type { Ajv2020 } from 'ajv/dist/2020.js'
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './keywords.js'
import { escapePointer } from './document.js'
import type { Problem } from './lint.js'
import { isObject, type SchemaObject, type Subschema } from './walk.js'

/** Keywords that assert nothing; two subschemas that differ only in these validate alike. */
export const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment'])
/** Keywords that tie a subschema to its place in the document; the lint checks them instead. */
const PLACE_KEYWORDS = new Set(['$ref', '$dynamicRef', '$id', '$anchor', '$dynamicAnchor', '$schema'])

/**
 * Compiles every subschema in ajv's strict mode, one level at a time: each with its own keywords
 * and its children replaced by `true`. Strict-mode rules concern the keywords of one schema object,
 * so this finds what a whole-document compile finds, at the subschema it is in, and compiling each
 * distinct shape once keeps thousands of similar properties cheap.
 */
export function strictCompileProblems(ajv: Ajv2020, subs: readonly Subschema[]): Problem[] {
  const problems: Problem[] = []
  const compiled = new Set<string>()
  for (const { schema, pointer } of subs) {
    const shallow = shallowCopy(schema)
    const key = JSON.stringify(shallow)
    if (compiled.has(key)) continue
    compiled.add(key)
    try {
      ajv.compile(shallow)
    } catch (error: unknown) {
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
    if (ANNOTATIONS.has(keyword) || PLACE_KEYWORDS.has(keyword) || keyword.startsWith('x-')) continue
    if (SCHEMA_KEYWORDS.has(keyword) && isObject(value)) copy[keyword] = true
    else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) copy[keyword] = value.map((item) => (isObject(item) ? true : item))
    else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) copy[keyword] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isObject(item) ? true : item]))
    else copy[keyword] = value
  }
  return copy
}
