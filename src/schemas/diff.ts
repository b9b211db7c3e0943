import type { Schemas } from '../wriftai/types.js'
import { canonicalJson } from './canonical.js'
import { escapePointer, splitPointer, unescapeSegment } from './document.js'
import { isObject, type SchemaObject } from './walk.js'

/** Rule ids of the comparison with the live version; the breaking ones are listed in BREAKING. */
export type ChangeRule =
  | 'input-removed' | 'input-now-required' | 'input-new-required' | 'type-narrowed' | 'enum-value-removed' | 'enum-added'
  | 'minimum-raised' | 'maximum-lowered' | 'length-tightened' | 'pattern-changed' | 'format-changed' | 'additional-properties-closed'
  | 'output-removed' | 'output-now-optional' | 'output-type-changed' | 'output-enum-value-added' | 'output-nullable'
  | 'input-added' | 'output-added' | 'default-changed' | 'annotation-changed'

const INFO = new Set<ChangeRule>(['input-added', 'output-added', 'default-changed', 'annotation-changed'])

export interface SchemaChange {
  rule: ChangeRule
  breaking: boolean
  message: string
  /** Where the change is in the local file. */
  pointer: string
  /** Where it was in the live version's schemas. */
  livePointer: string
}

type Side = 'input' | 'output'

/**
 * What changed between the live version's schemas and the local ones, from the callers' side:
 * narrowing an input or widening an output breaks them; the rest is information. `$ref`s are
 * resolved before comparing.
 */
export function diffSchemas(live: Schemas, local: Schemas): SchemaChange[] {
  const changes: SchemaChange[] = []
  for (const section of ['prediction', 'training'] as const) {
    const l = live[section]
    const n = local[section]
    if (!l || !n) continue
    for (const side of ['input', 'output'] as const) {
      if (!isObject(l[side]) || !isObject(n[side])) continue
      const pointer = `/${section}/${side}`
      new Comparison(side, l[side] as SchemaObject, n[side] as SchemaObject, changes).compare(l[side] as SchemaObject, n[side] as SchemaObject, pointer, pointer, 0)
    }
  }
  return changes
}

class Comparison {
  readonly #side: Side
  readonly #liveRoot: SchemaObject
  readonly #localRoot: SchemaObject
  readonly #changes: SchemaChange[]
  readonly #seen = new WeakMap<object, WeakSet<object>>()

  constructor(side: Side, liveRoot: SchemaObject, localRoot: SchemaObject, changes: SchemaChange[]) {
    this.#side = side
    this.#liveRoot = liveRoot
    this.#localRoot = localRoot
    this.#changes = changes
  }

