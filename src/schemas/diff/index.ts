import { createHash } from 'node:crypto'
import type { Schemas } from '../../wriftai/types.js'
import { canonicalJson } from '../canonical.js'
import { EXPANSION_BUDGET, Expansion } from '../expansion.js'
import { isObject, listSubschemas, setMember, valueAt, type SchemaObject } from '../walk.js'
import { Walk, type Candidate, type Step } from './compare.js'
import { escapePointer } from '../document.js'
import { describeChange, describeCounterexample, describePath } from './messages.js'
import { makeRoot, same } from './normalize.js'
import { arrayOf, objectOf } from './probes.js'
import { fill } from './samples.js'
import { INFO_RULES, ruleOf, type ChangeRule } from './rules.js'
import { Checker } from './verify.js'

export { CHANGE_RULES, DEPRECATION_RULES, type ChangeRule } from './rules.js'
export { describeCounterexample, showValue } from './messages.js'
/** Patterns in either document run on RE2: load it before comparing them. */
export { loadLinearEngineFor } from '../regexp.js'

export interface SchemaChange {
  rule: ChangeRule
  breaking: boolean
  section: 'prediction' | 'training'
  side: 'input' | 'output'
  message: string
  /** Where the change is in the local file. */
  pointer: string
  /** Where it was in the live version's schemas. */
  livePointer: string
  /** The live value of the changed keyword, when it had one. */
  was?: unknown
  /**
   * A whole input that the live version accepts and the local one rejects, or a whole output that
   * the local one allows and the live one did not: checked against both schemas.
   */
  counterexample?: unknown
  /** Why a breaking change breaks callers: a checked counterexample, or a convention without one. */
  basis?: 'counterexample' | 'convention'
  /**
   * 12 hex characters that name the change whatever the file's lines, key order or messages: of
   * the rule, section, side, live pointer and the change's own arguments (the property's name, the
   * keyword's live and local values). An accepted change is recorded by it.
   */
  fingerprint: string
}

export interface DiffLabels {
  /** How the live schemas are named in messages, e.g. "acme/sdxl:3". */
  live: string
}

/**
 * What changed between the live version's schemas and the local ones, from the callers' side:
 * a breaking change is one that some caller can observe, shown by a value that one version
 * accepts and the other rejects; the rest is information.
 */
export function diffSchemas(live: Schemas, local: Schemas, labels: DiffLabels = { live: 'the live version' }): SchemaChange[] {
  const changes: SchemaChange[] = []
  for (const section of ['prediction', 'training'] as const) {
    const l = live[section]
    const n = local[section]
    if (!isObject(l)) continue
    if (!isObject(n)) {
      changes.push({
        rule: 'section-removed',
        breaking: true,
        section,
        side: 'input',
        basis: 'convention',
        pointer: '',
        livePointer: `/${section}`,
        message: `"${section}" was removed; callers that use it will fail`,
        fingerprint: fingerprintOf('section-removed', section, 'input', `/${section}`, []),
      })
      continue
    }
    for (const side of ['input', 'output'] as const) {
      if (!isObject(l[side]) || !isObject(n[side])) continue
      for (const change of compareSide(section, side, l[side] as SchemaObject, n[side] as SchemaObject, labels)) changes.push(change)
    }
  }
  return changes
}

