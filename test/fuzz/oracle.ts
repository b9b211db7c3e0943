// The fuzz's oracle: whether a value shows a break is decided here, by plain ajv on each whole
// schema, never by the comparison under test. Values are drawn by a sampler of this file's own that
// reads the schema the way a caller would fill a form: required fields always, optional ones at
// random, numbers on and around their bounds and steps, strings of the listed formats, patterns
// and lengths, and arrays and objects of every size the schema names.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import RandExp from 'randexp'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Schema = { [key: string]: unknown }

/** A seeded generator (mulberry32), so that a run is the same on every machine. */
export class Random {
  #state: number
  constructor(seed: number) {
    this.#state = seed >>> 0
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }
  chance(p: number): boolean {
    return this.next() < p
  }
}

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020
const compiled = new WeakMap<object, ValidateFunction | null>()

/** Whether the schema accepts the value, by ajv with the standard formats (`nullable` dropped, as 2020-12 ignores it). */
export function accepts(schema: object, value: unknown): boolean | undefined {
  let validate = compiled.get(schema)
  if (validate === undefined) {
    const ajv = addFormats(new Ajv2020({ strict: false, logger: false, validateSchema: false }))
    const plain = JSON.parse(JSON.stringify(schema), (key, v: unknown) => (key === 'nullable' && typeof v === 'boolean' ? undefined : v)) as object
    try {
      validate = ajv.compile(plain)
    } catch {
      validate = null
    }
    compiled.set(schema, validate)
  }
  return validate ? (validate(value) as boolean) : undefined
}

const FORMAT_VALUES: Record<string, string[]> = {
  uri: ['https://cdn.example.org/out/0.png', 'http://x.org/', 'data:image/png;base64,AA=='],
  'uri-reference': ['img/a.jpg', 'https://cdn.example.org/b'],
  email: ['someone@example.org'],
  'date-time': ['2025-06-01T08:30:00Z', '2025-06-01T08:30:00+02:00'],
  date: ['2025-06-01'],
  time: ['08:30:00Z'],
  uuid: ['0f8fad5b-d9cb-469f-a165-70867728950e'],
  ipv4: ['10.1.2.3'],
  hostname: ['host.example.org'],
}
const PLAIN = ['', 'x', 'Hello', 'a cat in a hat', 'http://x.org/', 'HTTPS://EXAM', '<x>', 'ABC', 'abc123', 'ümlaut', '12', 'extra', 'K_EULER', 'DDIM', 'true']
const NAMES = ['extra', 'Zz', 'seedling', 'a_very_long_field_name', 'x-1', 'n']

/** The schema a `$ref` names, inside the same document (JSON pointers and the root only). */
function resolve(root: Schema, ref: string): unknown {
  if (ref === '#') return root
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
    node = (node as Schema)[key]
  }
  return node
}

/** The keywords that apply to one value, with $ref, allOf and one branch of anyOf/oneOf merged in (loosely: ajv judges). */
function flatten(root: Schema, node: unknown, random: Random, depth: number): Schema | false {
  if (node === false) return false
  if (node === true || node === null || typeof node !== 'object') return {}
  let out: Schema = {}
  const merge = (from: Schema | false) => {
    if (from === false) return false
    for (const [k, v] of Object.entries(from)) {
      if (k === 'type' && Array.isArray(out.type) && Array.isArray(v)) out.type = out.type.filter((t) => v.includes(t))
      else if (k === 'type' && out.type !== undefined) {
        const a = ([] as unknown[]).concat(out.type)
        const b = ([] as unknown[]).concat(v)
        const both = a.filter((t) => b.includes(t) || (t === 'integer' && b.includes('number')))
        out.type = both.length > 0 ? both : b
      } else if (k === 'properties' && out.properties) out.properties = { ...(out.properties as Schema), ...(v as Schema) }
      else if (k === 'required' && Array.isArray(out.required)) out.required = [...out.required, ...(v as unknown[])]
      else out[k] = v
    }
    return true
  }
  const schema = node as Schema
  const { $ref, allOf, anyOf, oneOf, ...own } = schema
  if (depth > 12) return own
  if (typeof $ref === 'string') {
    const target = flatten(root, resolve(root, $ref), random, depth + 1)
    if (merge(target) === false) return false
  }
  for (const member of Array.isArray(allOf) ? allOf : []) if (merge(flatten(root, member, random, depth + 1)) === false) return false
  for (const branches of [anyOf, oneOf]) {
    if (Array.isArray(branches) && branches.length > 0) merge(flatten(root, random.pick(branches), random, depth + 1))
  }
  const mine = { ...own }
  if (out.type !== undefined && mine.type !== undefined) {
    const a = ([] as unknown[]).concat(mine.type)
    const both = ([] as unknown[]).concat(out.type).filter((t) => a.includes(t) || (t === 'integer' && a.includes('number')))
    mine.type = both.length > 0 ? both : mine.type
  }
  out = { ...out, ...mine, ...(out.properties && mine.properties ? { properties: { ...(out.properties as Schema), ...(mine.properties as Schema) } } : {}) }
  return out
}

