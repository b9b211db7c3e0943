// The fuzz's schema rewrites, its own: generator-style wrappers (how Cog, pydantic v1 and v2, the
// Go generator and fal write a property), neutral rewrites that accept exactly the same values,
// and narrowings and widenings of one keyword. Each change says what it did and which values at
// which place may tell the two versions apart (hints): the oracle still decides with ajv.
import { ABSENT, type Json, type Random, type ValuePath } from './oracle.ts'

export type Schema = { [key: string]: unknown }
export type Direction = 'narrow' | 'widen' | 'neutral' | 'remove'

export interface Change {
  name: string
  direction: Direction
  path: ValuePath
  hints: Array<Json | typeof ABSENT>
  /** A member of the value at `path` that the hints are for. */
  sub?: string
}

const isObject = (x: unknown): x is Schema => x !== null && typeof x === 'object' && !Array.isArray(x)

/** The schema resource a `$ref` lands in and the schema it names: JSON pointers from the resource, or another resource by its `$id`. */
function resolve(root: Schema, resource: Schema, ref: string): { resource: Schema; node: Schema } | undefined {
  const hash = ref.indexOf('#')
  const uri = hash < 0 ? ref : ref.slice(0, hash)
  const fragment = hash < 0 ? '' : ref.slice(hash + 1)
  let base = resource
  if (uri !== '') {
    const found = findId(root, uri)
    if (!found) return undefined
    base = found
  }
  let node: unknown = base
  for (const raw of fragment === '' ? [] : fragment.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined
    node = node[key]
  }
  return isObject(node) ? { resource: base, node } : undefined
}

function findId(node: unknown, id: string): Schema | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findId(item, id)
      if (found) return found
    }
  }
  if (!isObject(node)) return undefined
  if (node.$id === id) return node
  for (const value of Object.values(node)) {
    const found = findId(value, id)
    if (found) return found
  }
  return undefined
}

/** The schema object that holds a property's assertions, through the wrappers generators write, and the resource it is in. */
function core(root: Schema, node: Schema, resource: Schema = root, depth = 0): { node: Schema; resource: Schema } {
  const here = typeof node.$id === 'string' ? node : resource
  if (depth > 6) return { node, resource: here }
  if (typeof node.$ref === 'string') {
    const target = resolve(root, here, node.$ref)
    if (target) return core(root, target.node, target.resource, depth + 1)
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[keyword]
    if (!Array.isArray(list)) continue
    const real = list.filter((b) => !(isObject(b) && b.type === 'null' && Object.keys(b).length === 1))
    if (real.length === 1 && isObject(real[0])) return core(root, real[0], here, depth + 1)
  }
  return { node, resource: here }
}

export interface Site {
  path: ValuePath
  /** The object written under "properties" (or "items"), wrappers and all. */
  holder: Schema
  key: string
  /** The object that holds the assertions. */
  node: Schema
}

/** Every property and array item reachable from the root, each shared schema once. */
export function sites(root: Schema): Site[] {
  const out: Site[] = []
  const seen = new Set<Schema>()
  const visit = (node: Schema, path: ValuePath, depth: number, resource: Schema) => {
    if (depth > 5) return
    const c = core(root, node, resource)
    if (seen.has(c.node)) return
    seen.add(c.node)
    const here = typeof c.node.$id === 'string' ? c.node : c.resource
    if (isObject(c.node.properties)) {
      for (const [name, sub] of Object.entries(c.node.properties)) {
        if (!isObject(sub)) continue
        out.push({ path: [...path, name], holder: c.node.properties, key: name, node: core(root, sub, here).node })
        visit(sub, [...path, name], depth + 1, here)
      }
    }
    if (isObject(c.node.items)) {
      out.push({ path: [...path, '*'], holder: c.node, key: 'items', node: core(root, c.node.items, here).node })
      visit(c.node.items, [...path, '*'], depth + 1, here)
    }
  }
  out.push({ path: [], holder: { root }, key: 'root', node: root })
  visit(root, [], 0, root)
  return out
}

