// A differential fuzz of the breaking-change gate: real-shaped schemas, written the way generators
// write them, changed by one or two keywords and rewritten without changing what they accept; every
// verdict decided by the ajv oracle in ./oracle.ts, never by the comparison under test.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { checkSchemasText } from '../../src/schemas/check.js'
import { diffSchemas, type SchemaChange } from '../../src/schemas/diff/index.js'
import type { Schemas } from '../../src/wriftai/types.js'
import { type Change, NEUTRAL, OPERATORS, type Schema, sites, WRAPPERS } from './mutations.ts'
import { accepts, type Json, Random, search } from './oracle.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures')

export interface Base {
  name: string
  schemas: { prediction: { input: Schema; output: Schema } }
}

/** The schemas the fuzz starts from: the realistic fixtures, the live side of every diff pair, and the Cog fixtures' shapes. */
export function loadBases(): Base[] {
  const bases: Base[] = []
  for (const file of readdirSync(path.join(FIXTURES, 'realistic')).sort()) {
    bases.push({ name: `realistic/${file}`, schemas: JSON.parse(readFileSync(path.join(FIXTURES, 'realistic', file), 'utf8')) })
  }
  for (const pair of readdirSync(path.join(FIXTURES, 'diff')).sort()) {
    const schemas = JSON.parse(readFileSync(path.join(FIXTURES, 'diff', pair, 'live.json'), 'utf8'))
    if (schemas.prediction?.input && schemas.prediction?.output) bases.push({ name: `diff/${pair}`, schemas })
  }
  return bases
}

export interface Problem {
  pair: number
  base: string
  style: string
  side: 'input' | 'output'
  changes: string[]
  neutral: string[]
  reported: string[]
  counterexample?: Json
  live: Schemas
  next: Schemas
}

export interface FuzzResult {
  pairs: number
  /** Sides with a break the oracle proved (by its own search, or by confirming the gate's counterexample). */
  proven: number
  caught: number
  missed: Problem[]
  falseAlarms: Problem[]
  /** Sides the gate left as "compatibility not proven" where the oracle found no break either. */
  notProven: number
  /** Counterexamples the gate printed, each checked by the oracle. */
  checked: number
  /** Sides where the oracle found the break itself, before looking at the gate's answer. */
  foundByOracle: number
  /** Pairs left out because a rewrite made a file the action would refuse. */
  invalid: number
}

const clone = <T>(x: T): T => structuredClone(x)

/** One pair: a base written in one generator's style, changed on one side, and rewritten neutrally on both. */
function makePair(random: Random, bases: Base[]) {
  const base = random.pick(bases)
  const doc = clone(base.schemas)
  const style = random.pick(Object.keys(WRAPPERS))
  for (const side of ['input', 'output'] as const) {
    const root = doc.prediction[side]
    for (const site of sites(root)) if (random.chance(0.7)) WRAPPERS[style]!(root, site)
  }
  const live = clone(doc)
  const next = clone(doc)
  const side = random.pick(['input', 'output'] as const)
  const changes: Change[] = []
  const count = random.pick([0, 1, 1, 1, 1, 2])
  for (let j = 0; j < count; j++) {
    for (let attempt = 0; attempt < 30; attempt++) {
      const all = sites(next.prediction[side])
      const site = random.pick(all)
      const name = random.pick(Object.keys(OPERATORS))
      const done = OPERATORS[name]!(site, random)
      if (done) {
        changes.push({ ...done, path: done.sub ? [...site.path, done.sub] : site.path })
        break
      }
    }
  }
  const neutral: string[] = []
  for (const doc of [live, next]) {
    for (let j = random.int(0, 2); j > 0; j--) {
      const which = random.pick(['input', 'output'] as const)
      const root = doc.prediction[which]
      const name = random.pick(Object.keys(NEUTRAL))
      if (NEUTRAL[name]!(root, random.pick(sites(root)), random)) neutral.push(`${doc === live ? 'live' : 'new'} ${which}: ${name}`)
    }
  }
  return { base: base.name, style, side, changes, neutral, live, next }
}