function compareSide(section: 'prediction' | 'training', side: 'input' | 'output', live: SchemaObject, local: SchemaObject, labels: DiffLabels): SchemaChange[] {
  const base = `/${section}/${side}`
  // References expand as often as they are written: a side that costs more than a run can pay per value is not compared.
  const notCompared = (schema: SchemaObject, why: string): SchemaChange[] => [
    {
      rule: 'compatibility-not-proven',
      breaking: false,
      section,
      side,
      pointer: base,
      livePointer: base,
      message: `the ${side} schema of ${schema === live ? labels.live : 'the local schemas'} was not compared: ${why}`,
      fingerprint: fingerprintOf('compatibility-not-proven', section, side, base, [schema === live ? 'live' : 'local']),
    },
  ]
  const complex = [live, local].find((schema) => new Expansion(schema, listSubschemas(schema, '').length).exceeds(schema))
  if (complex) return notCompared(complex, `through its references, checking one value would visit more than ${EXPANSION_BUDGET.toLocaleString('en-US')} subschemas beyond its own`)
  const liveRoot = makeRoot(live, base)
  const localRoot = makeRoot(local, base)
  // Inputs: what the live schema accepted must still pass. Outputs: what the local schema allows must have been allowed.
  const [rootA, rootB] = side === 'input' ? [liveRoot, localRoot] : [localRoot, liveRoot]
  const walk = new Walk(rootA, rootB)
  walk.run()
  const checkA = new Checker(rootA.schema)
  const checkB = new Checker(rootB.schema)
  // The values checked hold the property a change is in, and what the root requires.
  const names = walk.candidates.flatMap((c) => (c.probes.length > 0 && typeof c.steps[0]?.key === 'string' ? [c.steps[0].key] : []))
  const required = [rootA.schema.required, rootB.schema.required].flatMap((r) => (Array.isArray(r) ? r.filter((n): n is string => typeof n === 'string') : []))
  for (const checker of [checkA, checkB]) checker.expect(names, required)
  const changes: SchemaChange[] = []
  const requiredNames = new Set(walk.candidates.filter((c) => c.kind === 'required').map((c) => `${c.name}\u0000${c.steps.length}\u0000${c.a.pointer}`))
  const renames = renameGuesses(walk.candidates)
  const candidates = new Map<SchemaChange, Candidate>()
  for (const candidate of walk.candidates) {
    const rule = ruleOf(side, candidate)
    if (side === 'input' && rule === 'input-added' && requiredNames.has(`${candidate.name}\u0000${candidate.steps.length - 1}\u0000${candidate.steps.at(-1)?.container.pointer}`))
      continue
    // A required output the live version declares is reported once, as the property removed; one it only named in "required" is reported here.
    if (side === 'output' && rule === 'output-removed' && candidate.kind === 'required' && declares(candidate.b, candidate.name)) continue
    const local = side === 'input' ? candidate.bAt : candidate.aAt
    const livePointer = side === 'input' ? candidate.aAt : candidate.bAt
    const change: SchemaChange = { rule, breaking: false, section, side, message: '', pointer: local, livePointer, fingerprint: '' }
    candidates.set(change, candidate)
    // The live value as written there (not as the comparison reads it), when the change sits on a keyword.
    if (candidate.keyword && livePointer.endsWith(`/${candidate.keyword}`) && livePointer.startsWith(liveRoot.pointer)) {
      const was = valueAt(liveRoot.schema, livePointer.slice(liveRoot.pointer.length))
      if (was !== undefined) change.was = was
    }
    // A property the live version marked deprecated may go: a warning, not a break.
    const liveView = side === 'input' ? candidate.a : candidate.b
    if ((rule === 'input-removed' || rule === 'output-removed') && candidate.kind !== 'required' && liveView.schema.deprecated === true) {
      change.rule = rule === 'input-removed' ? 'deprecated-input-removed' : 'deprecated-output-removed'
      change.message = `${describeChange(side, rule, candidate, renames.get(candidate)).replace(/;.*$/, '')} after it was marked deprecated`
      changes.push(change)
      continue
    }
    if (!INFO_RULES.has(rule)) {
      const probes = candidate.kind === 'property-added' ? [withoutProperty(candidate, walk)] : candidate.probes
      const found = findCounterexample(candidate, probes, walk, checkA, checkB)
      const unknown = found === UNCHECKABLE ? [candidate.a, candidate.b].map((v) => v.schema.$ref).find((ref) => typeof ref === 'string') : undefined
      if (typeof unknown === 'string') {
        // Where the change sits on a reference to another file, what that version accepts there is not known: nothing is fetched.
        change.rule = 'compatibility-not-proven'
        change.message = `${describePath(side, candidate.steps)}: not compared, as "$ref": ${JSON.stringify(unknown)} points outside the schema and references are never fetched`
        changes.push(change)
        continue
      }
      if (found === UNCHECKABLE) Object.assign(change, { breaking: true, basis: 'convention' })
      else if (found !== undefined) Object.assign(change, { breaking: true, basis: 'counterexample', counterexample: found })
      else if (rule === 'input-removed' || rule === 'output-removed') Object.assign(change, { breaking: true, basis: 'convention' })
      else if (candidate.tooLarge || rule === 'pattern-changed' || rule === 'format-changed' || rule === 'output-pattern-changed' || rule === 'output-format-changed')
        change.rule = 'compatibility-not-proven'
      else continue
    }
    change.message = describeChange(side, change.rule, candidate, renames.get(candidate))
    if (change.counterexample !== undefined) change.message += describeCounterexample(side, change.counterexample, labels.live)
    changes.push(change)
  }
  for (const change of changes) {
    const candidate = candidates.get(change)
    // The keyword's local value, when the change sits on one.
    const now = candidate?.keyword && change.pointer.endsWith(`/${candidate.keyword}`) ? valueAt(localRoot.schema, change.pointer.slice(base.length)) : undefined
    change.fingerprint = fingerprintOf(change.rule, section, side, change.livePointer, [candidate?.name ?? null, change.was ?? null, now ?? null])
  }
  changes.push(...annotationChanges(walk, side, section))
  return dedupeChanges(changes)
}

