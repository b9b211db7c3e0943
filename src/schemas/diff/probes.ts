import { checkFormat } from '../formats.js'
import { isObject, setMember, testPattern, type SchemaObject } from '../walk.js'
import { admits, typesOf, type View } from './normalize.js'
import { dedupe, fill, length, MAX_SAMPLE_SIZE, samplesOf, typed, type Reader } from './samples.js'

// Values built from a constraint, so that they fall where two schemas differ: strings edited out of
// a pattern, format or enum, numbers on and beside every bound and step, arrays that keep A's
// uniqueItems and contains, objects with one member set.

/** Whether `text` passes the string keywords of `s`: lengths, pattern, format, enum and const. */
export function stringPasses(s: SchemaObject, text: string): boolean {
  if (typeof s.minLength === 'number' && length(text) < s.minLength) return false
  if (typeof s.maxLength === 'number' && length(text) > s.maxLength) return false
  if (typeof s.pattern === 'string' && !testPattern(s.pattern, text)) return false
  if (typeof s.format === 'string' && checkFormat(s.format, text) === false) return false
  if (Array.isArray(s.enum) && !s.enum.includes(text)) return false
  if ('const' in s && s.const !== text) return false
  return true
}

/** Characters an edit puts into a string: the classes patterns most often leave out. */
const EDITS = ['<', ' ', 'A', 'z', '0', '-', '_', '.', '/', ':', 'é', '\n']

/**
 * Strings that `outside` rejects and `inside` accepts, drawn from the complement of `outside`'s
 * string keywords by small edits of `seeds` (one character dropped, added or its case changed), a
 * string one past each length bound, and every printable ASCII character alone.
 */
export function stringsBetween(outside: SchemaObject, inside: SchemaObject, seeds: readonly string[], count = 12): string[] {
  const pool = new Set<string>()
  const usable = [...new Set(seeds)].filter((s) => s.length <= 200).slice(0, 6)
  for (const seed of usable) {
    pool.add(seed)
    pool.add(seed.toUpperCase())
    pool.add(seed.toLowerCase())
    for (const bound of [outside.maxLength, inside.maxLength])
      if (typeof bound === 'number' && bound < MAX_SAMPLE_SIZE) pool.add(seed.padEnd(bound + 1, seed.at(-1) ?? 'a').slice(0, bound + 1))
    for (const bound of [outside.minLength, inside.minLength]) if (typeof bound === 'number' && bound > 0) pool.add(seed.slice(0, bound - 1))
    for (let i = 0; i <= Math.min(seed.length, 32); i++) {
      pool.add(seed.slice(0, i) + seed.slice(i + 1))
      for (const c of EDITS) pool.add(seed.slice(0, i) + c + seed.slice(i))
    }
  }
  pool.add('')
  for (let c = 0x20; c < 0x7f; c++) pool.add(String.fromCharCode(c))
  const out: string[] = []
  for (const text of pool) {
    if (!stringPasses(outside, text) && stringPasses(inside, text)) out.push(text)
    if (out.length >= count) break
  }
  return out
}

/** The string keywords of a schema, and no others. */
export function stringKeywords(s: SchemaObject): SchemaObject {
  const out: SchemaObject = {}
  for (const k of ['minLength', 'maxLength', 'pattern', 'format', 'enum', 'const']) if (k in s) out[k] = s[k]
  if (Array.isArray(out.enum) && !out.enum.every((m) => typeof m === 'string')) delete out.enum
  return out
}

/** The keywords that bound or step a number. */
export const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const

/** Whether `n` passes the numeric keywords of `s` (and `type: integer` where it asks for integers). */
export function numberPasses(s: SchemaObject, n: number): boolean {
  if (typeof s.minimum === 'number' && n < s.minimum) return false
  if (typeof s.maximum === 'number' && n > s.maximum) return false
  if (typeof s.exclusiveMinimum === 'number' && n <= s.exclusiveMinimum) return false
  if (typeof s.exclusiveMaximum === 'number' && n >= s.exclusiveMaximum) return false
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !isMultiple(n, s.multipleOf)) return false
  const types = typesOf(s)
  if (types && !types.includes('number') && types.includes('integer') && !Number.isInteger(n)) return false
  return true
}

function isMultiple(n: number, step: number): boolean {
  const q = n / step
  return Number.isFinite(q) && Math.abs(q - Math.round(q)) < 1e-9
}

