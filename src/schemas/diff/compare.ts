import { escapePointer } from '../document.js'
import { isObject, testPattern, type SchemaObject } from '../walk.js'
import { isAnnotation, same, typesOf, type Root, type View } from './normalize.js'
import { checkNumbers, checkStrings, checkValues, derivedProbes } from './leaf-checks.js'
import { arrayOf, numbersOf, objectOf, stringKeywords, withMember } from './probes.js'
import { arrayProbes, dedupe, fill, MAX_SAMPLE_SIZE, objectProbes, reader, samplesOf, stringsFor, subschemaSamples, type Reader } from './samples.js'

/**
 * What may have been lost from one schema (A) to another (B): a value that A accepts and B rejects.
 * For inputs A is the live schema and B the local one (callers send what the live one accepted);
 * for outputs A is the local one and B the live one (callers read what the live one promised).
 */
export type Kind =
  | 'property-removed'
  | 'property-added'
  | 'required'
  | 'type'
  | 'enum'
  | 'minimum'
  | 'maximum'
  | 'length'
  | 'pattern'
  | 'format'
  | 'closed'
  | 'multipleOf'
  | 'uniqueItems'
  | 'branch'
  | 'constraint'

/** One step from a value to a value inside it, with the schema (A's) that the outer value has. */
export interface Step {
  container: View
  /** A property name, or an array index. */
  key: string | number
}

export interface Candidate {
  kind: Kind
  /** The keyword the change is about, where it has one. */
  keyword?: string
  /** Pointers of the place in A's and B's documents. */
  aAt: string
  bAt: string
  a: View
  b: View
  /** The property or array item the change is in, from the root. */
  steps: Step[]
  /** Values at that place that A may accept and B reject. */
  probes: unknown[]
  /** For property kinds: the property's name. */
  name?: string
  /** The value that would show the change is larger than any value built here (MAX_SAMPLE_SIZE). */
  tooLarge?: boolean
}

/** Keywords compared by recursing into their subschemas, not as a whole. */
const CHILD_KEYWORDS = new Set(['properties', 'items', 'prefixItems', 'additionalProperties', 'patternProperties', 'allOf', 'anyOf', 'oneOf'])
/** Keywords checked one by one below; the rest of a schema's assertions are probed as a whole. */
const DIRECT_KEYWORDS = new Set([
  'type',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'format',
  'multipleOf',
  'uniqueItems',
  'required',
])
const MAX_PROBES = 48

/** What the keyword checks read of a walk: each side's reader, and the schema a property name gets. */
export interface Sides {
  readA: Reader
  readB: Reader
  otherProperty(v: View, name: string, read: Reader): View
}

export class Walk implements Sides {
  readonly candidates: Candidate[] = []
  /** Properties present on both sides, for the annotations that changed. */
  readonly matched: Array<{ a: View; b: View; steps: Step[] }> = []
  readonly #seen = new Set<string>()
  readonly readA: Reader
  readonly readB: Reader

  readonly rootA: Root
  readonly rootB: Root

  constructor(rootA: Root, rootB: Root) {
    this.rootA = rootA
    this.rootB = rootB
    this.readA = reader(rootA)
    this.readB = reader(rootB)
  }

  run(): void {
    this.compare(this.readA(this.rootA.schema, this.rootA.pointer), this.readB(this.rootB.schema, this.rootB.pointer), [], 0)
  }