function declares(v: { schema: SchemaObject }, name: string | undefined): boolean {
  return name !== undefined && isObject(v.schema.properties) && Object.hasOwn(v.schema.properties, name)
}

/** The change's fingerprint: SHA-256 of its canonical JSON description, 12 hex characters. */
function fingerprintOf(rule: string, section: string, side: string, livePointer: string, args: unknown[]): string {
  return createHash('sha256')
    .update(canonicalJson([rule, section, side, livePointer, args]))
    .digest('hex')
    .slice(0, 12)
}

/** Said of a change when a schema cannot be compiled here (a remote `$ref` in the live version): no value can be checked. */
const UNCHECKABLE = Symbol('uncheckable')

/**
 * A probe that, set into a whole value A accepts, is accepted by A and rejected by B. The value
 * around a probe is A's filled value; where A rejected that (a dependency, an if/then the probe
 * triggers), it is tried again with every property of each enclosing object filled in. The one
 * shown isolates its change: with A's own value in the probe's place, B accepts the rest (another
 * change elsewhere in the filled value would otherwise be what B rejects); failing that, the first.
 */
function findCounterexample(candidate: Candidate, probes: unknown[], walk: Walk, checkA: Checker, checkB: Checker): unknown {
  const { steps } = candidate
  let refused = false
  let first: unknown
  for (const complete of [false, true]) {
    if (complete && (!refused || steps.length === 0)) break
    // B's verdict on the same surroundings with A's own value in the probe's place.
    let control: boolean | undefined
    for (const probe of probes) {
      const value = build(steps, probe, walk, complete)
      const a = checkA.accepts(value)
      if (a === undefined) return UNCHECKABLE
      if (!a) {
        refused = true
        continue
      }
      const b = checkB.accepts(value)
      if (b === undefined) return UNCHECKABLE
      if (b) continue
      if (steps.length === 0) return value
      control ??= checkB.accepts(build(steps, fill(candidate.a, walk.readA), walk, complete)) === true
      if (control) return value
      first ??= value
    }
  }
  return first === undefined ? undefined : isolated(first, candidate, walk, checkA, checkB)
}

/**
 * A counterexample whose other top-level fields B also rejects (another change made A's filled
 * value for them invalid) with each such field given B's own value where that keeps the
 * counterexample: so that it shows this change alone.
 */
function isolated(value: unknown, candidate: Candidate, walk: Walk, checkA: Checker, checkB: Checker): unknown {
  const key = candidate.steps[0]?.key
  if (!isObject(value) || typeof key !== 'string') return value
  const rootB = walk.readB(walk.rootB.schema, walk.rootB.pointer)
  const propsB = isObject(rootB.schema.properties) ? rootB.schema.properties : {}
  const control = build(candidate.steps, fill(candidate.a, walk.readA), walk) as Record<string, unknown>
  let best: Record<string, unknown> = value
  for (const name of Object.keys(value)) {
    if (name === key || !Object.hasOwn(propsB, name)) continue
    const theirs = fill(walk.readB(propsB[name], `${rootB.at.properties}/${escapePointer(name)}`), walk.readB)
    const tried = { ...best }
    setMember(tried, name, theirs)
    const tryControl = isObject(control) ? { ...control } : {}
    setMember(tryControl, name, theirs)
    if (checkA.accepts(tried) && checkB.accepts(tried) === false) {
      best = tried
      if (checkB.accepts(tryControl)) return best
    }
  }
  return best
}