function typeOf(s: Schema, random: Random): string {
  const t = s.type
  if (typeof t === 'string') return t
  if (Array.isArray(t) && t.length > 0) return random.pick(t) as string
  if ('properties' in s || 'required' in s || 'additionalProperties' in s || 'propertyNames' in s) return 'object'
  if ('items' in s || 'prefixItems' in s || 'minItems' in s || 'contains' in s) return 'array'
  if ('pattern' in s || 'format' in s || 'minLength' in s || 'maxLength' in s) return 'string'
  if ('minimum' in s || 'maximum' in s || 'multipleOf' in s || 'exclusiveMinimum' in s || 'exclusiveMaximum' in s) return 'number'
  return random.pick(['string', 'integer', 'number', 'boolean', 'null', 'object', 'array'])
}

function numberFor(s: Schema, integer: boolean, random: Random): number {
  const lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : -20
  const hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : lo + 40
  const candidates = [lo, hi, lo + 1, hi - 1, lo - 1, hi + 1, 0, 1, -1, (lo + hi) / 2, lo + random.next() * (hi - lo), 0.5, 1e6]
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const k = random.int(Math.ceil(lo / s.multipleOf), Math.max(Math.ceil(lo / s.multipleOf), Math.floor(hi / s.multipleOf)))
    candidates.push(k * s.multipleOf, k * s.multipleOf, k * s.multipleOf)
  }
  for (let i = 0; i < 4; i++) candidates.push(random.int(Math.ceil(lo), Math.floor(hi)))
  for (const step of [0.25, 0.5, 5, 10]) candidates.push(Math.ceil(lo / step) * step + step * random.int(0, 3))
  const n = random.pick(candidates)
  return integer ? Math.round(n) : n
}

function stringFor(s: Schema, random: Random): string {
  const min = typeof s.minLength === 'number' ? s.minLength : 0
  const max = typeof s.maxLength === 'number' ? s.maxLength : min + 12
  const options: string[] = [...PLAIN]
  if (typeof s.format === 'string' && FORMAT_VALUES[s.format]) for (let i = 0; i < 6; i++) options.push(...FORMAT_VALUES[s.format]!)
  if (typeof s.pattern === 'string') {
    try {
      const generator = new RandExp(new RegExp(s.pattern, 'u'))
      generator.randInt = (a: number, b: number) => random.int(a, b)
      generator.max = 6
      for (let i = 0; i < 6; i++) options.push(generator.gen())
    } catch {
      // A pattern RandExp cannot read: the plain strings stand in.
    }
  }
  for (const n of [min, max, max + 1, Math.max(0, min - 1)]) if (n <= 500) options.push(random.pick(['a', 'B', '7', ' ']).repeat(n))
  return random.pick(options)
}

/**
 * A value the schema at `node` likely accepts (ajv decides), drawn at random; `hint` may place a
 * chosen value at a path into the value (`absent` removes the member there).
 */
