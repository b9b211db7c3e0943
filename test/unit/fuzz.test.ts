import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadLinearEngine } from '../../src/schemas/regexp.js'
import { describeProblem, runFuzz, summarize } from '../fuzz/run.ts'

beforeAll(loadLinearEngine)

// `npm test` runs a few hundred pairs; `npm run fuzz` runs thousands (FUZZ_PAIRS, FUZZ_SEED).
const PAIRS = Number(process.env.FUZZ_PAIRS ?? 300)
const SEED = Number(process.env.FUZZ_SEED ?? 20261205)

describe('the differential fuzz', () => {
  it(`finds no missed break and no false alarm over ${PAIRS} pairs`, { timeout: Math.max(60_000, PAIRS * 400) }, () => {
    const result = runFuzz(SEED, PAIRS)
    console.log(summarize(SEED, result))
    for (const p of [...result.missed.map((m) => ({ ...m, what: 'missed' })), ...result.falseAlarms.map((m) => ({ ...m, what: 'false alarm' }))].slice(0, 40))
      console.log(`  ${p.what}: ${describeProblem(p)}`)
    if (process.env.FUZZ_DUMP) {
      // Each problem's two files, to run through `diff` by hand.
      mkdirSync(process.env.FUZZ_DUMP, { recursive: true })
      for (const [i, p] of [...result.missed, ...result.falseAlarms].entries()) {
        writeFileSync(path.join(process.env.FUZZ_DUMP, `${i}-live.json`), JSON.stringify(p.live, null, 1))
        writeFileSync(path.join(process.env.FUZZ_DUMP, `${i}-new.json`), JSON.stringify(p.next, null, 1))
      }
    }
    // The oracle proves breaks of every kind, and the gate is checked on each.
    expect(result.proven).toBeGreaterThan(PAIRS / 4)
    expect(result.missed.map(describeProblem)).toEqual([])
    expect(result.falseAlarms.map(describeProblem)).toEqual([])
  })
})
