import type { Severity } from '../findings.js'
import { escapePointer } from './document.js'
import { unchecked } from './regexp.js'
import { closest, DRAFT_2020_12, FOREIGN_KEYWORDS, howToAllowNull, KNOWN_FORMATS, KNOWN_KEYWORDS, suggestKeyword, type SuggestionBudget } from './keywords.js'
import { decode, DOCUMENT_URI, resolveReference, schemaResources, type Resources } from './references.js'
import type { RuleId } from './rules.js'
import { isObject, testPattern, type SchemaObject, type Subschema } from './walk.js'

export interface Problem {
  severity: Severity
  rule: RuleId
  /** From the document root. */
  pointer: string
  message: string
}

/** Edit distances the suggestions of one schema may compute. */
const SUGGESTION_COMPARISONS = 200_000

/** How WriftAI takes files: as URLs the platform fetches. */
export const FILE_INPUTS = 'file inputs are URLs here: {"type": "string", "format": "uri"}'

/** OpenAPI keywords that people paste into JSON Schema, with what 2020-12 says instead. */
const OPENAPI_KEYWORDS: Record<string, string> = {
  example: '; JSON Schema names it "examples", an array: "examples": [value]',
  discriminator: ' (OpenAPI); JSON Schema picks a "oneOf" branch by its own keywords, e.g. a "const" on the tag property in each branch',
}

/** Applicators whose subschema describes the same instance as its parent. */
const IN_PLACE = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas'])

/** The `$schema` check: a schema that declares another dialect is not checked as 2020-12. */
export function checkDialect(schema: SchemaObject, pointer: string): Problem | undefined {
  const declared = schema.$schema
  if (declared === undefined || declared === DRAFT_2020_12 || declared === `${DRAFT_2020_12}#`) return undefined
  const draft = typeof declared === 'string' ? describeDraft(declared) : JSON.stringify(declared)
  return {
    severity: 'error',
    rule: 'schema-draft',
    pointer: `${pointer}/$schema`,
    message: `"$schema" declares ${draft}; WriftAI schemas must be JSON Schema 2020-12 (${DRAFT_2020_12})`,
  }
}

function describeDraft(uri: string): string {
  const match = /draft-0?(\d+)|draft\/(\d{4}-\d{2})/.exec(uri)
  return match ? `draft ${match[1] ?? match[2]} (${uri})` : `"${uri}"`
}

/** Keyword policy, formats, references and `required`, for every subschema of one schema (root first). */
export function lintSchema(subs: readonly Subschema[]): Problem[] {
  const problems: Problem[] = []
  const resources = schemaResources(subs)
  // Enough for every typo a person makes; past it, findings come without a did-you-mean.
  const budget: SuggestionBudget = { left: SUGGESTION_COMPARISONS }
  const parents = new Map(subs.map((sub) => [sub.schema, sub.parent?.schema]))
  for (const { schema, pointer, parent } of subs) {
    for (const [keyword, value] of Object.entries(schema)) {
      const at = `${pointer}/${escapePointer(keyword)}`
      if (keyword.startsWith('x-')) continue
      const foreign = Object.hasOwn(FOREIGN_KEYWORDS, keyword) ? FOREIGN_KEYWORDS[keyword] : undefined
      if (keyword === 'nullable') {
        problems.push({
          ...FOREIGN_KEYWORDS.nullable!,
          pointer: at,
          message: `"nullable" is OpenAPI 3.0, not JSON Schema 2020-12, and is ignored by validators; allow null with ${howToAllowNull(schema)}`,
        })
      } else if (foreign) {
        problems.push({ severity: foreign.severity, rule: foreign.rule, pointer: at, message: foreign.message })
      } else if (!KNOWN_KEYWORDS.has(keyword)) {
        const suggestion = suggestKeyword(keyword, budget)
        const advice =
          (Object.hasOwn(OPENAPI_KEYWORDS, keyword) ? OPENAPI_KEYWORDS[keyword] : undefined) ??
          `${suggestion ? `; did you mean "${suggestion}"?` : ''} (extension keywords must start with "x-")`
        problems.push({
          severity: 'error',
          rule: 'unknown-keyword',
          pointer: at,
          message: `unknown keyword "${keyword.length > 60 ? `${keyword.slice(0, 59)}…` : keyword}"${advice}`,
        })
      } else if (keyword === 'format' && value === 'binary') {
        // OpenAPI's "binary" is a known format (raw bytes; fal's File outputs carry one). A model's file input is a URL: a hint on inputs only.
        if (INPUT_SIDE.test(pointer))
          problems.push({ severity: 'warning', rule: 'unknown-format', pointer: at, message: `"format": "binary" is OpenAPI's, for raw bytes; ${FILE_INPUTS}` })
      } else if (keyword === 'format' && typeof value === 'string' && !KNOWN_FORMATS.has(value)) {
        const suggestion = closest(value, [...KNOWN_FORMATS], budget)
        problems.push({ severity: 'error', rule: 'unknown-format', pointer: at, message: `unknown format "${value}"${suggestion ? `; did you mean "${suggestion}"?` : ''}` })
      } else if (
        (keyword === 'pattern' && typeof value === 'string' && unchecked(value)) ||
        (keyword === 'patternProperties' && isObject(value) && Object.keys(value).some(unchecked))
      ) {
        const pattern = keyword === 'pattern' ? (value as string) : Object.keys(value as object).find(unchecked)!
        problems.push({
          severity: 'warning',
          rule: 'pattern-unchecked',
          pointer: keyword === 'pattern' ? at : `${at}/${escapePointer(pattern)}`,
          message: `${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 79)}…` : pattern)} repeats, and holds what only a backtracking engine runs (a lookaround, a backreference, a repeat count over 1,000): such an engine could take hours on one string, so no value is checked against it`,
        })
      } else if (keyword === '$ref' && typeof value === 'string') {
        const problem = checkRef(value, resources.baseOf.get(schema) ?? DOCUMENT_URI, resources)
        if (problem) problems.push({ severity: 'error', rule: problem.rule, pointer: at, message: problem.message })
      } else if (keyword === 'required' && Array.isArray(value)) {
        problems.push(...checkRequired(schema, value, at, parent, budget, () => namesInScope(schema, parents)))
      }
    }
  }
  return problems
}

/** The input schema's root must describe an object with named properties. */
export function checkInputRoot(schema: SchemaObject, pointer: string): Problem[] {
  const problems: Problem[] = []
  if (schema.type !== 'object') {
    problems.push({
      severity: 'error',
      rule: 'input-root',
      pointer: 'type' in schema ? `${pointer}/type` : pointer,
      message: `the input schema's root must have "type": "object"${'type' in schema ? `, not ${JSON.stringify(schema.type)}` : ''}`,
    })
  }
  if (!isObject(schema.properties)) {
    problems.push({ severity: 'error', rule: 'input-root', pointer, message: 'the input schema\'s root must list its inputs under "properties"' })
  }
  return problems
}

