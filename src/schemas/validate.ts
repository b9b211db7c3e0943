import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import type { Finding } from '../findings.js'
import type { Schemas } from '../wriftai/types.js'
import { linearUniqueItems } from './canonical.js'
import { strictCompileProblems, type ShapeValidators } from './compile.js'
import { checkConsistency, usesReferences } from './consistency.js'
import { correctnessProblems } from './correctness.js'
import validateMetaSchema from './meta-validator.generated.js'
import { escapePointer, splitPointer, type SourceDocument } from './document.js'
import { addFormatChecks } from './formats.js'
import { schemaRegExp } from './regexp.js'
import { checkDialect, checkInputRoot, FILE_INPUTS, lintSchema, type Problem } from './lint.js'
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './keywords.js'
import { guardProto, isObject, listSubschemas, namesProto, valueAt, type SchemaObject, type Subschema } from './walk.js'

const SECTIONS = ['prediction', 'training'] as const
const SIDES = ['input', 'output'] as const

/** Checks the `{"prediction": {"input": …, "output": …}}` envelope and each JSON Schema in it. */
export function validateSchemas(document: SourceDocument): { schemas?: Schemas; findings: Finding[] } {
  const findings: Finding[] = []
  const report = ({ severity, rule, pointer, message }: Problem): void => {
    const at = document.locate(pointer)
    findings.push({ severity, rule, message, pointer, file: document.file, line: at.line, column: at.column })
  }
  const envelope = (pointer: string, message: string): void => report({ severity: 'error', rule: 'envelope', pointer, message })

  const root = document.value
  if (!isObject(root)) {
    envelope('', 'the file must be a JSON object: {"prediction": {"input": {…}, "output": {…}}}')
    return { findings }
  }
  if (!('prediction' in root) && ('openapi' in root || 'components' in root)) {
    // A whole OpenAPI document (what Cog serves at /openapi.json): one finding that says what to take from it.
    envelope(
      '',
      'this is an OpenAPI document, not a schemas file: take components.schemas.Input as "prediction": {"input": …} and components.schemas.Output as its "output", with the schemas they reference copied into "$defs"',
    )
    return { findings }
  }
  for (const key of Object.keys(root)) {
    if (!(SECTIONS as readonly string[]).includes(key)) envelope(`/${escapePointer(key)}`, `unknown top-level key "${key}"; expected "prediction" (and optionally "training")`)
  }
  if (!('prediction' in root)) envelope('', 'missing "prediction": {"input": {…}, "output": {…}}')

  // One ajv for every schema in the file: building one (vocabularies, formats) costs more than a small schema's checks.
  let ajv: Ajv2020 | undefined
  const sharedAjv = (): Ajv2020 => (ajv ??= createAjv())
  const shapes: ShapeValidators = new Map()
  for (const section of SECTIONS) {
    if (!(section in root)) continue
    const body = root[section]
    if (!isObject(body)) {
      envelope(`/${section}`, `"${section}" must be an object with "input" and "output" schemas`)
      continue
    }
    for (const key of Object.keys(body)) {
      if (!(SIDES as readonly string[]).includes(key)) envelope(`/${section}/${escapePointer(key)}`, `unknown key "${key}" in "${section}"; expected "input" and "output"`)
    }
    for (const side of SIDES) {
      const pointer = `/${section}/${side}`
      if (!(side in body)) envelope(`/${section}`, `"${section}" is missing its "${side}" schema`)
      else if (!isObject(body[side])) envelope(pointer, `${section}.${side} must be a JSON Schema object`)
      else checkSchema(body[side], pointer, side === 'input', sharedAjv, shapes).forEach(report)
    }
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column)
  const valid = findings.every((f) => f.severity !== 'error')
  return valid ? { schemas: root as unknown as Schemas, findings } : { findings }
}

