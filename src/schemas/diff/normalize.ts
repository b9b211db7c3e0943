import { escapePointer } from '../document.js'
import { documentResources, DOCUMENT_URI, resolveReference, type Resources } from '../references.js'
import { isObject, type SchemaObject } from '../walk.js'

/**
 * A subschema as the comparison reads it: references followed, spelling differences that accept
 * the same values folded away, and for each keyword the pointer of the place that holds it.
 */
export interface View {
  schema: SchemaObject
  /** Pointer of the schema object itself, in its document. */
  pointer: string
  /** Where each keyword of `schema` is written, for keywords that came from elsewhere (a $ref target, an allOf member). */
  at: Record<string, string>
  /** The schema accepts no value at all (`false`, or an empty enum). */
  never: boolean
  /** Where null was allowed, when it came from an anyOf/oneOf branch `{"type": "null"}`. */
  nullAt?: string
}

/** A schema document and the pointer of its root, against which its references resolve. */
export interface Root {
  schema: SchemaObject
  pointer: string
  /** Its `$id`s, anchors and base URIs, read as the lint reads them; found when first needed. */
  resources?: Resources
}

export function makeRoot(schema: SchemaObject, pointer: string): Root {
  return { schema, pointer }
}

const NUMERIC_TYPES = new Set(['integer', 'number'])
export const JSON_TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string'] as const

/** The JSON type of a value; integers are "integer". */
export function typeOfValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/**
 * The schema a `$ref` written in `from` points at, with its pointer in the document; undefined
 * when it does not resolve here. The base URI is `from`'s, through every `$id` around it.
 */
export function follow(ref: string, root: Root, from?: SchemaObject): { node: unknown; pointer: string } | undefined {
  const resources = (root.resources ??= documentResources(root.schema, root.pointer))
  const base = (from && resources.baseOf.get(from)) ?? resources.baseOf.get(root.schema) ?? DOCUMENT_URI
  const resolution = resolveReference(ref, base, resources)
  return resolution.found ? { node: resolution.node, pointer: resolution.pointer } : undefined
}

/** Keywords that say something about a value; the others are annotations. */
const ANNOTATION_KEYWORDS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  '$schema',
  '$id',
  '$anchor',
  '$defs',
  'definitions',
  'nullable',
  'example',
  'discriminator',
])

export function isAnnotation(keyword: string): boolean {
  return ANNOTATION_KEYWORDS.has(keyword) || keyword.startsWith('x-')
}

/**
 * Reads `node` (at `pointer`) as the comparison sees it:
 * - `$ref` is followed (JSON pointers and `$anchor`s, against the base URI its `$id`s set), its siblings applying too;
 * - `allOf` members whose keywords do not clash are folded into the schema (pydantic v1's
 *   `{"allOf": [{"$ref": …}]}` wrapper reads as the definition);
 * - an `anyOf`/`oneOf` of one schema and `{"type": "null"}` reads as that schema with "null" added
 *   to its type (pydantic v2's Optional), and one of bare types as a type list;
 * - `const` is a one-member `enum`; an `enum` limits `type` to its members' types and loses the
 *   members that `type` excludes;
 * - `exclusiveMinimum`/`minimum` (and the maxima) become one bound each.
 */
export function view(node: unknown, pointer: string, root: Root, depth = 0): View {
  const result: View = { schema: {}, pointer, at: {}, never: node === false }
  if (!isObject(node) || depth > 32) return result
  merge(result, node, pointer, root, depth)
  fold(result, root, depth)
  return result
}

function merge(target: View, node: SchemaObject, pointer: string, root: Root, depth: number): void {
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === '$ref' && typeof value === 'string') {
      const resolved = follow(value, root, node)
      if (resolved && isObject(resolved.node) && depth < 32) merge(target, resolved.node, resolved.pointer, root, depth + 1)
      else if (resolved && resolved.node === false) target.never = true
      else put(target, keyword, value, `${pointer}/$ref`)
      continue
    }
    if (keyword === 'allOf' && Array.isArray(value)) {
      const kept: unknown[] = []
      value.forEach((member, i) => {
        const memberPointer = `${pointer}/allOf/${i}`
        const member_ = isObject(member) ? view(member, memberPointer, root, depth + 1) : undefined
        if (member === true || (member_ && Object.keys(member_.schema).length === 0 && !member_.never)) return
        if (member_ && !member_.never && foldable(member_.schema, target.schema, node)) {
          // The wrapper's own annotations (pydantic's title and description beside the $ref) win over the target's.
          for (const [k, v] of Object.entries(member_.schema)) if (!isAnnotation(k) || !(k in node || k in target.schema)) put(target, k, v, member_.at[k]!)
        } else kept.push(member)
      })
      if (kept.length > 0) put(target, 'allOf', kept, `${pointer}/allOf`)
      continue
    }
    if (keyword in target.schema && !same(target.schema[keyword], value) && !isAnnotation(keyword)) {
      // Both a reference target and its siblings constrain this keyword; keep both through allOf.
      const both = [...((target.schema.allOf as unknown[] | undefined) ?? []), { [keyword]: value }]
      put(target, 'allOf', both, `${pointer}/${escapePointer(keyword)}`)
      continue
    }
    put(target, keyword, value, `${pointer}/${escapePointer(keyword)}`)
  }
}

