import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLinearEngine } from '../../src/schemas/regexp.js'
import { diffSchemas } from '../../src/schemas/diff/index.js'
import { valueAt } from '../../src/schemas/walk.js'
import { historyPairs, releases } from '../fuzz/history.ts'
import { accepts, Random, search } from '../fuzz/oracle.ts'

beforeAll(loadLinearEngine)

const pairs = historyPairs()
const tally = { uncompared: 0, sides: 0, proven: 0, caught: 0, conventions: 0, falseAlarms: 0, clean: 0 }
const lines: string[] = []

// Verdicts come from the ajv oracle's own search (values drawn from the older schema, kept when the
// newer one rejects them) and from checking each counterexample the gate prints; a removal by
// convention counts when the property is in the older file and gone from the newer one.
describe(`real schema histories (@huggingface/tasks ${releases().join(', ')})`, () => {
  it('holds at least 40 pairs of consecutive versions', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40)
  })

  it.each(pairs.map((p) => [`${p.task} ${p.from} → ${p.to}`, p] as const))('%s', (_name, pair) => {
    const changes = diffSchemas(pair.live, pair.next, { live: pair.from })
    for (const side of ['input', 'output'] as const) {
      tally.sides++
      const live = pair.live.prediction![side] as Record<string, unknown>
      const next = pair.next.prediction![side] as Record<string, unknown>
      const [a, b] = side === 'input' ? [live, next] : [next, live]
      if (accepts(a, {}) === undefined || accepts(b, {}) === undefined) {
        // A side that names another file (a task's schema pointing at another task's): neither the
        // oracle nor the gate can read what it accepts, and the gate must say it did not compare.
        tally.uncompared++
        const said = changes.filter((c) => c.side === side)
        const unchanged = JSON.stringify(live) === JSON.stringify(next)
        if (unchanged ? said.length > 0 : !(said.some((c) => c.rule === 'compatibility-not-proven') && said.every((c) => !c.breaking)))
          lines.push(`compared without its references: ${pair.task} ${pair.from} → ${pair.to} ${side}`)
        continue
      }
      const found = search(a, b, new Random(tally.sides), 400, [])
      const breaking = changes.filter((c) => c.side === side && c.breaking)
      let confirmed = false
      let wrong = false
      for (const change of breaking) {
        if (change.basis === 'counterexample') {
          if (accepts(a, change.counterexample) === true && accepts(b, change.counterexample) === false) confirmed = true
          else wrong = true
        } else if (change.basis === 'convention') {
          const removed =
            (change.rule === 'input-removed' || change.rule === 'output-removed') &&
            valueAt(pair.live, change.livePointer) !== undefined &&
            valueAt(pair.next, change.livePointer) === undefined
          if (removed) tally.conventions++
          else wrong = true
        }
      }
      const proven = found !== undefined || confirmed
      const where = `${pair.task} ${pair.from} → ${pair.to} ${side}`
      if (proven) tally.proven++
      if (proven && breaking.length > 0) tally.caught++
      if (proven && breaking.length === 0) lines.push(`missed: ${where}, e.g. ${JSON.stringify(found)}`)
      if (wrong) {
        tally.falseAlarms++
        lines.push(`false alarm: ${where}: ${breaking.map((c) => c.message).join(' | ')}`)
      }
      if (!proven && breaking.length === 0) tally.clean++
    }
  })

  afterAll(() => {
    const recall = tally.proven === 0 ? 1 : tally.caught / tally.proven
    const reported = tally.caught + tally.falseAlarms
    const precision = reported === 0 ? 1 : tally.caught / reported
    console.log(
      `schema histories: ${pairs.length} pairs (${tally.sides} sides); ${tally.proven} breaks proven by the oracle, ${tally.caught} caught; ` +
        `recall ${(100 * recall).toFixed(1)}%, precision ${(100 * precision).toFixed(1)}%; ${tally.conventions} removals by convention confirmed; ${tally.falseAlarms} false alarms; ${tally.clean} sides without a break; ${tally.uncompared} sides not compared (a $ref to another file)`,
    )
    for (const line of lines) console.log(`  ${line}`)
  })

  it('misses nothing and raises no false alarm', () => {
    expect(lines).toEqual([])
  })
})