/** One schema, in order: dialect, meta-schema, keyword policy and model rules, strict compile, self-consistency. */
function checkSchema(schema: SchemaObject, pointer: string, isInput: boolean, sharedAjv: () => Ajv2020, shapes: ShapeValidators): Problem[] {
  const dialect = checkDialect(schema, pointer)
  if (dialect) return [dialect]
  // The meta-schema validator is compiled ahead of time (scripts/generate-meta-validator.ts).
  if (!validateMetaSchema(schema))
    return [...metaSchemaProblems(validateMetaSchema.errors ?? [], pointer, schema), ...checkAroundMetaErrors(schema, pointer, isInput, sharedAjv, shapes)]
  // The schemas' $ids may collide: each starts from an ajv that holds no schema of the one before.
  const ajv = sharedAjv()
  ajv.removeSchema()

  const subs = listSubschemas(schema, pointer)
  const problems = [...(isInput ? checkInputRoot(schema, pointer) : []), ...lintSchema(subs), ...correctnessProblems(subs)]
  let lenient: Ajv2020 | undefined
  // Every check runs in one pass: a subschema that cannot be resolved or compiled is skipped alone
  // by the checks below (they catch its failure), and its own finding says why.
  try {
    prepareAjv(ajv, subs, problems)
    problems.push(...strictCompileProblems(ajv, subs, shapes))
    const broken = new Set(problems.filter((p) => p.rule === 'remote-ref' || p.rule === 'unresolved-ref').map((p) => p.pointer.replace(/\/\$ref$/, '')))
    const compiled = compilable(schema, subs, pointer, broken)
    const id = `urn:wriftai:schemas${pointer}`
    // Registering walks the whole schema: needed to resolve references and to catch a repeated $id.
    if (usesReferences(subs)) ajv.addSchema(compiled.schema, id)
    const errorsAt = problems.filter((p) => p.severity === 'error').map((p) => p.pointer)
    const explained = (at: string) => errorsAt.some((p) => p === at || p.startsWith(`${at}/`))
    problems.push(...checkConsistency(ajv, subs, id, shapes, { compiled: compiled.subs, lenient: () => (lenient ??= createLenientAjv(ajv)), explained }))
  } catch (error: unknown) {
    problems.push({ severity: 'error', rule: 'schema-compile', pointer, message: `the schema does not compile: ${(error as Error).message}` })
  }
  return problems
}

/**
 * The schema as the value checks compile it, a copy made only when it needs changes: without
 * `nullable` (ajv honours OpenAPI's, 2020-12 ignores it), and without the references that were
 * found not to resolve, so that the rest of the schema still compiles (the values beside such a
 * reference are then checked against what remains, which can only accept more).
 */
function compilable(schema: SchemaObject, subs: readonly Subschema[], pointer: string, brokenRefs: ReadonlySet<string>): { schema: SchemaObject; subs: Map<string, SchemaObject> } {
  if (brokenRefs.size === 0 && !subs.some((sub) => 'nullable' in sub.schema || namesProto(sub.schema)))
    return { schema, subs: new Map(subs.map((sub) => [sub.pointer, sub.schema])) }
  const copy = structuredClone(schema)
  const copies = listSubschemas(copy, pointer)
  for (const sub of copies) {
    delete sub.schema.nullable
    if (brokenRefs.has(sub.pointer)) delete sub.schema.$ref
    guardProto(sub.schema)
  }
  return { schema: copy, subs: new Map(copies.map((sub) => [sub.pointer, sub.schema])) }
}

/**
 * Gives ajv the formats this schema uses, and tolerates what the lint already named (unknown
 * keywords and formats) so that it does not stop the strict compile from checking the rest.
 */