const types = (s: Schema): string[] => (typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : [])
const numeric = (s: Schema) => types(s).some((t) => t === 'integer' || t === 'number')
const isString = (s: Schema) => types(s).includes('string') && !Array.isArray(s.enum)
const isArray = (s: Schema) => types(s).includes('array') || 'items' in s
const isObjectSchema = (s: Schema) => types(s).includes('object') || isObject(s.properties)

type Operator = (site: Site, random: Random) => Omit<Change, 'path'> | undefined

/** Changes of one keyword; each returns undefined where it does not apply. */
export const OPERATORS: Record<string, Operator> = {
  'enum-remove': ({ node }, r) => {
    if (!Array.isArray(node.enum) || node.enum.length < 2) return undefined
    const gone = r.pick(node.enum)
    node.enum = node.enum.filter((m) => m !== gone)
    if (node.default === gone) delete node.default
    return { name: 'enum-remove', direction: 'narrow', hints: [gone as Json] }
  },
  'enum-add': ({ node }) => {
    if (!Array.isArray(node.enum) || !node.enum.every((m) => typeof m === 'string')) return undefined
    node.enum = [...node.enum, 'zz_new']
    return { name: 'enum-add', direction: 'widen', hints: ['zz_new'] }
  },
  'enum-added': ({ node }) => {
    if (!isString(node)) return undefined
    const kept = typeof node.format === 'string' ? (node.format === 'uri' ? ['https://cdn.example.org/out/0.png'] : []) : ['x', 'Hello']
    if (kept.length === 0) return undefined
    node.enum = kept
    if ('default' in node && !kept.includes(node.default as string)) delete node.default
    return { name: 'enum-added', direction: 'narrow', hints: ['http://x.org/', 'abc123', 'a cat in a hat'] }
  },
  'enum-dropped': ({ node }) => {
    if (!Array.isArray(node.enum) || !types(node).includes('string')) return undefined
    delete node.enum
    return { name: 'enum-dropped', direction: 'widen', hints: ['zz_other', 'http://x.org/'] }
  },
  'maximum-lowered': ({ node }, r) => {
    if (!numeric(node) || typeof node.maximum !== 'number') return undefined
    const old = node.maximum
    const low = typeof node.minimum === 'number' ? node.minimum : old - 10
    node.maximum = Math.max(low, old - r.pick([1, 0.5, 3]))
    if (typeof node.default === 'number' && node.default > (node.maximum as number)) delete node.default
    return { name: 'maximum-lowered', direction: 'narrow', hints: [old, old - 0.25, old - 1] }
  },
  'maximum-added': ({ node }) => {
    if (!numeric(node) || 'maximum' in node || 'exclusiveMaximum' in node) return undefined
    const lo = typeof node.minimum === 'number' ? node.minimum : 0
    node.maximum = lo + 10
    if (typeof node.default === 'number' && node.default > (node.maximum as number)) delete node.default
    return { name: 'maximum-added', direction: 'narrow', hints: [lo + 11, 1e6, lo + 10.5] }
  },
  'minimum-raised': ({ node }) => {
    if (!numeric(node) || typeof node.minimum !== 'number') return undefined
    const old = node.minimum
    node.minimum = old + 1
    if (typeof node.maximum === 'number' && node.maximum < (node.minimum as number)) node.maximum = node.minimum
    if (typeof node.default === 'number' && node.default < (node.minimum as number)) delete node.default
    return { name: 'minimum-raised', direction: 'narrow', hints: [old, old + 0.5] }
  },
  'maximum-raised': ({ node }) => {
    if (!numeric(node) || typeof node.maximum !== 'number') return undefined
    const old = node.maximum
    node.maximum = old + 5
    return { name: 'maximum-raised', direction: 'widen', hints: [old + 1, old + 5] }
  },
  'maximum-to-exclusive': ({ node }) => {
    if (!numeric(node) || typeof node.maximum !== 'number') return undefined
    node.exclusiveMaximum = node.maximum
    const old = node.maximum
    delete node.maximum
    if (node.default === old) delete node.default
    return { name: 'maximum-to-exclusive', direction: 'narrow', hints: [old] }
  },
  'multiple-of-coarser': ({ node }, r) => {
    if (!numeric(node)) return undefined
    const old = typeof node.multipleOf === 'number' ? node.multipleOf : undefined
    const integer = types(node).includes('integer') && !types(node).includes('number')
    node.multipleOf = old !== undefined ? old * 2 : integer ? r.pick([2, 10]) : r.pick([0.5, 0.25, 10])
    const lo = typeof node.minimum === 'number' ? node.minimum : 0
    const hints: Json[] = []
    for (let k = 0; k < 8; k++) hints.push(Math.ceil(lo / (old ?? 1)) * (old ?? 1) + (old ?? 1) * k)
    if (old === undefined) hints.push(lo + 0.25, lo + 0.1, lo + 1, lo + 3)
    if (typeof node.default === 'number') delete node.default
    return { name: 'multiple-of-coarser', direction: 'narrow', hints }
  },
  'integer-only': ({ node }) => {
    if (!types(node).includes('number')) return undefined
    node.type = types(node).map((t) => (t === 'number' ? 'integer' : t))
    if (typeof node.default === 'number' && !Number.isInteger(node.default)) delete node.default
    return { name: 'integer-only', direction: 'narrow', hints: [0.5, 1.5, 7.25] }
  },
  'integer-to-number': ({ node }) => {
    if (!types(node).includes('integer')) return undefined
    node.type = types(node).map((t) => (t === 'integer' ? 'number' : t))
    return { name: 'integer-to-number', direction: 'widen', hints: [0.5, 1.5] }
  },
  'max-length': ({ node }) => {
    if (!isString(node)) return undefined
    const old = typeof node.maxLength === 'number' ? node.maxLength : undefined
    node.maxLength = old !== undefined ? Math.max(0, old - 2) : 8
    if (typeof node.minLength === 'number' && node.minLength > (node.maxLength as number)) node.minLength = node.maxLength
    delete node.default
    return { name: 'max-length', direction: 'narrow', hints: ['a'.repeat((node.maxLength as number) + 1), 'a cat in a hat'] }
  },
  'min-length': ({ node }) => {
    if (!isString(node)) return undefined
    const old = typeof node.minLength === 'number' ? node.minLength : 0
    node.minLength = old + 3
    delete node.default
    return { name: 'min-length', direction: 'narrow', hints: ['', 'a'.repeat(old), 'x'] }
  },
  'pattern-added': ({ node }, r) => {
    if (!isString(node) || 'pattern' in node) return undefined
    node.pattern = r.pick(['^https://', '^[^<>]*$', '[a-z]', '^[a-z0-9_]+$'])
    delete node.default
    return { name: 'pattern-added', direction: 'narrow', hints: ['http://x.org/', '<x>', 'HTTPS://EXAM', 'ABC', ''] }
  },
  'pattern-removed': ({ node }) => {
    if (typeof node.pattern !== 'string') return undefined
    delete node.pattern
    return { name: 'pattern-removed', direction: 'widen', hints: ['http://x.org/', '<x>', 'HTTPS://EXAM', 'ABC', ''] }
  },
  'format-added': ({ node }, r) => {
    if (!isString(node) || 'format' in node || 'pattern' in node) return undefined
    node.format = r.pick(['uri', 'date-time', 'email'])
    delete node.default
    return { name: 'format-added', direction: 'narrow', hints: ['x', 'a cat in a hat'] }
  },
  'format-removed': ({ node }) => {
    if (typeof node.format !== 'string') return undefined
    delete node.format
    return { name: 'format-removed', direction: 'widen', hints: ['not a uri at all', 'x'] }
  },
  'null-dropped': ({ node }) => {
    if (!types(node).includes('null') || types(node).length < 2) return undefined
    node.type = types(node).filter((t) => t !== 'null')
    if (Array.isArray(node.enum)) node.enum = node.enum.filter((m) => m !== null)
    if (node.default === null) delete node.default
    return { name: 'null-dropped', direction: 'narrow', hints: [null] }
  },
  'required-added': ({ node }, r) => {
    if (!isObject(node.properties)) return undefined
    const required = Array.isArray(node.required) ? node.required : []
    const optional = Object.keys(node.properties).filter((n) => !required.includes(n))
    if (optional.length === 0) return undefined
    const name = r.pick(optional)
    node.required = [...required, name]
    return { name: 'required-added', direction: 'narrow', hints: [ABSENT], sub: name }
  },
  'property-removed': ({ node }, r) => {
    if (!isObject(node.properties)) return undefined
    const required = Array.isArray(node.required) ? node.required : []
    const names = Object.keys(node.properties).filter((n) => !required.includes(n))
    if (names.length === 0) return undefined
    delete node.properties[r.pick(names)]
    return { name: 'property-removed', direction: 'remove', hints: [] }
  },
  closed: ({ node }) => {
    if (!isObjectSchema(node) || 'additionalProperties' in node) return undefined
    node.additionalProperties = false
    return { name: 'closed', direction: 'narrow', hints: [] }
  },
  'property-names': ({ node }) => {
    if (!isObjectSchema(node) || 'propertyNames' in node) return undefined
    const longest = Math.max(1, ...Object.keys(isObject(node.properties) ? node.properties : {}).map((n) => n.length))
    node.propertyNames = { maxLength: longest }
    return { name: 'property-names', direction: 'narrow', hints: [] }
  },
  'dependent-required': ({ node }) => {
    if (!isObject(node.properties) || 'dependentRequired' in node) return undefined
    const required = Array.isArray(node.required) ? node.required : []
    const optional = Object.keys(node.properties).filter((n) => !required.includes(n))
    if (optional.length < 2) return undefined
    node.dependentRequired = { [optional[0]!]: [optional[1]!] }
    return { name: 'dependent-required', direction: 'narrow', hints: [] }
  },
  'unique-items': ({ node }) => {
    if (!isArray(node) || node.uniqueItems === true) return undefined
    node.uniqueItems = true
    return { name: 'unique-items', direction: 'narrow', hints: [] }
  },
  'max-items': ({ node }) => {
    if (!isArray(node)) return undefined
    const old = typeof node.maxItems === 'number' ? node.maxItems : undefined
    node.maxItems = old !== undefined ? Math.max(0, old - 1) : 2
    if (typeof node.minItems === 'number' && node.minItems > (node.maxItems as number)) node.minItems = node.maxItems
    delete node.default
    return { name: 'max-items', direction: 'narrow', hints: [] }
  },
  'min-items': ({ node }) => {
    if (!isArray(node)) return undefined
    node.minItems = (typeof node.minItems === 'number' ? node.minItems : 0) + 2
    if (typeof node.maxItems === 'number' && node.maxItems < (node.minItems as number)) node.maxItems = node.minItems
    delete node.default
    return { name: 'min-items', direction: 'narrow', hints: [[]] }
  },
  'boolean-fixed': ({ node }, r) => {
    if (!(types(node).length === 1 && types(node)[0] === 'boolean')) return undefined
    const kept = r.chance(0.5)
    if (r.chance(0.5)) node.enum = [kept]
    else node.const = kept
    node.default = kept
    return { name: 'boolean-fixed', direction: 'narrow', hints: [!kept] }
  },
  'not-enum': ({ node }) => {
    const value = Array.isArray(node.enum) && node.enum.length > 1 ? node.enum[0] : 'default' in node ? node.default : isString(node) ? 'x' : undefined
    if (value === undefined || value === null) return undefined
    node.not = { enum: [value] }
    delete node.default
    return { name: 'not-enum', direction: 'narrow', hints: [value as Json] }
  },
  'range-split': ({ node }) => {
    if (!numeric(node) || typeof node.minimum !== 'number' || typeof node.maximum !== 'number' || node.maximum - node.minimum < 4) return undefined
    const { minimum: lo, maximum: hi } = node as { minimum: number; maximum: number }
    const mid = Math.floor((lo + hi) / 2)
    delete node.minimum
    delete node.maximum
    delete node.default
    node.anyOf = [
      { minimum: lo, maximum: mid - 1 },
      { exclusiveMinimum: mid, maximum: hi + 2 },
    ]
    return { name: 'range-split', direction: 'narrow', hints: [mid, mid - 0.5, hi + 1] }
  },
  'items-type-changed': ({ node }) => {
    if (!isObject(node.items)) return undefined
    const item = node.items
    if (item.type === 'string') item.type = 'integer'
    else if (item.type === 'integer' || item.type === 'number') item.type = 'string'
    else return undefined
    for (const k of ['format', 'pattern', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'default']) delete item[k]
    return { name: 'items-type-changed', direction: 'narrow', hints: [] }
  },
  'if-then': ({ node }) => {
    if (!isObject(node.properties)) return undefined
    const required = Array.isArray(node.required) ? node.required : []
    const names = Object.keys(node.properties)
    const optional = names.filter((n) => !required.includes(n))
    if (names.length < 2 || optional.length === 0) return undefined
    const other = optional.at(-1)!
    const first = names.find((n) => n !== other)!
    node.if = { required: [first] }
    node.then = { required: [other] }
    return { name: 'if-then', direction: 'narrow', hints: [] }
  },
  'dependent-schemas': ({ node }) => {
    if (!isObject(node.properties) || 'dependentSchemas' in node) return undefined
    const names = Object.keys(node.properties)
    if (names.length < 2) return undefined
    node.dependentSchemas = { [names[0]!]: { required: [names[1]!] } }
    return { name: 'dependent-schemas', direction: 'narrow', hints: [] }
  },
  'contains-added': ({ node }) => {
    if (!isArray(node) || 'contains' in node || !isObject(node.items) || !Array.isArray(node.items.enum)) return undefined
    node.contains = { const: node.items.enum[0] }
    return { name: 'contains-added', direction: 'narrow', hints: [[]] }
  },
}