  compare(a: View, b: View, steps: Step[], depth: number): void {
    if (a.never || depth > 24) return
    const key = `${a.pointer}\u0000${b.pointer}\u0000${steps.length > 0 ? 1 : 0}`
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    const add = (kind: Kind, keyword: string | undefined, probes: unknown[], extra: Partial<Candidate> = {}) => {
      this.candidates.push({
        kind,
        keyword,
        aAt: (keyword && a.at[keyword]) || a.pointer,
        bAt: (keyword && b.at[keyword]) || b.pointer,
        a,
        b,
        steps,
        probes: dedupe([...probes, ...(Array.isArray(a.schema.enum) ? a.schema.enum : [])]).slice(0, MAX_PROBES),
        ...extra,
      })
    }
    if (b.never) {
      add('type', 'type', samplesOf(a, this.readA))
      return
    }
    const A = a.schema
    const B = b.schema
    checkValues(this, a, b, add)
    checkNumbers(A, B, add)
    checkStrings(a, b, add)
    this.#arrays(a, b, steps, depth, add)
    this.#objects(a, b, steps, depth, add)
    this.#composition(a, b, steps, depth, add)
    // Whatever else B asserts that A does not assert alike (not, if/then/else, contains,
    // propertyNames, dependent*, unevaluated*, min/maxProperties…) is probed with values A accepts.
    const differing = Object.keys(B).filter((k) => !isAnnotation(k) && !CHILD_KEYWORDS.has(k) && !DIRECT_KEYWORDS.has(k) && !same(A[k], B[k]))
    if (differing.length > 0) {
      const common = [...numbersOf(A, B), ...samplesOf(a, this.readA), ...objectProbes(a, this.readA), ...arrayProbes(a, this.readA), ...subschemaSamples(b, this.readB)]
      for (const keyword of differing) {
        const kind: Kind = keyword === 'minProperties' || keyword === 'maxProperties' ? 'length' : 'constraint'
        // Probes built from the keyword itself come first: the values it was written to exclude.
        add(kind, keyword, [...derivedProbes(this, keyword, a, b), ...common])
      }
    }
  }