/** Every property name declared by the schema and the schemas around it: what a `required` in a nested constraint may name. */
function namesInScope(schema: SchemaObject, parents: ReadonlyMap<SchemaObject, SchemaObject | undefined>): Set<string> {
  const names = new Set<string>()
  for (let at: SchemaObject | undefined = schema, depth = 0; at && depth < 64; at = parents.get(at), depth++) {
    if (isObject(at.properties)) for (const name of Object.keys(at.properties)) names.add(name)
  }
  return names
}

const INPUT_SIDE = /^\/(?:prediction|training)\/input(?:\/|$)/

function checkRequired(
  schema: SchemaObject,
  names: unknown[],
  at: string,
  parent: { schema: SchemaObject; keyword: string } | undefined,
  budget: SuggestionBudget,
  inScope: () => Set<string>,
): Problem[] {
  // A constraint with no properties of its own (an allOf member, a "not" under dependentSchemas) names
  // properties of an object around it: at most a warning, and only for a name no schema in scope declares.
  if (parent && !isObject(schema.properties) && !isObject(schema.patternProperties)) {
    const declared = inScope()
    return names.flatMap((name, i) => {
      if (typeof name !== 'string' || declared.has(name)) return []
      const suggestion = closest(name, [...declared], budget)
      const message = `"${name}" is required here but no "properties" around it declares it${suggestion ? `; did you mean "${suggestion}"?` : ''}`
      return [{ severity: 'warning' as const, rule: 'required-unknown' as const, pointer: `${at}/${i}`, message }]
    })
  }
  // A subschema in place (`anyOf: [{"required": ["a"]}, …]`) also names properties of the object around it.
  const owners = parent && IN_PLACE.has(parent.keyword) ? [schema, parent.schema] : [schema]
  // A Set of own names: "constructor" is not a property because every object inherits one, and "__proto__" is a name like any other.
  const properties = new Set(owners.flatMap((o) => (isObject(o.properties) ? Object.keys(o.properties) : [])))
  const patterns = owners.flatMap((o) => (isObject(o.patternProperties) ? Object.keys(o.patternProperties) : []))
  const problems: Problem[] = []
  names.forEach((name, i) => {
    if (typeof name !== 'string' || properties.has(name) || patterns.some((p) => testPattern(p, name))) return
    const suggestion = closest(name, [...properties], budget)
    problems.push({
      severity: 'error',
      rule: 'required-unknown',
      pointer: `${at}/${i}`,
      message: `"${name}" is required but is not in "properties"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
    })
  })
  return problems
}

/** A `$ref` must point inside the document: a JSON pointer or an `$anchor` in a resource the document declares. */
function checkRef(ref: string, base: string, resources: Resources): { rule: RuleId; message: string } | undefined {
  const resolution = resolveReference(ref, base, resources)
  if (resolution.found) return undefined
  if (resolution.remote) {
    return { rule: 'remote-ref', message: `"$ref": "${ref}" points outside this file; remote references are never fetched, so copy the schema into "$defs"` }
  }
  const component = /^#\/components\/schemas\/(.+)$/.exec(ref)
  // "#/definitions/X" where "$defs/X" exists, or the reverse: the other folder's name.
  const swapped = /^#\/(definitions|\$defs)\//.test(ref)
    ? ref.replace(/^#\/(definitions|\$defs)\//, (_, folder: string) => (folder === 'definitions' ? '#/$defs/' : '#/definitions/'))
    : undefined
  const swappedFound = swapped !== undefined && resolveReference(swapped, base, resources).found
  // An OpenAPI reference: the schema it names lives in the document this one was taken from.
  const advice = swappedFound
    ? `; did you mean "${swapped}"?`
    : component
      ? `; copy "${decode(component[1]!) ?? component[1]}" from the OpenAPI document into "$defs" and point at "#/$defs/${component[1]}"`
      : ''
  return { rule: 'unresolved-ref', message: `"$ref": "${ref}" does not resolve inside this schema${advice}` }
}