/** Rewrites that accept exactly the same values. */
export const NEUTRAL: Record<string, (root: Schema, site: Site, random: Random) => boolean> = {
  annotations: (_root, { node }, r) => {
    node.title = `${r.pick(['Renamed', 'Input', 'Value'])} ${r.int(1, 99)}`
    node.description = r.pick(['Changed wording.', 'A longer description of this field, rewritten.'])
    node['x-order'] = r.int(0, 20)
    return true
  },
  'one-branch': (_root, { holder, key }, r) => {
    if (key === 'root' || !isObject(holder[key])) return false
    holder[key] = { [r.pick(['anyOf', 'oneOf'])]: [holder[key]], title: `Wrapped ${key}` }
    return true
  },
  'to-defs': (root, { holder, key }, r) => {
    if (key === 'root' || !isObject(holder[key])) return false
    const defs = (root.$defs ??= {}) as Schema
    const name = `Moved${Object.keys(defs).length}`
    defs[name] = { ...(holder[key] as Schema), title: name, description: 'An enumeration.' }
    holder[key] = { allOf: [{ $ref: `#/$defs/${name}` }], title: `${key} (${r.int(1, 9)})`, description: 'Wrapper text that differs from the definition.' }
    return true
  },
  'const-enum': (_root, { node }) => {
    if ('const' in node && !('enum' in node)) {
      node.enum = [node.const]
      delete node.const
      return true
    }
    if (Array.isArray(node.enum) && node.enum.length === 1 && !('const' in node)) {
      node.const = node.enum[0]
      delete node.enum
      return true
    }
    return false
  },
  'null-branch': (_root, { holder, key, node }) => {
    if (key === 'root' || holder[key] !== node || !Array.isArray(node.type) || node.type.length !== 2 || !node.type.includes('null') || 'enum' in node) return false
    const { title, description, default: fallback, ...rest } = node
    holder[key] = { anyOf: [{ ...rest, type: node.type.find((t) => t !== 'null') }, { type: 'null' }], title, description, default: fallback }
    return true
  },
  reorder: (_root, { node }) => {
    if (Array.isArray(node.enum)) node.enum = [...node.enum].reverse()
    else if (isObject(node.properties)) node.properties = Object.fromEntries(Object.entries(node.properties).reverse())
    else return false
    return true
  },
  'split-all-of': (_root, { node }) => {
    const moved = ['minimum', 'maximum', 'maxLength', 'pattern', 'maxItems'].filter((k) => k in node)
    if (moved.length === 0) return false
    const members = moved.map((k) => ({ [k]: node[k] }))
    for (const k of moved) delete node[k]
    node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), ...members]
    return true
  },
}