/** A whole value with `leaf` at the place `steps` lead to, the rest filled as A most likely accepts (`complete`: every property filled). */
function build(steps: Step[], leaf: unknown, walk: Walk, complete = false): unknown {
  let value = leaf
  for (let i = steps.length - 1; i >= 0; i--) {
    const { container, key } = steps[i]!
    if (typeof key === 'number') {
      const filled = fill(container, walk.readA)
      value = arrayOf(container, walk.readA, Math.max(key + 1, Array.isArray(filled) ? filled.length : 0), { index: key, value })
    } else {
      const object = objectOf(container, walk.readA)
      const properties = container.schema.properties
      if (complete && isObject(properties)) {
        for (const name of Object.keys(properties)) {
          if (!Object.hasOwn(object, name)) setMember(object, name, fill(walk.readA(properties[name], `${container.at.properties}/${escapePointer(name)}`), walk.readA))
        }
      }
      setMember(object, key, value)
      value = object
    }
  }
  return value
}

/** For a property B has and A lacks: the value of A's object without it. */
function withoutProperty(candidate: Candidate, walk: Walk): unknown {
  const container = candidate.steps.at(-1)?.container
  const value = container ? fill(container, walk.readA) : {}
  if (isObject(value)) delete value[candidate.name!]
  return value
}

/** For each removed input, an added one of the same shape: likely its new name. */
function renameGuesses(candidates: Candidate[]): Map<Candidate, string> {
  const added = new Map<string, string>()
  for (const c of candidates) {
    if (c.kind === 'property-added') {
      const key = `${c.steps.at(-1)?.container.pointer}\u0000${shapeKey(c.b.schema)}`
      if (!added.has(key)) added.set(key, c.name!)
    }
  }
  const guesses = new Map<Candidate, string>()
  for (const c of candidates) {
    if (c.kind !== 'property-removed') continue
    const name = added.get(`${c.steps.at(-1)?.container.pointer}\u0000${shapeKey(c.a.schema)}`)
    if (name !== undefined) guesses.set(c, name)
  }
  return guesses
}

function shapeKey(schema: SchemaObject): string {
  return JSON.stringify(schema.type ?? null)
}

/** Defaults, titles, descriptions and `x-*` of properties present on both sides: information. */
function annotationChanges(walk: Walk, side: 'input' | 'output', section: 'prediction' | 'training'): SchemaChange[] {
  const changes: SchemaChange[] = []
  for (const { a, b, steps } of walk.matched) {
    const [live, local] = side === 'input' ? [a, b] : [b, a]
    const where = describePath(side, steps)
    const L = live.schema
    const N = local.schema
    const on = { section, side, breaking: false, pointer: local.pointer, livePointer: live.pointer }
    if ('default' in L && 'default' in N && !same(L.default, N.default)) {
      changes.push({
        ...on,
        rule: 'default-changed',
        was: L.default,
        message: `${where}: default ${JSON.stringify(L.default)} → ${JSON.stringify(N.default)}`,
        fingerprint: fingerprintOf('default-changed', section, side, live.pointer, [L.default, N.default]),
      })
    }
    if (L.deprecated !== true && N.deprecated === true) {
      changes.push({
        ...on,
        rule: side === 'input' ? 'input-deprecated' : 'output-deprecated',
        message: `${where} is now deprecated`,
        fingerprint: fingerprintOf(side === 'input' ? 'input-deprecated' : 'output-deprecated', section, side, live.pointer, []),
      })
    }
    const keys = new Set([...Object.keys(L), ...Object.keys(N)].filter((k) => k === 'title' || k === 'description' || k.startsWith('x-')))
    const changed = [...keys].filter((k) => !same(L[k], N[k]))
    if (changed.length > 0) {
      const message = `${where}: ${changed.map((k) => `"${k}"`).join(', ')} changed`
      changes.push({
        ...on,
        rule: 'annotation-changed',
        message,
        fingerprint: fingerprintOf(
          'annotation-changed',
          section,
          side,
          live.pointer,
          changed.map((k) => [k, N[k] ?? null]),
        ),
      })
    }
  }
  return changes
}

function dedupeChanges(changes: SchemaChange[]): SchemaChange[] {
  const seen = new Set<string>()
  return changes.filter((c) => {
    const key = `${c.rule}\u0000${c.pointer}\u0000${c.livePointer}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
