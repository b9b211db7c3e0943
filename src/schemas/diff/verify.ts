import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import { isObject, subschemas, type SchemaObject } from '../walk.js'

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020

/** Above this many properties, a root is compiled with only the properties a value has. */
const PRUNE_ABOVE = 64

/**
 * Checks whole values against one whole schema, as a validator would: every counterexample is
 * confirmed this way before it is shown. `nullable` (OpenAPI 3.0) is dropped first, since 2020-12
 * ignores it and ajv would honour it.
 */
export class Checker {
  readonly #schema: SchemaObject
  readonly #validators = new Map<string, ValidateFunction | null>()
  readonly #prune: boolean

  constructor(schema: SchemaObject) {
    this.#schema = withoutNullable(schema)
    this.#prune = isObject(this.#schema.properties) && Object.keys(this.#schema.properties).length > PRUNE_ABOVE
  }

  /** Whether the schema accepts `value`; undefined when the schema cannot be compiled here (e.g. a remote $ref). */
  accepts(value: unknown): boolean | undefined {
    const names = this.#prune && isObject(value) ? Object.keys(value).sort() : undefined
    const key = names ? JSON.stringify(names) : ''
    let validate = this.#validators.get(key)
    if (validate === undefined) {
      validate = compile(names ? pruned(this.#schema, names) : this.#schema)
      this.#validators.set(key, validate)
    }
    return validate ? validate(value) : undefined
  }
}

function compile(schema: SchemaObject): ValidateFunction | null {
  // A fresh ajv each time: two versions of one schema may share an $id.
  const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false, ownProperties: true, validateFormats: true, validateSchema: false, code: { optimize: false } })
  addFormats(ajv)
  try {
    return ajv.compile(schema)
  } catch {
    return null
  }
}

/**
 * The root with only the named properties: `properties` only ever applies to the names a value
 * has, so this accepts exactly what the whole root accepts for values with those names.
 */
function pruned(schema: SchemaObject, names: string[]): SchemaObject {
  const properties = schema.properties as SchemaObject
  return { ...schema, properties: Object.fromEntries(names.filter((n) => Object.hasOwn(properties, n)).map((n) => [n, properties[n]])) }
}

function withoutNullable(schema: SchemaObject): SchemaObject {
  const copy = structuredClone(schema)
  for (const { schema: sub } of subschemas(copy, '')) delete sub.nullable
  return copy
}