function prepareAjv(ajv: Ajv2020, subs: readonly Subschema[], problems: Problem[]): void {
  const keywords = new Set<string>(['nullable'])
  const formats = new Set<string>()
  for (const { schema: sub } of subs) {
    for (const key of Object.keys(sub)) if (key.startsWith('x-')) keywords.add(key)
    if (typeof sub.format === 'string') formats.add(sub.format)
  }
  for (const problem of problems) {
    const keyword = splitPointer(problem.pointer).pop() ?? ''
    if (problem.rule === 'unknown-keyword' || problem.rule === 'legacy-keyword') keywords.add(keyword)
  }
  for (const keyword of keywords) {
    try {
      ajv.addKeyword({ keyword })
    } catch {
      // ajv already knows it (e.g. "definitions", "nullable"): nothing to tolerate.
    }
  }
  // Each format once, as it is first used: its check for the known ones, and a no-op for the
  // others, which the lint has already reported.
  addFormatChecks(ajv, formats)
  for (const format of formats) if (!ajv.formats[format]) ajv.addFormat(format, true)
}

/**
 * Every other check, on the schema with each subschema that fails the meta-schema set aside (the
 * smallest one around each fault, read as `{}`): one typo'd "type" does not hide a default outside
 * its enum two properties away. Findings inside a set-aside subschema are not reported; they would
 * be about a schema that is not 2020-12. Nothing, when the fault is the root's own.
 */
function checkAroundMetaErrors(schema: SchemaObject, pointer: string, isInput: boolean, sharedAjv: () => Ajv2020, shapes: ShapeValidators): Problem[] {
  const copy = structuredClone(schema)
  const aside = new Set<string>()
  for (let round = 0; round < 8 && !validateMetaSchema(copy); round++) {
    const slots = new Set(listSubschemas(copy, '').map((sub) => sub.pointer))
    let moved = false
    for (const error of validateMetaSchema.errors ?? []) {
      const slot = schemaSlotOf(error.instancePath, slots)
      if (slot === '' || aside.has(slot)) continue
      const parts = splitPointer(slot)
      const key = parts.pop()!
      const holder = valueAt(
        copy,
        parts
          .map(escapePointer)
          .map((p) => `/${p}`)
          .join(''),
      )
      if (!holder || typeof holder !== 'object') continue
      ;(holder as Record<string, unknown>)[key] = {}
      aside.add(slot)
      moved = true
    }
    if (!moved) return []
  }
  if (!validateMetaSchema(copy)) return []
  const inside = (at: string) => [...aside].some((slot) => at === pointer + slot || at.startsWith(`${pointer}${slot}/`))
  return checkSchema(copy, pointer, isInput, sharedAjv, shapes).filter((p) => !inside(p.pointer))
}

/** The schema position around a meta-schema fault: the deepest subschema (or schema slot, such as a property) that holds it. */
function schemaSlotOf(instancePath: string, subschemas: ReadonlySet<string>): string {
  const parts = splitPointer(instancePath)
  for (let n = parts.length; n > 0; n--) {
    const at = parts.slice(0, n)
    const path = at.map((p) => `/${escapePointer(p)}`).join('')
    const keyword = at[n - 2]
    // A value under "properties" (or another map or list of schemas), or under "items" and its kind, is a schema's place.
    const slot = subschemas.has(path) || (keyword !== undefined && (SCHEMA_MAP_KEYWORDS.has(keyword) || SCHEMA_ARRAY_KEYWORDS.has(keyword))) || SCHEMA_KEYWORDS.has(at[n - 1]!)
    if (slot && !isKeywordValue(at)) return path
  }
  return ''
}

/** Whether the path ends at a keyword's own value inside a schema (`…/type`), not at a schema. */
function isKeywordValue(parts: readonly string[]): boolean {
  const last = parts.at(-1)
  const before = parts.at(-2)
  if (before !== undefined && (SCHEMA_MAP_KEYWORDS.has(before) || SCHEMA_ARRAY_KEYWORDS.has(before))) return false
  return last !== undefined && !SCHEMA_KEYWORDS.has(last)
}

