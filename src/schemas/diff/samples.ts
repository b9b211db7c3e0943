import RandExp from 'randexp'
import { escapePointer } from '../document.js'
import { isObject, setMember, type SchemaObject } from '../walk.js'
import { isAnnotation, JSON_TYPES, typesOf, view, type Root, type View } from './normalize.js'

/** A valid value of each known format, for building values that a schema allows. */
const FORMAT_SAMPLES: Record<string, string> = {
  uri: 'https://example.com/a.png',
  'uri-reference': '/a.png',
  iri: 'https://example.com/a.png',
  'iri-reference': '/a.png',
  'uri-template': 'https://example.com/{id}',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  date: '2024-01-31',
  time: '12:00:00Z',
  'date-time': '2024-01-31T12:00:00Z',
  duration: 'P1D',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  regex: '^a',
  'json-pointer': '/a',
  'relative-json-pointer': '0/a',
  byte: 'YQ==',
  int32: '1',
  int64: '1',
  float: '1.5',
  double: '1.5',
  password: 'secret',
  binary: 'a',
}

/** Strings that fail most formats and patterns: what a caller may have sent when nothing stopped it. */
const PLAIN_STRINGS = ['a', 'not a uri', '', 'hello world', 'A', '0', 'a'.repeat(300)]

/** Reads a subschema of the same document as a view. */
export type Reader = (node: unknown, pointer: string) => View

export function reader(root: Root): Reader {
  return (node, pointer) => view(node, pointer, root)
}

/**
 * A deterministic pattern sampler: the same pattern gives the same strings in every run, so a
 * counterexample is the same in the annotation, the summary and the test.
 */
function patternSamples(pattern: string, count: number): string[] {
  // Nested counts multiply ("((a{1000}){1000}){1000}" is a billion characters): such a pattern gives no samples.
  if ([...pattern.matchAll(/\{(\d+)/g)].reduce((product, m) => product * Math.max(1, Number(m[1])), 1) > MAX_SAMPLE_SIZE) return []
  let generator: RandExp
  try {
    generator = new RandExp(new RegExp(pattern, 'u'))
  } catch {
    return []
  }
  let seed = 0x9e3779b9
  generator.randInt = (a: number, b: number) => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    return a + (seed % (b - a + 1))
  }
  generator.max = 4
  const out = new Set<string>()
  // The shortest string first (every repetition at its minimum), then varied ones.
  for (let i = 0; i < count * 3 && out.size < count; i++) {
    try {
      out.add(generator.gen())
    } catch {
      break
    }
  }
  return [...out]
}

/** One value that the schema in `v` most likely accepts, built from its own defaults, examples and bounds. */
export function fill(v: View, read: Reader, depth = 0): unknown {
  const s = v.schema
  if (depth > 8) return null
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((m) => m !== null) ?? s.enum[0]
  if ('default' in s) return s.default
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0]
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = s[keyword]
    if (Array.isArray(branches) && branches.length > 0 && !typesOf(s)) return fill(read(branches[0], `${v.at[keyword]}/0`), read, depth + 1)
  }
  const types = typesOf(s) ?? guessTypes(s)
  const type = types.find((t) => t !== 'null') ?? types[0] ?? 'string'
  return typed(v, type, read, depth)
}

/** Values of one type that the schema in `v` most likely accepts, the most likely first. */
export function typed(v: View, type: string, read: Reader, depth = 0): unknown {
  const s = v.schema
  switch (type) {
    case 'null':
      return null
    case 'boolean':
      return true
    case 'integer':
    case 'number':
      return numberWithin(s, type === 'integer')
    case 'string':
      return stringsFor(s)[0] ?? 'a'
    case 'array': {
      const itemView = read(s.items ?? {}, v.at.items ?? `${v.pointer}/items`)
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems.map((p, i) => fill(read(p, `${v.at.prefixItems}/${i}`), read, depth + 1)) : []
      const count = Math.min(Math.max(typeof s.minItems === 'number' ? s.minItems : 0, prefix.length, s.contains ? 1 : 0), MAX_SAMPLE_SIZE)
      const items = [...prefix]
      while (items.length < count) items.push(s.contains && items.length === 0 ? fill(read(s.contains, v.at.contains!), read, depth + 1) : fill(itemView, read, depth + 1))
      if (s.uniqueItems === true) return items.map((item, i) => (typeof item === 'string' && i > 0 ? `${item}${i}` : item))
      return items
    }
    case 'object': {
      const result: Record<string, unknown> = {}
      const properties = isObject(s.properties) ? s.properties : {}
      for (const name of Array.isArray(s.required) ? s.required : []) {
        if (typeof name !== 'string') continue
        const node = Object.hasOwn(properties, name) ? properties[name] : (s.additionalProperties ?? {})
        setMember(result, name, fill(read(node, `${v.at.properties ?? v.pointer}/${name}`), read, depth + 1))
      }
      return result
    }
    default:
      return null
  }
}

function guessTypes(s: SchemaObject): string[] {
  if ('properties' in s || 'required' in s || 'additionalProperties' in s) return ['object']
  if ('items' in s || 'prefixItems' in s) return ['array']
  if ('pattern' in s || 'format' in s || 'minLength' in s || 'maxLength' in s) return ['string']
  if ('minimum' in s || 'maximum' in s || 'exclusiveMinimum' in s || 'exclusiveMaximum' in s || 'multipleOf' in s) return ['number']
  return []
}

