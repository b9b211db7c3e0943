import { escapePointer } from '../document.js'
import { isObject, type SchemaObject } from '../walk.js'
import type { Add, Sides } from './compare.js'
import { admits, same, typeOfValue, typesOf, type View } from './normalize.js'
import { NUMBER_KEYWORDS, numberPasses, numberProbes, objectOf, stringKeywords, stringsBetween, withMember } from './probes.js'
import { fill, length, MAX_SAMPLE_SIZE, numberWithin, samplesOf, stringsFor, typed } from './samples.js'

// The checks of one pair of subschemas that look at values, not at subschemas: each adds a
// candidate change with probes built from the keyword that changed.

/** Values A accepts that B's `keyword` was written to exclude, built from that keyword. */
export function derivedProbes(walk: Sides, keyword: string, a: View, b: View): unknown[] {
  const A = a.schema
  const B = b.schema
  const base = objectOf(a, walk.readA)
  const propsA = isObject(A.properties) ? A.properties : {}
  // The schema A gives a member: its own declaration, else what its other keywords say of the name.
  const declared = (name: string) => (Object.hasOwn(propsA, name) ? walk.readA(propsA[name], `${a.at.properties}/${escapePointer(name)}`) : undefined)
  const valueFor = (name: string) => fill(declared(name) ?? walk.otherProperty(a, name, walk.readA), walk.readA)
  const samplesFor = (name: string) => {
    const view = declared(name)
    return view ? samplesOf(view, walk.readA).slice(0, 6) : [valueFor(name)]
  }
  switch (keyword) {
    case 'propertyNames': {
      if (!isObject(B.propertyNames)) return []
      const outside = stringKeywords(walk.readB(B.propertyNames, b.at.propertyNames!).schema)
      const inside = isObject(A.propertyNames) ? stringKeywords(walk.readA(A.propertyNames, a.at.propertyNames!).schema) : {}
      const seeds = [...Object.keys(propsA), 'extra', ...stringsFor(inside)]
      return stringsBetween(outside, inside, seeds).map((name) => withMember(base, name, valueFor(name)))
    }
    case 'dependentRequired':
    case 'dependentSchemas': {
      if (!isObject(B[keyword])) return []
      const out: unknown[] = []
      for (const [name, dependency] of Object.entries(B[keyword])) {
        if (isObject(A[keyword]) && same(A[keyword][name], dependency)) continue
        const dropped = keyword === 'dependentRequired' ? dependency : isObject(dependency) ? dependency.required : undefined
        const without = { ...base }
        if (Array.isArray(dropped)) for (const d of dropped) if (typeof d === 'string') delete without[d]
        for (const value of samplesFor(name)) out.push(withMember(without, name, value), withMember(base, name, value))
      }
      return out
    }
    case 'if':
    case 'then':
    case 'else':
    case 'not': {
      // A condition reads the members' values: each member of A with each of its sample values, alone.
      if (!isObject(A.properties)) return []
      return Object.keys(propsA)
        .slice(0, 16)
        .flatMap((name) => samplesFor(name).map((value) => withMember(base, name, value)))
    }
    default:
      return []
  }
}

/** Types and enums: a value of a type B no longer takes, or an enum member (or a string) B's enum leaves out. */
export function checkValues(walk: Sides, a: View, b: View, add: Add): void {
  const A = a.schema
  const B = b.schema
  if (Array.isArray(B.enum)) {
    const kept = B.enum
    const outside = (m: unknown) => !kept.some((k) => same(k, m))
    // A string B's enum leaves out, of A's own format, pattern and length.
    const strings = !Array.isArray(A.enum) && admits(typesOf(A), 'string') ? stringsBetween({ enum: kept }, stringKeywords(A), stringsFor(A)) : []
    const lost = Array.isArray(A.enum) ? A.enum.filter(outside) : [...samplesOf(a, walk.readA).filter(outside), ...strings]
    if (lost.length > 0) add('enum', 'enum', lost)
    return
  }
  const tA = typesOf(A)
  const tB = typesOf(B)
  if (!tB) return
  const lost = (tA ?? ['null', 'boolean', 'object', 'array', 'number', 'string']).filter((t) => !admits(tB, t) && !(t === 'number' && tB.includes('integer') && onlyIntegers(A)))
  if (lost.length === 0) return
  const probes = lost.flatMap((t) => {
    if (t === 'number' && admits(tB, 'integer')) return [numberWithin(A, false) + 0.5, 0.5, 1.5, -0.5]
    if (Array.isArray(A.enum)) return A.enum.filter((m) => typeOfValue(m) === t || (t === 'number' && typeOfValue(m) === 'integer'))
    return [typed(a, t, walk.readA), ...(t === 'string' ? stringsFor(A) : [])]
  })
  // Null allowed through a new {"type": "null"} branch is placed on that branch.
  add('type', 'type', probes, lost.every((t) => t === 'null') && a.nullAt ? { aAt: a.nullAt } : {})
}