  compare(liveNode: unknown, localNode: unknown, livePointer: string, pointer: string, depth: number): void {
    const L = resolve(liveNode, this.#liveRoot)
    const N = resolve(localNode, this.#localRoot)
    if (!L || !N || depth > 32) return
    // Recursive schemas meet themselves again through $ref: each pair of definitions is compared once.
    const seen = this.#seen.get(identity(liveNode, this.#liveRoot)) ?? new WeakSet<object>()
    const local = identity(localNode, this.#localRoot)
    if (seen.has(local)) return
    seen.add(local)
    this.#seen.set(identity(liveNode, this.#liveRoot), seen)
    // A change sits on the keyword that changed, where the local schema has it.
    const add = (rule: ChangeRule, message: string, keyword?: string) => {
      const on = (base: string, node: SchemaObject) => (keyword && keyword in node ? `${base}/${keyword}` : base)
      this.#changes.push({ rule, breaking: !INFO.has(rule), message, pointer: on(pointer, N), livePointer: on(livePointer, L) })
    }
    const where = describePath(pointer)
    if (this.#side === 'input') this.#inputRules(L, N, where, add)
    else this.#outputRules(L, N, where, add)

    this.#properties(L, N, livePointer, pointer, depth)
    if (isObject(L.items) || isObject(N.items)) this.compare(L.items, N.items, `${livePointer}/items`, `${pointer}/items`, depth + 1)
  }

  #inputRules(L: SchemaObject, N: SchemaObject, where: string, add: (rule: ChangeRule, message: string, keyword?: string) => void): void {
    const lost = typesOf(L).filter((t) => !accepts(typesOf(N), t))
    if (lost.length > 0) add('type-narrowed', `${where} no longer accepts ${lost.join(', ')}`, 'type')
    else if (typesOf(L).length === 0 && typesOf(N).length > 0) add('type-narrowed', `${where} now accepts only ${typesOf(N).join(', ')}`, 'type')
    if (Array.isArray(L.enum) && Array.isArray(N.enum)) {
      const kept: unknown[] = N.enum
      const removed = L.enum.filter((v) => !kept.some((w) => same(v, w)))
      if (removed.length > 0) add('enum-value-removed', `${where} no longer accepts ${removed.map((v) => JSON.stringify(v)).join(', ')}`, 'enum')
    } else if (!Array.isArray(L.enum) && Array.isArray(N.enum)) {
      add('enum-added', `${where} now accepts only ${N.enum.map((v) => JSON.stringify(v)).join(', ')}`, 'enum')
    }
    for (const [keyword, rule] of [['minimum', 'minimum-raised'], ['exclusiveMinimum', 'minimum-raised']] as const) {
      if (typeof N[keyword] === 'number' && (typeof L[keyword] !== 'number' || N[keyword] > L[keyword])) add(rule, `${where}: "${keyword}" ${describeBound(L[keyword], N[keyword])}`, keyword)
    }
    for (const [keyword, rule] of [['maximum', 'maximum-lowered'], ['exclusiveMaximum', 'maximum-lowered']] as const) {
      if (typeof N[keyword] === 'number' && (typeof L[keyword] !== 'number' || N[keyword] < L[keyword])) add(rule, `${where}: "${keyword}" ${describeBound(L[keyword], N[keyword])}`, keyword)
    }
    for (const keyword of ['minLength', 'minItems'] as const) {
      if (typeof N[keyword] === 'number' && N[keyword] > (typeof L[keyword] === 'number' ? L[keyword] : 0)) add('length-tightened', `${where}: "${keyword}" ${describeBound(L[keyword], N[keyword])}`, keyword)
    }
    for (const keyword of ['maxLength', 'maxItems'] as const) {
      if (typeof N[keyword] === 'number' && (typeof L[keyword] !== 'number' || N[keyword] < L[keyword])) add('length-tightened', `${where}: "${keyword}" ${describeBound(L[keyword], N[keyword])}`, keyword)
    }
    if (typeof N.pattern === 'string' && N.pattern !== L.pattern) add('pattern-changed', `${where}: "pattern" ${describeBound(L.pattern, N.pattern)}`, 'pattern')
    if (typeof N.format === 'string' && N.format !== L.format) add('format-changed', `${where}: "format" ${describeBound(L.format, N.format)}`, 'format')
    if (N.additionalProperties === false && L.additionalProperties !== false) {
      add('additional-properties-closed', `${where} no longer accepts properties it does not list ("additionalProperties": false)`, 'additionalProperties')
    }
  }

  #outputRules(L: SchemaObject, N: SchemaObject, where: string, add: (rule: ChangeRule, message: string, keyword?: string) => void): void {
    const lTypes = typesOf(L)
    const gained = typesOf(N).filter((t) => !accepts(lTypes, t))
    if (gained.includes('null') && !lTypes.includes('null')) add('output-nullable', `${where} can now be null`, 'type')
    const others = gained.filter((t) => t !== 'null')
    if (others.length > 0 || (lTypes.length > 0 && typesOf(N).length === 0)) {
      add('output-type-changed', `${where} can now be ${others.length > 0 ? others.join(', ') : 'any type'} (was ${lTypes.join(', ')})`, 'type')
    }
    if (Array.isArray(L.enum)) {
      const before: unknown[] = L.enum
      const added = Array.isArray(N.enum) ? N.enum.filter((v) => !before.some((w) => same(v, w))) : undefined
      if (!added) add('output-enum-value-added', `${where} is no longer limited to ${L.enum.map((v) => JSON.stringify(v)).join(', ')}`)
      else if (added.length > 0) add('output-enum-value-added', `${where} can now be ${added.map((v) => JSON.stringify(v)).join(', ')}`, 'enum')
    }
  }

  #properties(L: SchemaObject, N: SchemaObject, livePointer: string, pointer: string, depth: number): void {
    const lProps = isObject(L.properties) ? L.properties : {}
    const nProps = isObject(N.properties) ? N.properties : {}
    const lRequired = new Set(Array.isArray(L.required) ? L.required : [])
    const nRequired = new Set(Array.isArray(N.required) ? N.required : [])
    const at = (base: string, name: string) => `${base}/properties/${escapePointer(name)}`
    // A property missing on one side is placed on that side's "properties" (or the schema, without one).
    const container = (base: string, node: SchemaObject) => (isObject(node.properties) ? `${base}/properties` : base)
    const push = (rule: ChangeRule, name: string, message: string, inLive: boolean, inLocal: boolean) =>
      this.#changes.push({
        rule,
        breaking: !INFO.has(rule),
        message,
        pointer: inLocal ? at(pointer, name) : container(pointer, N),
        livePointer: inLive ? at(livePointer, name) : container(livePointer, L),
      })
    const added = Object.keys(nProps).filter((name) => !(name in lProps))