/** A number inside the bounds of `s` (and a multiple of its multipleOf), preferring 0 or the lower bound. */
export function numberWithin(s: SchemaObject, integer: boolean): number {
  const lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 0.5) : undefined
  const hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : 0.5) : undefined
  let n = lo !== undefined ? lo : hi !== undefined && hi < 0 ? hi : 0
  if (integer) n = Math.ceil(n)
  if (hi !== undefined && n > hi) n = integer ? Math.floor(hi) : (lo! + hi) / 2
  const step = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : undefined
  if (step) n = Math.ceil(n / step) * step
  return n
}

/**
 * The longest string and the most items a sample is built with: a schema may ask for 2e8 items, and
 * a value that size would take gigabytes to build. Past it, a change is not proven either way.
 */
export const MAX_SAMPLE_SIZE = 10_000

/** Strings that the string keywords of `s` allow, the simplest first (none longer than MAX_SAMPLE_SIZE). */
export function stringsFor(s: SchemaObject): string[] {
  const min = typeof s.minLength === 'number' ? s.minLength : 0
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity
  const candidates: string[] = []
  if (typeof s.pattern === 'string') candidates.push(...patternSamples(s.pattern, 6))
  if (typeof s.format === 'string' && FORMAT_SAMPLES[s.format]) candidates.push(FORMAT_SAMPLES[s.format]!)
  candidates.push('a'.repeat(Math.min(Math.max(min, 1), MAX_SAMPLE_SIZE)), ...PLAIN_STRINGS)
  const fitting = candidates.filter((c) => length(c) >= min && length(c) <= max)
  return fitting.length > 0 ? fitting : ['a'.repeat(Math.min(Math.max(min, 0), MAX_SAMPLE_SIZE))]
}

/** Length in code points, as JSON Schema counts it. */
export function length(text: string): number {
  let surrogates = 0
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) === 0xdc00) surrogates++
  return text.length - surrogates
}

/**
 * Values worth trying against a schema that may have lost some of them: the view's own defaults,
 * examples and enum members, a value of every type it allows, and values just inside its bounds.
 */
export function samplesOf(v: View, read: Reader): unknown[] {
  const s = v.schema
  const out: unknown[] = []
  if (Array.isArray(s.enum)) out.push(...s.enum)
  if ('default' in s) out.push(s.default)
  if (Array.isArray(s.examples)) out.push(...s.examples)
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[keyword])) s[keyword].forEach((b, i) => out.push(...samplesOf(read(b, `${v.at[keyword]}/${i}`), read).slice(0, 6)))
  }
  const types = typesOf(s) ?? (Object.keys(s).some((k) => !isAnnotation(k)) ? [...guessTypes(s), ...JSON_TYPES] : [...JSON_TYPES])
  for (const type of new Set(types)) {
    if (type === 'string') out.push(...stringsFor(s))
    else if (type === 'integer' || type === 'number') out.push(...numbersFor(s, type === 'integer'))
    else if (type === 'boolean') out.push(true, false)
    else out.push(typed(v, type, read))
    if (type === 'number') out.push(...numbersFor(s, true))
  }
  return out
}

function numbersFor(s: SchemaObject, integer: boolean): number[] {
  const base = numberWithin(s, integer)
  const out = [base, base + (integer ? 1 : 0.5), -1, 1, 2, 0.5, 1e6]
  for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const b = s[k]
    if (typeof b === 'number') out.push(b, b - 1, b + 1, b - 0.5, b + 0.5, Math.floor(b), Math.ceil(b))
  }
  if (typeof s.multipleOf === 'number') out.push(s.multipleOf, s.multipleOf * 2, s.multipleOf * 3)
  return integer ? out.filter(Number.isInteger) : out
}

/** Objects A most likely accepts: its filled value, with each of its properties, with names it does not list. */
export function objectProbes(a: View, read: Reader): unknown[] {
  const A = a.schema
  if (typesOf(A) && !typesOf(A)!.includes('object')) return []
  const base = fill(a, read)
  const object = isObject(base) ? base : {}
  const props = isObject(A.properties) ? A.properties : {}
  const out: unknown[] = [object, {}]
  const all: Record<string, unknown> = { ...object }
  for (const name of Object.keys(props).slice(0, 16)) {
    const value = fill(read(props[name], `${a.pointer}/properties/${escapePointer(name)}`), read)
    out.push({ ...object, [name]: value })
    setMember(all, name, value)
  }
  out.push(all, { ...object, extra: 'a' }, { ...object, a: 1, b: 2 }, { ...object, 'Name-1': 'a' })
  return out
}

/** Arrays A most likely accepts: empty, one item, a repeated item, items of other types. */
export function arrayProbes(a: View, read: Reader): unknown[] {
  const A = a.schema
  if (typesOf(A) && !typesOf(A)!.includes('array')) return []
  const item = fill(read(A.items ?? {}, a.at.items ?? a.pointer), read)
  return [[], [item], [item, item], ['a'], [1], [null]]
}

/** Values of B's own subschemas: what a new `not` or `if` singles out. */
export function subschemaSamples(b: View, read: Reader): unknown[] {
  const out: unknown[] = []
  for (const keyword of ['not', 'if', 'then', 'else', 'contains', 'propertyNames']) {
    if (isObject(b.schema[keyword])) out.push(...samplesOf(read(b.schema[keyword], b.at[keyword]!), read).slice(0, 8))
  }
  return out
}

/** The values without repeats (by their JSON), in order. */
export function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>()
  return values.filter((v) => {
    const key = JSON.stringify(v) ?? 'undefined'
    if (v === undefined || seen.has(key)) return false
    seen.add(key)
    return true
  })
}