/** Every number a schema names in its numeric keywords, its enum, and its composition members (two levels down). */
function marksOf(node: unknown, out: Set<number>, depth = 0): void {
  if (!isObject(node) || depth > 2) return
  for (const k of NUMBER_KEYWORDS) if (typeof node[k] === 'number' && Number.isFinite(node[k])) out.add(node[k])
  for (const m of [...(Array.isArray(node.enum) ? node.enum : []), node.const]) if (typeof m === 'number' && Number.isFinite(m)) out.add(m)
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[k])) for (const member of node[k]) marksOf(member, out, depth + 1)
  if (isObject(node.not)) marksOf(node.not, out, depth + 1)
}

/**
 * Numbers A's numeric keywords accept, chosen where B may differ: on and beside every bound either
 * side names (its composition members' too), between consecutive bounds, and A's multiples near
 * each and up from its lower bound; the ones B's own numeric keywords reject come first.
 */
export function numberProbes(A: SchemaObject, B: SchemaObject): number[] {
  const marks = new Set<number>([0, 1, -1])
  marksOf(A, marks)
  marksOf(B, marks)
  const sorted = [...marks].sort((x, y) => x - y)
  const step = typeof A.multipleOf === 'number' && A.multipleOf > 0 ? A.multipleOf : undefined
  const pool: number[] = []
  for (const m of sorted) for (const d of [0, 1, -1, 0.5, -0.5, 0.25, -0.25, 0.01, -0.01]) pool.push(m + d)
  for (let i = 1; i < sorted.length; i++) pool.push((sorted[i - 1]! + sorted[i]!) / 2)
  if (step) {
    for (const m of sorted) for (let j = -2; j <= 2; j++) pool.push((Math.floor(m / step) + j) * step)
    const lo = typeof A.minimum === 'number' ? A.minimum : typeof A.exclusiveMinimum === 'number' ? A.exclusiveMinimum : 0
    const first = Math.ceil(lo / step)
    for (let j = 0; j < 64; j++) pool.push((first + j) * step)
  }
  const fits = pool.filter((n) => Number.isFinite(n) && numberPasses(A, n))
  const outside = fits.filter((n) => !numberPasses(B, n))
  return [...new Set([...outside, ...fits])].slice(0, MAX_NUMBER_PROBES)
}

const MAX_NUMBER_PROBES = 40

/**
 * An array of `size` items that the array schema in `v` most likely accepts: its prefixItems and
 * items filled, all different where it asks for uniqueItems, one of them matching its `contains`;
 * `at` places a given value at one index.
 */
export function arrayOf(v: View, read: Reader, size: number, at?: { index: number; value: unknown }): unknown[] {
  const s = v.schema
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : []
  const itemView = read(s.items ?? {}, v.at.items ?? `${v.pointer}/items`)
  const pool = dedupe([fill(itemView, read), ...samplesOf(itemView, read)])
  const out: unknown[] = []
  const taken = new Set<string>(at ? [JSON.stringify(at.value)] : [])
  const distinct = s.uniqueItems === true
  for (let i = 0; i < Math.min(size, MAX_SAMPLE_SIZE); i++) {
    if (at && i === at.index) {
      out.push(at.value)
      continue
    }
    if (i < prefix.length) {
      out.push(fill(read(prefix[i], `${v.at.prefixItems}/${i}`), read))
      continue
    }
    let item = pool[0]
    if (distinct) {
      item = pool.find((p) => !taken.has(JSON.stringify(p))) ?? variant(pool[0], i)
      taken.add(JSON.stringify(item))
    }
    out.push(item)
  }
  // An array that must contain a match gets one, in the last place the caller did not choose.
  if ('contains' in s && out.length > 0) {
    const last = at && at.index === out.length - 1 ? out.length - 2 : out.length - 1
    const match = fill(read(s.contains, v.at.contains!), read)
    if (last >= prefix.length) out[last] = match
    else out.push(match)
  } else if ('contains' in s) out.push(fill(read(s.contains, v.at.contains!), read))
  return out
}

/** A value like `value`, told apart by `i`. */
function variant(value: unknown, i: number): unknown {
  if (typeof value === 'string') return `${value}${i}`
  if (typeof value === 'number') return value + i
  if (isObject(value)) return { ...value, [`item_${i}`]: i }
  return [value, i]
}

/** A value of the object schema in `v`, as an object even where its default is not one (pydantic v2's `null`). */
export function objectOf(v: View, read: Reader): Record<string, unknown> {
  const filled = fill(v, read)
  if (isObject(filled)) return { ...filled }
  const typedValue = typed(v, 'object', read)
  return isObject(typedValue) ? typedValue : {}
}

/** Where A takes numbers: the ones on and beside the bounds either side names (a union of ranges, a `not`), B's misses first. */
export function numbersOf(A: SchemaObject, B: SchemaObject): number[] {
  return admits(typesOf(A), 'integer') ? numberProbes(A, B) : []
}

export function withMember(object: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const out = { ...object }
  setMember(out, name, value)
  return out
}