/** One problem per location: the meta-schema's anyOf branches repeat the same fault several ways. */
function metaSchemaProblems(errors: ErrorObject[], pointer: string, schema: SchemaObject): Problem[] {
  const byPointer = new Map<string, ErrorObject>()
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue
    if (!byPointer.has(error.instancePath)) byPointer.set(error.instancePath, error)
  }
  return [...byPointer.values()].map((error) => ({
    severity: 'error',
    rule: 'meta-schema',
    pointer: pointer + error.instancePath,
    message: `${keywordAt(error.instancePath)} ${error.message ?? 'is invalid'}${describeParams(error)}${fileTypeHint(schema, error.instancePath)}${habitHint(schema, error.instancePath)}`,
  }))
}

/** `"type": "file"` (BentoML, Swagger 2) is no JSON Schema type: say how files are taken. */
function fileTypeHint(schema: SchemaObject, instancePath: string): string {
  if (!instancePath.endsWith('/type')) return ''
  const node = valueAt(schema, instancePath)
  const types = Array.isArray(node) ? node : [node]
  return types.includes('file') ? `; ${FILE_INPUTS}` : ''
}

/** Python's type names, as authors coming from pydantic type them. */
const PYTHON_TYPES: Record<string, string> = { int: 'integer', float: 'number', str: 'string', bool: 'boolean', dict: 'object', list: 'array' }

/** What authors carry over from Python, OpenAPI 2 and 3.0, said in 2020-12's words. */
function habitHint(schema: SchemaObject, instancePath: string): string {
  const value = valueAt(schema, instancePath)
  const keyword = instancePath.split('/').pop()
  if (keyword === 'type') {
    const named = (Array.isArray(value) ? value : [value]).find((t): t is string => typeof t === 'string' && Object.hasOwn(PYTHON_TYPES, t))
    if (named) return `; "${named}" is Python's name: JSON Schema's is "${PYTHON_TYPES[named]}"`
  }
  if (keyword === 'required' && typeof value === 'boolean') {
    const parts = splitPointer(instancePath)
    const name = parts.at(-2)
    return parts.at(-3) === 'properties' && name !== undefined ? `; list the name in the object's own "required" array instead: "required": [${JSON.stringify(name)}]` : ''
  }
  if ((keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') && typeof value === 'boolean') {
    const inclusive = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'
    const around = valueAt(schema, instancePath.slice(0, instancePath.lastIndexOf('/')))
    const bound = around && typeof around === 'object' ? (around as SchemaObject)[inclusive] : undefined
    return `; in 2020-12 "${keyword}" is the bound itself${typeof bound === 'number' && value ? `: write "${keyword}": ${bound} in place of "${inclusive}": ${bound}` : ''}`
  }
  return ''
}

function keywordAt(pointer: string): string {
  return pointer === '' ? 'the schema' : `"${pointer.split('/').pop()}"`
}

function describeParams(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  return ''
}

/** An ajv like the strict one, with its formats, that compiles what strict mode refuses. */
function createLenientAjv(strict: Ajv2020): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    validateFormats: true,
    validateSchema: false,
    meta: false,
    logger: false,
    ownProperties: true,
    code: { optimize: false, regExp: schemaRegExp },
  })
  for (const [name, format] of Object.entries(strict.formats)) ajv.addFormat(name, format as Parameters<Ajv2020['addFormat']>[1])
  linearUniqueItems(ajv)
  return ajv
}

export function createAjv(): Ajv2020 {
  // No meta-schemas: the precompiled validator has already checked each schema against its own.
  // No code optimization: the validators check a few defaults and examples; compiling them is the cost.
  // Own properties only: a property named "constructor" or "toString" is not present because every object inherits one.
  // A property that a patternProperties entry matches too is 2020-12 as written: both apply.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    allowMatchingProperties: true,
    validateFormats: true,
    validateSchema: false,
    meta: false,
    ownProperties: true,
    code: { optimize: false, regExp: schemaRegExp },
  })
  // A 2020-12 keyword that ajv resolves references by but does not list; strict mode would reject it.
  ajv.addKeyword({ keyword: '$anchor' })
  linearUniqueItems(ajv)
  return ajv
}