/** How generators write a property: each returns false where it does not apply. */
export const WRAPPERS: Record<string, (root: Schema, site: Site) => boolean> = {
  // pydantic v1 / Cog: {"allOf": [{"$ref": …}], "description": …, "default": …} beside a titled definition.
  'pydantic-v1': (root, { holder, key, node }) => {
    if (key === 'root' || holder[key] !== node || !(Array.isArray(node.enum) || isObject(node.properties))) return false
    const defs = (root.$defs ??= {}) as Schema
    const name = `${key[0]!.toUpperCase()}${key.slice(1)}`.replace(/[^A-Za-z0-9]/g, '')
    if (Object.hasOwn(defs, name)) return false
    const { default: fallback, description, ...rest } = node
    defs[name] = { ...rest, title: name, description: 'An enumeration.' }
    holder[key] = { allOf: [{ $ref: `#/$defs/${name}` }], description: description ?? `The ${key}.`, ...(fallback !== undefined ? { default: fallback } : {}) }
    return true
  },
  // pydantic v2: Optional[X] is {"anyOf": [X, {"type": "null"}], "default": null}.
  'pydantic-v2': (_root, { holder, key, node }) => {
    if (key === 'root' || holder[key] !== node || !('type' in node) || Array.isArray(node.type)) return false
    const { title, default: _dropped, ...rest } = node
    holder[key] = { anyOf: [rest, { type: 'null' }], default: null, title: title ?? key }
    return true
  },
  // The Go generator: a nullable type as a type list.
  'type-list': (_root, { key, node }) => {
    if (key === 'root' || typeof node.type !== 'string' || node.type === 'null' || 'enum' in node || 'const' in node) return false
    node.type = [node.type, 'null']
    return true
  },
  // fal: a file output titled after its use, {"title": "Video", "allOf": [{"$ref": "#/$defs/File"}]}.
  fal: (root, { holder, key, node }) => {
    if (key === 'root' || holder[key] !== node || node.type !== 'string' || node.format !== 'uri') return false
    const defs = (root.$defs ??= {}) as Schema
    defs.File ??= {
      title: 'File',
      type: 'object',
      properties: {
        url: { title: 'Url', type: 'string', format: 'uri' },
        content_type: { title: 'Content Type', type: 'string', enum: ['image/png', 'image/jpeg', 'video/mp4'] },
        file_size: { title: 'File Size', type: 'integer', minimum: 0 },
      },
      required: ['url'],
    }
    holder[key] = { title: `${key[0]!.toUpperCase()}${key.slice(1)}`, allOf: [{ $ref: '#/$defs/File' }] }
    return true
  },
  // A definition that is a resource of its own: {"$id": …} holding its own "$defs", reached by that $id.
  'nested-id': (root, { holder, key, node }) => {
    if (key === 'root' || holder[key] !== node || !isObject(node.properties)) return false
    const defs = (root.$defs ??= {}) as Schema
    const name = `${key.replace(/[^A-Za-z0-9]/g, '')}Model`
    if (Object.hasOwn(defs, name)) return false
    const id = `https://example.org/schemas/${name}.json`
    const inner: Schema = {}
    const properties: Schema = {}
    for (const [child, sub] of Object.entries(node.properties)) {
      if (!isObject(sub) || typeof sub.$ref === 'string') {
        properties[child] = sub
        continue
      }
      // Each member's schema in the resource's own "$defs", referenced from inside it.
      inner[child] = sub
      properties[child] = { $ref: `#/$defs/${encodeURIComponent(child.replaceAll('~', '~0').replaceAll('/', '~1'))}` }
    }
    defs[name] = { ...node, $id: id, properties, $defs: inner }
    holder[key] = { $ref: id, title: key }
    return true
  },
  // A list of models: {"type": "array", "items": {"$ref": …}}.
  'array-of-models': (root, { holder, key, node }) => {
    if (key === 'root' || holder[key] !== node || !isObject(node.properties)) return false
    const defs = (root.$defs ??= {}) as Schema
    const name = `${key.replace(/[^A-Za-z0-9]/g, '')}Item`
    if (Object.hasOwn(defs, name)) return false
    defs[name] = { ...node, title: name }
    holder[key] = { type: 'array', title: key, items: { $ref: `#/$defs/${name}` } }
    return true
  },
}