/** Whether a member's assertions can join the schema's: no keyword that both assert differs. Annotations never clash. */
function foldable(member: SchemaObject, target: SchemaObject, node: SchemaObject): boolean {
  return Object.keys(member).every((k) => isAnnotation(k) || (!(k in target) && !(k in node)) || same(target[k], member[k]))
}

/** Sets a keyword of the view and remembers the pointer of the place that wrote it. */
function put(target: View, keyword: string, value: unknown, at: string): void {
  target.schema[keyword] = value
  target.at[keyword] = at
}

function fold(v: View, root: Root, depth: number): void {
  const s = v.schema
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = s[keyword]
    if (Array.isArray(branches) && branches.length === 1 && (isObject(branches[0]) || branches[0] === true)) {
      // One branch is that branch: it reads as an allOf member would.
      const inner = view(branches[0], `${v.at[keyword]}/0`, root, depth + 1)
      const { [keyword]: _one, ...rest } = s
      if (inner.never || !foldable(inner.schema, rest, {})) continue
      delete s[keyword]
      for (const [k, value] of Object.entries(inner.schema)) if (!isAnnotation(k) || !(k in s)) put(v, k, value, inner.at[k]!)
      if (inner.nullAt) v.nullAt = inner.nullAt
      continue
    }
    if (!Array.isArray(branches) || 'type' in s || 'enum' in s || 'const' in s) continue
    const isNull = (b: unknown) =>
      isObject(b) && Object.keys(b).filter((k) => !isAnnotation(k)).length === 1 && (b.type === 'null' || (Array.isArray(b.type) && b.type.length === 1 && b.type[0] === 'null'))
    const others = branches.filter((b) => !isNull(b))
    const bareTypes = others.every((b) => isObject(b) && Object.keys(b).every((k) => k === 'type' || isAnnotation(k)) && typeof b.type === 'string')
    if (others.length === branches.length && !bareTypes) continue
    const types = bareTypes ? others.map((b) => (b as SchemaObject).type as string) : []
    // oneOf fails a value that two branches match: "number" and "integer" overlap.
    if (keyword === 'oneOf' && ((types.includes('number') && types.includes('integer')) || new Set(types).size < types.length)) continue
    if (bareTypes && others.length > 0) {
      if (others.length < branches.length) types.push('null')
      s.type = [...new Set(types)]
      v.at.type = v.at[keyword]!
      delete s[keyword]
      continue
    }
    if (others.length !== 1 || !isObject(others[0])) continue
    const index = branches.indexOf(others[0])
    const inner = view(others[0], `${v.at[keyword]}/${index}`, root, depth + 1)
    if (inner.never || Object.keys(inner.schema).some((k) => k in s && !isAnnotation(k))) continue
    delete s[keyword]
    for (const [k, value] of Object.entries(inner.schema)) if (!(k in s)) put(v, k, value, inner.at[k]!)
    s.type = addNull(s.type)
    if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null]
    v.nullAt = `${v.at[keyword] ?? v.pointer}/${branches.findIndex((b) => b !== others[0])}`
  }
  if ('const' in s) {
    s.enum = Array.isArray(s.enum) ? s.enum.filter((m) => same(m, s.const)) : [s.const]
    v.at.enum = v.at.const!
    delete s.const
  }
  if (Array.isArray(s.enum)) {
    const types = typesOf(s)
    const members = types ? s.enum.filter((m) => admits(types, typeOfValue(m))) : s.enum
    s.enum = members
    s.type = [...new Set(members.map(typeOfValue))]
    if (!v.at.type) v.at.type = v.at.enum!
    if (members.length === 0) v.never = true
  }
  if (typeof s.type === 'string') s.type = [s.type]
  for (const [exclusive, inclusive] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof s[exclusive] !== 'number') continue
    const lower = exclusive === 'exclusiveMinimum'
    const e = s[exclusive]
    const i = s[inclusive]
    // The tighter of the two bounds is the one that counts.
    if (typeof i !== 'number' || (lower ? e >= i : e <= i)) {
      delete s[inclusive]
      if (v.at[exclusive]) v.at[inclusive] = v.at[exclusive]
    } else {
      delete s[exclusive]
    }
  }
}

function addNull(type: unknown): string[] | undefined {
  if (type === undefined) return undefined
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? (type as string[]) : []
  return types.includes('null') ? types : [...types, 'null']
}

/** The types a schema allows, or undefined when it does not limit them. */
export function typesOf(schema: SchemaObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type]
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string')
  return undefined
}

/** Whether values of type `t` pass a `type` of `types` (undefined: any); "number" includes integers. */
export function admits(types: readonly string[] | undefined, t: string): boolean {
  return !types || types.includes(t) || (t === 'integer' && types.includes('number'))
}

export function isNumeric(t: string): boolean {
  return NUMERIC_TYPES.has(t)
}

export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => same(x, (b as unknown[])[i]))
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same((a as SchemaObject)[k], (b as SchemaObject)[k]))
}