export function runFuzz(seed: number, pairs: number, tries = 120): FuzzResult {
  const bases = loadBases()
  const result: FuzzResult = { pairs, proven: 0, caught: 0, missed: [], falseAlarms: [], notProven: 0, checked: 0, foundByOracle: 0, invalid: 0 }
  for (let i = 0; i < pairs; i++) {
    const random = new Random(seed * 1_000_003 + i)
    const pair = makePair(random, bases)
    // The action refuses an invalid file before comparing it: such a pair is not a case.
    if ([pair.live, pair.next].some((doc) => checkSchemasText(JSON.stringify(doc), 'schemas.json').findings.some((f) => f.severity === 'error'))) {
      result.invalid++
      if (process.env.FUZZ_INVALID)
        console.log(
          [pair.live, pair.next]
            .flatMap((doc) =>
              checkSchemasText(JSON.stringify(doc), 'schemas.json')
                .findings.filter((f) => f.severity === 'error')
                .map((f) => `${pair.base} ${pair.style} ${f.rule} ${f.message}`),
            )
            .join('\n'),
        )
      continue
    }
    let changes: SchemaChange[]
    try {
      changes = diffSchemas(pair.live as unknown as Schemas, pair.next as unknown as Schemas)
    } catch (error) {
      throw new Error(`pair ${i} (${pair.base}, ${pair.style}): the comparison threw: ${String(error)}\n${JSON.stringify(pair)}`)
    }
    for (const side of ['input', 'output'] as const) {
      const [a, b] = side === 'input' ? [pair.live.prediction.input, pair.next.prediction.input] : [pair.next.prediction.output, pair.live.prediction.output]
      const mine = pair.side === side ? pair.changes : []
      const hints = mine.map((c) => ({ path: c.path, values: c.hints }))
      const found = search(a, b, random, tries, hints)
      const reported = changes.filter((c) => c.side === side && c.section === 'prediction')
      const breaking = reported.filter((c) => c.breaking)
      let confirmed = false
      const problem = (counterexample?: Json): Problem => ({
        pair: i,
        base: pair.base,
        style: pair.style,
        side,
        changes: mine.map((c) => `${c.name} at ${c.path.join('.') || '(root)'}`),
        neutral: pair.neutral,
        reported: reported.map((c) => `${c.breaking ? 'breaking ' : ''}${c.rule}: ${c.message}`),
        ...(counterexample !== undefined ? { counterexample } : {}),
        live: pair.live as unknown as Schemas,
        next: pair.next as unknown as Schemas,
      })
      let wrong = false
      for (const change of breaking) {
        if (change.basis !== 'counterexample') continue
        result.checked++
        if (accepts(a, change.counterexample) === true && accepts(b, change.counterexample) === false) confirmed = true
        else wrong = true
      }
      if (wrong) result.falseAlarms.push(problem())
      if (found !== undefined) result.foundByOracle++
      const proven = found !== undefined || confirmed
      if (proven) {
        result.proven++
        if (breaking.length > 0) result.caught++
        else result.missed.push(problem(found))
        continue
      }
      if (breaking.length > 0 && !wrong) {
        // A property removed while the object still takes any value breaks by convention: no value shows it.
        const removal = mine.some((c) => c.direction === 'remove')
        const byConvention = breaking.every((c) => c.basis === 'convention' && (c.rule === 'input-removed' || c.rule === 'output-removed'))
        if (!(removal && byConvention)) result.falseAlarms.push(problem())
      }
      if (reported.some((c) => c.rule === 'compatibility-not-proven')) result.notProven++
    }
  }
  return result
}

export function summarize(seed: number, r: FuzzResult): string {
  return (
    `differential fuzz (seed ${seed}): ${r.pairs} pairs (${r.invalid} left out as invalid files); ${r.proven} breaks proven by the ajv oracle (${r.foundByOracle} sides found by its own search), ` +
    `${r.caught} caught, ${r.missed.length} missed; ${r.falseAlarms.length} false alarms; ${r.checked} counterexamples checked; ${r.notProven} sides left not proven`
  )
}

export function describeProblem(p: Problem): string {
  return [
    `pair ${p.pair} ${p.base} [${p.style}] ${p.side}: ${p.changes.join('; ') || 'no change'}${p.neutral.length ? ` | neutral: ${p.neutral.join('; ')}` : ''}`,
    ...p.reported.map((r) => `    reported ${r}`),
    ...(p.counterexample !== undefined ? [`    oracle counterexample ${JSON.stringify(p.counterexample)}`] : []),
  ].join('\n')
}