export function sample(root: Schema, node: unknown, random: Random, depth = 0): Json {
  const s = flatten(root, node, random, 0)
  if (s === false || depth > 7) return null
  if (Array.isArray(s.enum) && s.enum.length > 0 && random.chance(0.9)) return random.pick(s.enum) as Json
  if ('const' in s && random.chance(0.9)) return s.const as Json
  if ('default' in s && random.chance(0.15)) return s.default as Json
  if (Array.isArray(s.examples) && s.examples.length > 0 && random.chance(0.15)) return random.pick(s.examples) as Json
  switch (typeOf(s, random)) {
    case 'null':
      return null
    case 'boolean':
      return random.chance(0.5)
    case 'integer':
      return numberFor(s, true, random)
    case 'number':
      return numberFor(s, random.chance(0.4), random)
    case 'string':
      return stringFor(s, random)
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 0
      const max = typeof s.maxItems === 'number' ? s.maxItems : min + 3
      const size = Math.min(random.pick([min, max, max + 1, min + 1, random.int(min, max)]), 40)
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : []
      const out: Json[] = []
      for (let i = 0; i < size; i++) {
        if (i < prefix.length) out.push(sample(root, prefix[i], random, depth + 1))
        else if (i > 0 && random.chance(0.2)) out.push(out[i - 1]!)
        else if ('contains' in s && random.chance(0.4)) out.push(sample(root, s.contains, random, depth + 1))
        else out.push(sample(root, s.items ?? {}, random, depth + 1))
      }
      return out
    }
    case 'object': {
      const out: { [key: string]: Json } = {}
      const props = s.properties && typeof s.properties === 'object' ? (s.properties as Schema) : {}
      const required = new Set(Array.isArray(s.required) ? s.required : [])
      for (const [name, sub] of Object.entries(props)) {
        if (required.has(name) || random.chance(0.45))
          Object.defineProperty(out, name, { value: sample(root, sub, random, depth + 1), enumerable: true, writable: true, configurable: true })
      }
      for (const name of required) {
        if (typeof name === 'string' && !Object.hasOwn(out, name)) out[name] = sample(root, s.additionalProperties ?? {}, random, depth + 1)
      }
      if (random.chance(0.25)) {
        const names = s.propertyNames as Schema | undefined
        const long = names && typeof names.maxLength === 'number' ? 'k'.repeat(names.maxLength + random.int(0, 1)) : random.pick(NAMES)
        if (!Object.hasOwn(props, long)) out[long] = sample(root, s.additionalProperties ?? {}, random, depth + 1)
      }
      return out
    }
    default:
      return null
  }
}

/** Steps from a whole value to a value inside it: property names, or "*" for any array item. */
export type ValuePath = string[]

/** The value with `leaf` set at `path` (an array gets the leaf as its first item); `ABSENT` removes the member. */
export const ABSENT = Symbol('absent')
export function place(value: Json, path: ValuePath, leaf: Json | typeof ABSENT): Json {
  if (path.length === 0) return leaf === ABSENT ? value : leaf
  const [step, ...rest] = path
  if (step === '*') {
    const array = Array.isArray(value) ? [...value] : []
    if (leaf === ABSENT && rest.length === 0) return array
    array[0] = place(array[0] ?? {}, rest, leaf)
    return array
  }
  const object: { [key: string]: Json } = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {}
  if (rest.length === 0 && leaf === ABSENT) delete object[step!]
  else object[step!] = place(object[step!] ?? {}, rest, leaf)
  return object
}

/**
 * Searches for a value that `a` accepts and `b` rejects: `tries` random values of `a`, and as many
 * with a hinted value placed at the changed place. Returns the first one found.
 */
export function search(a: Schema, b: Schema, random: Random, tries: number, hints: Array<{ path: ValuePath; values: Array<Json | typeof ABSENT> }>): Json | undefined {
  for (let i = 0; i < tries; i++) {
    let value = sample(a, a, random)
    if (hints.length > 0 && i % 2 === 1) {
      const hint = random.pick(hints)
      if (hint.values.length > 0) value = place(value, hint.path, random.pick(hint.values))
    }
    if (accepts(a, value) === true && accepts(b, value) === false) return value
  }
  return undefined
}