/** Numeric bounds and steps: numbers A takes past B's tightened bound, or off B's step. */
export function checkNumbers(A: SchemaObject, B: SchemaObject, add: Add): void {
  if (!NUMBER_KEYWORDS.some((k) => k in B && !same(A[k], B[k]))) return
  // Numbers A takes, on and beside every bound and step either side names; B's keywords pick theirs.
  const numbers = numberProbes(A, B)
  for (const lower of [true, false]) {
    const la = bound(A, lower)
    const lb = bound(B, lower)
    if (!lb) continue
    const tighter = !la || (lower ? lb.value > la.value : lb.value < la.value) || (lb.value === la.value && lb.exclusive && !la.exclusive)
    if (!tighter) continue
    const outside = (n: number) => (lower ? n < lb.value || (lb.exclusive && n === lb.value) : n > lb.value || (lb.exclusive && n === lb.value))
    const dir = lower ? -1 : 1
    // A's own bound and default first (the values it was written to allow), then the nearest to B's.
    const own = [...(la && !la.exclusive ? [la.value] : []), ...(typeof A.default === 'number' ? [A.default] : [])].filter(outside)
    const near = numbers.filter(outside).sort((x, y) => Math.abs(x - lb.value) - Math.abs(y - lb.value))
    add(lower ? 'minimum' : 'maximum', lb.keyword, [...own, ...near, ...(la ? [] : [lb.value + dir * 1e6])])
  }
  if (typeof B.multipleOf === 'number' && B.multipleOf > 0) {
    const mA = A.multipleOf
    if (typeof mA !== 'number' || !Number.isInteger(mA / B.multipleOf)) {
      add(
        'multipleOf',
        'multipleOf',
        numbers.filter((n) => !numberPasses({ multipleOf: B.multipleOf }, n)),
      )
    }
  }
}

/** String lengths, patterns and formats: strings A takes that B's keywords refuse. */
export function checkStrings(a: View, b: View, add: Add): void {
  const A = a.schema
  const B = b.schema
  if (!['minLength', 'maxLength', 'pattern', 'format'].some((k) => k in B)) return
  const fromA = stringsFor(A)
  const seed = typeof A.default === 'string' ? A.default : (fromA[0] ?? 'a')
  const minA = typeof A.minLength === 'number' ? A.minLength : 0
  const minB = B.minLength
  if (typeof minB === 'number' && minB > minA) {
    // The shortest string A takes and the longest B refuses, each only when it can be built.
    const sizes = [minA, minB - 1].filter((n) => n <= MAX_SAMPLE_SIZE)
    add('length', 'minLength', [...sizes.map((n) => 'a'.repeat(n)), seed.slice(0, minB - 1), ...fromA.filter((s) => length(s) < minB)], { tooLarge: sizes.length === 0 })
  }
  const maxA = typeof A.maxLength === 'number' ? A.maxLength : Infinity
  const maxB = B.maxLength
  if (typeof maxB === 'number' && maxB < maxA) {
    if (maxB + 1 > MAX_SAMPLE_SIZE) add('length', 'maxLength', [], { tooLarge: true })
    else add('length', 'maxLength', ['a'.repeat(maxB + 1), seed.padEnd(maxB + 1, seed.at(-1) ?? 'a'), ...fromA.filter((s) => length(s) > maxB)])
  }
  for (const keyword of ['pattern', 'format'] as const) {
    if (typeof B[keyword] !== 'string' || B[keyword] === A[keyword]) continue
    const seeds = [...(Array.isArray(A.examples) ? A.examples : []), A.default, ...fromA].filter((x): x is string => typeof x === 'string')
    add(keyword, keyword, [
      // Strings of A's own kind that B's pattern or format leaves out, then A's samples as they are.
      ...stringsBetween({ [keyword]: B[keyword] }, stringKeywords(A), seeds),
      ...(Array.isArray(A.examples) ? A.examples : []),
      ...('default' in A ? [A.default] : []),
      ...fromA,
      ...stringsFor({ ...A, format: undefined, pattern: undefined }),
    ])
  }
}

function bound(s: SchemaObject, lower: boolean): { value: number; exclusive: boolean; keyword: string } | undefined {
  const [inclusive, exclusive] = lower ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum']
  if (typeof s[exclusive] === 'number') return { value: s[exclusive], exclusive: true, keyword: exclusive }
  if (typeof s[inclusive] === 'number') return { value: s[inclusive], exclusive: false, keyword: inclusive }
  return undefined
}

function onlyIntegers(s: SchemaObject): boolean {
  return Array.isArray(s.enum) && s.enum.every((m) => Number.isInteger(m))
}
