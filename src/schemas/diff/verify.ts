import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { linearUniqueItems } from '../canonical.js'
import { addFormatChecks } from '../formats.js'
import { schemaRegExp } from '../regexp.js'
import { guardProto, isObject, setMember, subschemas, type SchemaObject } from '../walk.js'

/** Above this many properties, a root is compiled with only the properties a value has. */
const PRUNE_ABOVE = 64
/** How many properties a pruned root is compiled with at most, besides the ones every value holds. */
const GROUP_SIZE = 64

/** Keywords that assert nothing: dropped before compiling, so that properties alike but for them share a validator. */
const INERT = new Set(['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'nullable'])

/**
 * Checks whole values against one whole schema, as a validator would: every counterexample is
 * confirmed this way before it is shown. `nullable` (OpenAPI 3.0) is dropped first, since 2020-12
 * ignores it and ajv would honour it.
 *
 * A validator of thousands of properties is one function too large for the stack, and compiling
 * it is the cost, so a large root is compiled with only the properties the values hold: that
 * accepts exactly what the whole root accepts for those values. The names a run will meet are
 * announced first and compiled in groups; each property goes through a `$ref`, so that ajv gives
 * it a function of its own, shared by properties of the same shape.
 */
export class Checker {
  readonly #schema: SchemaObject
  readonly #properties: SchemaObject | undefined
  readonly #validators = new Map<string, ValidateFunction | null>()
  readonly #groupOf = new Map<string, number>()
  readonly #groups: string[][] = []
  readonly #always = new Set<string>()
  #ajv: Ajv2020 | undefined

  constructor(schema: SchemaObject) {
    this.#schema = schema
    const many = isObject(schema.properties) && Object.keys(schema.properties).length > PRUNE_ABOVE
    this.#properties = many ? (schema.properties as SchemaObject) : undefined
  }

  /** Names the values to check will hold, besides `always` (which any value may hold). */
  expect(names: Iterable<string>, always: Iterable<string>): void {
    const properties = this.#properties
    if (!properties) return
    for (const name of always) if (Object.hasOwn(properties, name)) this.#always.add(name)
    for (const name of names) {
      if (!Object.hasOwn(properties, name) || this.#groupOf.has(name) || this.#always.has(name)) continue
      if (this.#groups.length === 0 || this.#groups.at(-1)!.length >= GROUP_SIZE) this.#groups.push([])
      this.#groups.at(-1)!.push(name)
      this.#groupOf.set(name, this.#groups.length - 1)
    }
  }

  /** Whether the schema accepts `value`; undefined when the schema cannot be compiled here (e.g. a remote $ref). */
  accepts(value: unknown): boolean | undefined {
    const properties = this.#properties
    let names: string[] | undefined
    let key = '*'
    if (properties) {
      // A value that is no object has no properties: the root is compiled with none.
      names = isObject(value) ? Object.keys(value).filter((name) => Object.hasOwn(properties, name) && !this.#always.has(name)) : []
      const groups = new Set(names.map((n) => this.#groupOf.get(n) ?? -1))
      const group = groups.size === 0 ? 0 : groups.size === 1 ? [...groups][0]! : -1
      if (group >= 0) {
        names = [...this.#always, ...(this.#groups[group] ?? [])]
        key = `group ${group}`
      } else {
        names = [...this.#always, ...names.sort()]
        key = names.join('\u0000')
      }
    }
    let validate = this.#validators.get(key)
    if (validate === undefined) {
      validate = this.#compile((names && pruned(this.#schema, properties!, names)) || prepared(this.#schema).copy)
      this.#validators.set(key, validate)
    }
    return validate ? validate(value) : undefined
  }

  #compile(schema: SchemaObject): ValidateFunction | null {
    // Two compiled variants of a root with an $id would clash in one ajv.
    const ajv = '$id' in schema ? createAjv() : (this.#ajv ??= createAjv())
    try {
      return ajv.compile(schema)
    } catch {
      return null
    }
  }
}

/**
 * The root with only the named properties, each through a `$ref` to one definition per shape;
 * undefined when a reference points into the root's own "properties", which would not survive.
 */
function pruned(schema: SchemaObject, properties: SchemaObject, names: readonly string[]): SchemaObject | undefined {
  const { properties: _dropped, $defs, ...rest } = schema
  const parts: Array<{ copy: unknown; intoProperties: boolean }> = [
    prepared(rest),
    ...(isObject($defs) ? Object.values($defs).map((d) => (isObject(d) ? prepared(d) : { copy: d, intoProperties: false })) : []),
  ]
  const defs: SchemaObject = isObject($defs) ? Object.fromEntries(Object.keys($defs).map((k, i) => [k, parts[i + 1]!.copy])) : {}
  const shapes = new Map<string, string>()
  const kept: SchemaObject = {}
  for (const name of names) {
    const part = isObject(properties[name]) ? prepared(properties[name]) : { copy: properties[name], intoProperties: false }
    parts.push(part)
    const text = JSON.stringify(part.copy)
    let key = shapes.get(text)
    if (key === undefined) {
      key = `wriftai-shape-${shapes.size}`
      shapes.set(text, key)
      defs[key] = part.copy
    }
    setMember(kept, name, { $ref: `#/$defs/${key}` })
  }
  if (parts.some((p) => p.intoProperties)) return undefined
  const root = { ...(parts[0]!.copy as SchemaObject), properties: kept, $defs: defs }
  guardProto(root)
  return root
}

/**
 * A copy without the keywords that assert nothing (`nullable` among them: 2020-12 ignores it),
 * and whether a reference in it points into the root's "properties".
 */
function prepared<T>(schema: T & SchemaObject): { copy: T & SchemaObject; intoProperties: boolean } {
  const copy = structuredClone(schema)
  let intoProperties = false
  for (const { schema: sub } of subschemas(copy, '')) {
    for (const key of Object.keys(sub)) if (INERT.has(key) || key.startsWith('x-')) delete sub[key]
    if (typeof sub.$ref === 'string' && sub.$ref.startsWith('#/properties')) intoProperties = true
    guardProto(sub)
  }
  return { copy, intoProperties }
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    logger: false,
    ownProperties: true,
    validateFormats: true,
    validateSchema: false,
    inlineRefs: false,
    code: { optimize: false, regExp: schemaRegExp },
  })
  addFormatChecks(ajv)
  linearUniqueItems(ajv)
  return ajv
}