    for (const name of Object.keys(lProps)) {
      const path = describePath(at(pointer, name))
      if (!(name in nProps)) {
        if (this.#side === 'input') {
          const renamed = added.find((candidate) => sameShape(resolve(lProps[name], this.#liveRoot), resolve(nProps[candidate], this.#localRoot)))
          push('input-removed', name, `input ${path} was removed${renamed ? ` (renamed to "${renamed}"?)` : ''}; callers that send it will fail`, true, false)
        } else {
          push('output-removed', name, `output ${path} was removed; callers that read it will break`, true, false)
        }
        continue
      }
      if (this.#side === 'input' && nRequired.has(name) && !lRequired.has(name)) push('input-now-required', name, `input ${path} is now required`, true, true)
      if (this.#side === 'output' && lRequired.has(name) && !nRequired.has(name)) push('output-now-optional', name, `output ${path} is no longer always present`, true, true)
      this.#annotations(lProps[name], nProps[name], name, path, push)
      this.compare(lProps[name], nProps[name], at(livePointer, name), at(pointer, name), depth + 1)
    }
    for (const name of added) {
      const path = describePath(at(pointer, name))
      const property = resolve(nProps[name], this.#localRoot)
      if (this.#side === 'input' && nRequired.has(name) && !(property && 'default' in property)) {
        push('input-new-required', name, `new input ${path} is required and has no default; callers that do not send it will fail`, false, true)
      } else {
        push(this.#side === 'input' ? 'input-added' : 'output-added', name, `new ${this.#side} ${path}`, false, true)
      }
    }
  }

  #annotations(liveNode: unknown, localNode: unknown, name: string, path: string, push: (rule: ChangeRule, name: string, message: string, inLive: boolean, inLocal: boolean) => void): void {
    const L = isObject(liveNode) ? liveNode : {}
    const N = isObject(localNode) ? localNode : {}
    if ('default' in L && 'default' in N && !same(L.default, N.default)) {
      push('default-changed', name, `${path}: default ${JSON.stringify(L.default)} → ${JSON.stringify(N.default)}`, true, true)
    }
    const keys = new Set([...Object.keys(L), ...Object.keys(N)].filter((k) => k === 'title' || k === 'description' || k.startsWith('x-')))
    const changed = [...keys].filter((k) => !same(L[k], N[k]))
    if (changed.length > 0) push('annotation-changed', name, `${path}: ${changed.map((k) => `"${k}"`).join(', ')} changed`, true, true)
  }
}

/** Follows local `$ref`s (siblings override the target, as 2020-12 applies both). */
function resolve(node: unknown, root: SchemaObject): SchemaObject | undefined {
  let current = node
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#') && hops < 32; hops++) {
    const { $ref, ...siblings } = current
    const target = lookup(root, $ref.slice(1))
    if (!isObject(target)) return siblings
    current = { ...target, ...siblings }
  }
  return isObject(current) ? current : undefined
}

/** The object a node stands for: the last `$ref` target it leads to, or itself. */
function identity(node: unknown, root: SchemaObject): object {
  let current = node
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#') && hops < 32; hops++) {
    const target = lookup(root, current.$ref.slice(1))
    if (!isObject(target)) break
    current = target
  }
  return isObject(current) ? current : root
}

function lookup(root: SchemaObject, fragment: string): unknown {
  if (fragment === '') return root
  let node: unknown = root
  for (const segment of splitPointer(decodeURIComponent(fragment))) {
    node = isObject(node) ? node[segment] : Array.isArray(node) ? node[Number(segment)] : undefined
  }
  return node
}

function typesOf(schema: SchemaObject): string[] {
  if (typeof schema.type === 'string') return [schema.type]
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string')
  return []
}

/** Whether a schema of `types` (empty: any) accepts values of type `t`; numbers include integers. */
function accepts(types: string[], t: string): boolean {
  return types.length === 0 || types.includes(t) || (t === 'integer' && types.includes('number'))
}

function sameShape(a: SchemaObject | undefined, b: SchemaObject | undefined): boolean {
  return !!a && !!b && JSON.stringify(typesOf(a)) === JSON.stringify(typesOf(b))
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

function describeBound(before: unknown, after: unknown): string {
  return before === undefined ? `added (${JSON.stringify(after)})` : `${JSON.stringify(before)} → ${JSON.stringify(after)}`
}

/** `/prediction/input/properties/a/items/properties/b` → `"a[].b"`. */
function describePath(pointer: string): string {
  const parts = pointer.split('/').slice(3)
  let path = ''
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'properties' && parts[i + 1] !== undefined) path += `${path ? '.' : ''}${unescapeSegment(parts[++i]!)}`
    else if (parts[i] === 'items') path += '[]'
  }
  return path ? `"${path}"` : 'the root'
}