  #arrays(a: View, b: View, steps: Step[], depth: number, add: Add): void {
    const A = a.schema
    const B = b.schema
    const item = () => fill(this.readA(A.items ?? {}, a.at.items ?? `${a.pointer}/items`), this.readA)
    const minA = typeof A.minItems === 'number' ? A.minItems : 0
    if (typeof B.minItems === 'number' && B.minItems > minA) {
      const sizes = [minA, B.minItems - 1].filter((n) => n <= MAX_SAMPLE_SIZE)
      add(
        'length',
        'minItems',
        sizes.flatMap((n) => [Array.from({ length: n }, item), arrayOf(a, this.readA, n)]),
        { tooLarge: sizes.length === 0 },
      )
    }
    const maxA = typeof A.maxItems === 'number' ? A.maxItems : Infinity
    if (typeof B.maxItems === 'number' && B.maxItems < maxA) {
      const size = B.maxItems + 1
      add('length', 'maxItems', size > MAX_SAMPLE_SIZE ? [] : [Array.from({ length: size }, item), arrayOf(a, this.readA, size)], { tooLarge: size > MAX_SAMPLE_SIZE })
    }
    if (B.uniqueItems === true && A.uniqueItems !== true) {
      // A repeated item; where A asks that some item match "contains", the repeated one matches it.
      const repeated = [item(), ...('contains' in A ? [fill(this.readA(A.contains, a.at.contains!), this.readA)] : [])]
      // Past prefixItems: A's own array with its first or last item repeated at the end.
      const own = arrayOf(a, this.readA, Math.max(1, minA, Array.isArray(A.prefixItems) ? A.prefixItems.length : 0))
      add('uniqueItems', 'uniqueItems', [...repeated.map((x) => Array.from({ length: Math.max(2, minA) }, () => x)), [...own, own[0]], [...own, own.at(-1)]])
    }
    const prefixA = Array.isArray(A.prefixItems) ? A.prefixItems : []
    const prefixB = Array.isArray(B.prefixItems) ? B.prefixItems : []
    for (let i = 0; i < Math.max(prefixA.length, prefixB.length); i++) {
      const na = i < prefixA.length ? this.readA(prefixA[i], `${a.at.prefixItems}/${i}`) : this.readA(A.items ?? {}, a.at.items ?? a.pointer)
      const nb = i < prefixB.length ? this.readB(prefixB[i], `${b.at.prefixItems}/${i}`) : this.readB(B.items ?? {}, b.at.items ?? b.pointer)
      this.compare(na, nb, [...steps, { container: a, key: i }], depth + 1)
    }
    if ('items' in A || 'items' in B) {
      const index = Math.max(prefixA.length, prefixB.length)
      this.compare(this.readA(A.items ?? {}, a.at.items ?? a.pointer), this.readB(B.items ?? {}, b.at.items ?? b.pointer), [...steps, { container: a, key: index }], depth + 1)
    }
  }

  #objects(a: View, b: View, steps: Step[], depth: number, add: Add): void {
    const A = a.schema
    const B = b.schema
    const propsA = isObject(A.properties) ? A.properties : {}
    const propsB = isObject(B.properties) ? B.properties : {}
    const reqA = new Set(Array.isArray(A.required) ? A.required : [])
    const reqB = new Set(Array.isArray(B.required) ? B.required : [])
    const at = (v: View, name: string) => `${v.at.properties ?? `${v.pointer}/properties`}/${escapePointer(name)}`
    for (const name of Object.keys(propsA)) {
      // A property written the same on both sides, with no reference that may lead elsewhere, has not changed.
      if (Object.hasOwn(propsB, name) && same(propsA[name], propsB[name]) && !hasReference(propsA[name])) continue
      const na = this.readA(propsA[name], at(a, name))
      const inner = [...steps, { container: a, key: name }]
      if (Object.hasOwn(propsB, name)) {
        const nb = this.readB(propsB[name], at(b, name))
        this.matched.push({ a: na, b: nb, steps: inner })
        this.compare(na, nb, inner, depth + 1)
        continue
      }
      // The property is gone from B: what B says about it now is what its other keywords say.
      const other = this.otherProperty(b, name, this.readB)
      // Where B still takes any value under that name, no value can show the removal: it breaks by convention.
      const open = !other.never && Object.keys(other.schema).every(isAnnotation)
      const probes = open ? [] : dedupe(samplesOf(na, this.readA)).slice(0, MAX_PROBES)
      this.candidates.push({ kind: 'property-removed', name, aAt: at(a, name), bAt: b.at.properties ?? b.pointer, a: na, b: other, steps: inner, probes })
    }
    for (const name of Object.keys(propsB)) {
      if (Object.hasOwn(propsA, name)) continue
      const nb = this.readB(propsB[name], at(b, name))
      const other = this.otherProperty(a, name, this.readA)
      const inner = [...steps, { container: a, key: name }]
      this.candidates.push({ kind: 'property-added', name, aAt: a.at.properties ?? a.pointer, bAt: at(b, name), a: other, b: nb, steps: inner, probes: [] })
      // A value A allowed under that name through additionalProperties or patternProperties may not fit the new declaration.
      if (Object.keys(other.schema).length > 0 && !other.never) this.compare(other, nb, inner, depth + 1)
    }
    for (const name of reqB) {
      if (reqA.has(name) || typeof name !== 'string') continue
      const without = objectOf(a, this.readA)
      delete without[name]
      // On the name in B's "required"; on A's side, on its "required" (or the property, or the schema).
      const index = (B.required as unknown[]).indexOf(name)
      this.candidates.push({
        kind: 'required',
        keyword: 'required',
        name,
        aAt: a.at.required ?? (Object.hasOwn(propsA, name) ? at(a, name) : (a.at.properties ?? a.pointer)),
        bAt: `${b.at.required}/${index}`,
        a,
        b,
        steps,
        probes: [without],
      })
    }
    if (B.additionalProperties === false && A.additionalProperties !== false) {
      const extra = freshName(propsA, propsB, A.propertyNames)
      const base = objectOf(a, this.readA)
      const probes = samplesOf(this.otherProperty(a, extra, this.readA), this.readA)
        .slice(0, 6)
        .map((value) => withMember(base, extra, value))
      add('closed', 'additionalProperties', probes)
    } else if (isObject(B.additionalProperties) || (isObject(A.additionalProperties) && B.additionalProperties !== false)) {
      const extra = freshName(propsA, propsB, A.propertyNames)
      this.compare(this.otherProperty(a, extra, this.readA), this.otherProperty(b, extra, this.readB), [...steps, { container: a, key: extra }], depth + 1)
    }
    const patternsB = isObject(B.patternProperties) ? B.patternProperties : {}
    const patternsA = isObject(A.patternProperties) ? A.patternProperties : {}
    for (const pattern of new Set([...Object.keys(patternsA), ...Object.keys(patternsB)])) {
      if (same(patternsA[pattern], patternsB[pattern])) continue
      const name = stringsFor({ pattern }).find((n) => !Object.hasOwn(propsA, n) && !Object.hasOwn(propsB, n))
      if (name === undefined) continue
      this.compare(this.otherProperty(a, name, this.readA), this.otherProperty(b, name, this.readB), [...steps, { container: a, key: name }], depth + 1)
    }
  }

  /** The schema that applies to a property `name` that `v` does not list: a matching pattern, else additionalProperties. */
  otherProperty(v: View, name: string, read: Reader): View {
    const s = v.schema
    if (isObject(s.patternProperties)) {
      for (const [pattern, sub] of Object.entries(s.patternProperties)) {
        if (testPattern(pattern, name)) return read(sub, `${v.at.patternProperties}/${escapePointer(pattern)}`)
      }
    }
    if ('additionalProperties' in s) return read(s.additionalProperties, v.at.additionalProperties!)
    if (s.unevaluatedProperties === false) return read(false, v.at.unevaluatedProperties!)
    return read({}, v.pointer)
  }

  #composition(a: View, b: View, steps: Step[], depth: number, add: Add): void {
    const A = a.schema
    const B = b.schema
    // A value must pass every allOf member of B.
    if (Array.isArray(B.allOf)) B.allOf.forEach((member, i) => this.compare(a, this.readB(member, `${b.at.allOf}/${i}`), steps, depth + 1))
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const branchesA = Array.isArray(A[keyword]) ? A[keyword] : undefined
      const otherKeyword = keyword === 'anyOf' ? 'oneOf' : 'anyOf'
      const branchesB = Array.isArray(B[keyword]) ? B[keyword] : Array.isArray(B[otherKeyword]) ? B[otherKeyword] : undefined
      const bAt = Array.isArray(B[keyword]) ? b.at[keyword] : b.at[otherKeyword]
      if (!branchesA) {
        if (Array.isArray(B[keyword]) && !Array.isArray(A[otherKeyword]))
          add('constraint', keyword, [...numbersOf(A, B), ...samplesOf(a, this.readA), ...objectProbes(a, this.readA)])
        continue
      }
      const before = this.candidates.length
      branchesA.forEach((branch, i) => {
        const va = this.readA(branch, `${a.at[keyword]}/${i}`)
        if (!branchesB) {
          this.compare(va, b, steps, depth + 1)
          return
        }
        const views = branchesB.map((other, j) => this.readB(other, `${bAt}/${j}`))
        if (views.some((vb) => same(vb.schema, va.schema))) return
        const match = views.find((vb) => sameTypes(vb.schema, va.schema))
        if (match) this.compare(va, match, steps, depth + 1)
        else
          this.candidates.push({ kind: 'branch', keyword, aAt: va.pointer, bAt: bAt ?? b.pointer, a: va, b, steps, probes: dedupe(samplesOf(va, this.readA)).slice(0, MAX_PROBES) })
      })
      // Every branch is still there, but a new oneOf branch may match values that one matched before: two matches fail.
      if (this.candidates.length === before && Array.isArray(B.oneOf) && !same(A[keyword], B.oneOf)) {
        add(
          'constraint',
          'oneOf',
          branchesA.flatMap((branch, i) => samplesOf(this.readA(branch, `${a.at[keyword]}/${i}`), this.readA)),
        )
      }
    }
  }
}

export type Add = (kind: Kind, keyword: string | undefined, probes: unknown[], extra?: Partial<Candidate>) => void

function sameTypes(a: SchemaObject, b: SchemaObject): boolean {
  return same(typesOf(a)?.slice().sort(), typesOf(b)?.slice().sort())
}

/** A property name neither side lists, that A's `propertyNames` (when it has one) accepts. */
function freshName(a: Record<string, unknown>, b: Record<string, unknown>, names?: unknown): string {
  const free = (name: string) => !Object.hasOwn(a, name) && !Object.hasOwn(b, name)
  const fitting = isObject(names) ? stringsFor(stringKeywords(names)).filter(free) : []
  for (const name of [...fitting, 'extra', 'extra_property', 'unlisted']) if (free(name)) return name
  return `extra_${Object.keys(a).length + Object.keys(b).length}`
}

/** Whether a schema holds a reference anywhere: its meaning then depends on what it points at. */
function hasReference(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasReference)
  if (!isObject(node)) return false
  for (const key in node) if (key === '$ref' || key === '$dynamicRef' || hasReference(node[key])) return true
  return false
}
