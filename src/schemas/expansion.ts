import { splitPointer } from './document.js'
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './keywords.js'
import { isObject, type SchemaObject } from './walk.js'

/**
 * The most subschema visits beyond the document's own size that checking one value may cost: a
 * document of a million subschemas without references is linear to check, and is checked.
 */
export const EXPANSION_BUDGET = 100_000

/** Map keywords whose members are applied to a value; "$defs" only holds what references reach. */
const APPLIED_MAPS = new Set([...SCHEMA_MAP_KEYWORDS].filter((keyword) => keyword !== '$defs' && keyword !== 'definitions'))

/**
 * An upper estimate of how many subschemas a validator such as ajv visits for one value: a
 * reference is expanded every time it is written, not once, as ajv's generated code calls it. Ten
 * definitions that each refer twice to the next cost 2^10; four kilobytes of them cost more than
 * any run can pay. A reference back to a schema still being expanded counts once: the recursion of
 * a recursive schema is bounded by the value's own depth.
 */
export class Expansion {
  readonly #root: SchemaObject
  /** Past this, `cost` stops counting: the document's size plus EXPANSION_BUDGET. */
  readonly budget: number
  readonly #costs = new Map<SchemaObject, number>()
  readonly #open = new Set<SchemaObject>()
  #ids: Map<string, SchemaObject> | undefined
  #anchors: Map<string, SchemaObject> | undefined

  constructor(root: SchemaObject, subschemas: number) {
    this.#root = root
    this.budget = EXPANSION_BUDGET + subschemas
  }

  /** Whether checking one value at `schema` would cost more than the budget. */
  exceeds(schema: SchemaObject): boolean {
    return this.cost(schema) > this.budget
  }

  /** Subschema visits for one value at `schema`, capped just past the budget. */
  cost(schema: SchemaObject, depth = 0): number {
    const known = this.#costs.get(schema)
    if (known !== undefined) return known
    if (this.#open.has(schema)) return 1
    if (depth > 2_000) return this.budget + 1
    this.#open.add(schema)
    let total = 1
    for (const child of this.#children(schema)) {
      total += this.cost(child, depth + 1)
      if (total > this.budget) {
        total = this.budget + 1
        break
      }
    }
    this.#open.delete(schema)
    this.#costs.set(schema, total)
    return total
  }

  *#children(schema: SchemaObject): Generator<SchemaObject> {
    for (const [keyword, value] of Object.entries(schema)) {
      if (SCHEMA_KEYWORDS.has(keyword) && isObject(value)) {
        yield value
      } else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) {
        yield* value.filter(isObject)
      } else if (APPLIED_MAPS.has(keyword) && isObject(value)) {
        yield* Object.values(value).filter(isObject)
      } else if ((keyword === '$ref' || keyword === '$dynamicRef') && typeof value === 'string') {
        const target = this.#resolve(value)
        if (target) yield target
      }
    }
  }

  /** A reference's target in this document: a JSON pointer or anchor, from the root or from a subschema's `$id`. */
  #resolve(ref: string): SchemaObject | undefined {
    const hash = ref.indexOf('#')
    const base = hash < 0 ? ref : ref.slice(0, hash)
    const fragment = hash < 0 ? '' : safeDecode(ref.slice(hash + 1))
    const start = base === '' ? this.#root : this.#idsOf().get(base)
    if (!start) return undefined
    if (fragment !== '' && !fragment.startsWith('/')) return this.#anchorsOf().get(fragment)
    let node: unknown = start
    for (const segment of splitPointer(fragment)) {
      if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment]
      else if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)]
      else return undefined
    }
    return isObject(node) ? node : undefined
  }

  #idsOf(): Map<string, SchemaObject> {
    if (!this.#ids) this.#index()
    return this.#ids!
  }

  #anchorsOf(): Map<string, SchemaObject> {
    if (!this.#anchors) this.#index()
    return this.#anchors!
  }

  /** Every `$id` (as written, and its last path segment) and anchor in the document, found on the first reference that needs them. */
  #index(): void {
    this.#ids = new Map()
    this.#anchors = new Map()
    const stack: unknown[] = [this.#root]
    while (stack.length > 0) {
      const node = stack.pop()
      if (!isObject(node) && !Array.isArray(node)) continue
      if (isObject(node)) {
        if (typeof node.$id === 'string') {
          this.#ids.set(node.$id, node)
          this.#ids.set(node.$id.replace(/^.*\//, ''), node)
        }
        for (const keyword of ['$anchor', '$dynamicAnchor']) if (typeof node[keyword] === 'string') this.#anchors.set(node[keyword] as string, node)
      }
      for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push(child)
    }
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
