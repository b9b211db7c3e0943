// The official JSON-Schema-Test-Suite (draft 2020-12, MIT), which is not on npm: read from
// JSON_SCHEMA_TEST_SUITE, by default ../shared/json-schema-test-suite beside the repository (CI's
// workflow checks it out at the commit in its SUITE_COMMIT). Every schema of the suite is the output
// schema of a schemas file, each case's data its "default" (one file per case) and all of a group's
// data its "examples": the product must report a mismatch exactly for the invalid ones.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkSchemasText } from '../../src/schemas/check.js'
import { loadLinearEngine } from '../../src/schemas/regexp.js'

beforeAll(loadLinearEngine)

const SUITE = path.resolve(process.env.JSON_SCHEMA_TEST_SUITE ?? path.resolve(import.meta.dirname, '../../../shared/json-schema-test-suite'))
const TESTS = path.join(SUITE, 'tests/draft2020-12')
const present = existsSync(TESTS)

/** The suite's commit: ../shared records it in SUITE_COMMIT; a checkout of the suite's own repository is asked. */
function suiteCommit(): string {
  const file = path.join(SUITE, 'SUITE_COMMIT')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  return execFileSync('git', ['-C', SUITE, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim()
}

/**
 * Where the product and the suite disagree, on purpose or because of ajv, by `file#group/case`
 * (the case index, or `*` for the whole group). A deviation not listed fails the test, and so does
 * a listed one that no longer occurs.
 */
const DEVIATIONS: Record<string, string> = {
  // 2020-12 lets "$dynamicRef" change meaning by the dynamic scope; ajv resolves these statically.
  'dynamicRef.json#': "ajv's $dynamicRef: resolved statically where the dynamic scope would pick another anchor",
  // Formats are asserted here (a default that is not a date is an error): the suite's format.json treats them as annotations.
  'format.json#': 'formats are assertions in this product, as the README says',
  // ajv's own (bare ajv answers the same): $dynamicRef across resource boundaries, and
  // unevaluatedItems/unevaluatedProperties through nested items, contains and if without then.
  'optional/dynamicRef.json#0/0': "ajv's: a $dynamicRef that skips an intermediate resource",
  'unevaluatedItems.json#8/*': "ajv's: unevaluatedItems beside items nested in anyOf",
  'unevaluatedItems.json#21/2': "ajv's: unevaluatedItems that depends on an adjacent contains",
  'unevaluatedItems.json#22/1': "ajv's: unevaluatedItems that depends on nested contains",
  'unevaluatedProperties.json#15/*': "ajv's: unevaluatedProperties with if/else and no then",
  'optional/float-overflow.json#': '1e308 × 10 is Infinity in JavaScript',
}

interface Case {
  description: string
  data: unknown
  valid: boolean
}
interface Group {
  description: string
  schema: unknown
  tests: Case[]
}

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? files(path.join(dir, name), `${prefix}${name}/`) : name.endsWith('.json') ? [`${prefix}${name}`] : []))
}

function listed(file: string, group: number, index: number | '*'): string | undefined {
  for (const key of [`${file}#${group}/${index}`, `${file}#${group}/*`, `${file}#`]) if (Object.hasOwn(DEVIATIONS, key)) return key
  const folder = file.includes('/') ? `${file.slice(0, file.lastIndexOf('/') + 1)}` : undefined
  return folder && Object.hasOwn(DEVIATIONS, `${folder}#`) ? `${folder}#` : undefined
}

/** A schemas file whose output schema is the suite's schema with `extra` (a default, examples) beside it. */
function schemasFile(schema: unknown, extra: Record<string, unknown>): string {
  const output = schema && typeof schema === 'object' && !Array.isArray(schema) ? { ...(schema as object), ...extra } : { allOf: [schema], ...extra }
  return JSON.stringify({ prediction: { input: { type: 'object', properties: {} }, output } })
}

const tally = { cases: 0, agree: 0, deviations: 0, unchecked: 0 }
const unexpected: string[] = []
const seen = new Set<string>()

describe.runIf(present)(`JSON-Schema-Test-Suite draft 2020-12 (${present ? suiteCommit().slice(0, 12) : 'absent'})`, () => {
  const all = present ? files(TESTS) : []
  it.each(all)('%s', (file) => {
    const groups = JSON.parse(readFileSync(path.join(TESTS, file), 'utf8')) as Group[]
    groups.forEach((group, g) => {
      // All of a group's data as examples, in one file: each invalid one is an example-mismatch at its index.
      const examples = checkSchemasText(schemasFile(group.schema, { examples: group.tests.map((t) => t.data) }), 'schemas.json').findings
      const blocked = examples.some((f) => f.severity === 'error' && f.rule !== 'example-mismatch')
      group.tests.forEach((test, i) => {
        tally.cases++
        if (blocked) {
          // A schema the product refuses before any value is checked (a remote $ref, another dialect): nothing to compare.
          tally.unchecked++
          return
        }
        const mismatch = examples.some((f) => f.rule === 'example-mismatch' && f.pointer === `/prediction/output/examples/${i}`)
        const def = checkSchemasText(schemasFile(group.schema, { default: test.data }), 'schemas.json').findings.some((f) => f.rule === 'default-mismatch')
        const agrees = mismatch !== test.valid && def !== test.valid
        const key = listed(file, g, i)
        if (agrees) tally.agree++
        else if (key) {
          tally.deviations++
          seen.add(key)
        } else unexpected.push(`${file}#${g}/${i} (${group.description}: ${test.description}): valid ${test.valid}, product says ${mismatch || def ? 'invalid' : 'valid'}`)
      })
    })
  })

  afterAll(() => {
    console.log(
      `JSON-Schema-Test-Suite draft 2020-12: ${tally.cases} cases (each as a default and as an example); ${tally.agree} agree, ${tally.deviations} listed deviations, ${tally.unchecked} not checked (a schema refused before its values: remote references, other dialects); agreement ${((100 * tally.agree) / Math.max(1, tally.cases - tally.unchecked)).toFixed(1)}% of those checked`,
    )
    for (const line of unexpected) console.log(`  unexpected: ${line}`)
  })

  it("is the commit CI's workflow checks out", () => {
    const workflow = readFileSync(path.resolve(import.meta.dirname, '../../.github/workflows/ci.yml'), 'utf8')
    const ref = /repository: json-schema-org\/JSON-Schema-Test-Suite\n\s+ref: ([0-9a-f]{40})/.exec(workflow)?.[1]
    expect(ref).toBe(suiteCommit())
  })

  it('deviates only where the list says, and the list holds nothing stale', () => {
    expect(unexpected).toEqual([])
    expect(Object.keys(DEVIATIONS).filter((key) => !seen.has(key))).toEqual([])
  })
})

describe.runIf(!present)('JSON-Schema-Test-Suite', () => {
  it(`is at ${SUITE}`, () => {
    // Outside CI a checkout without ../shared skips it, and says why; CI must have it.
    console.log(`JSON-Schema-Test-Suite not found at ${SUITE}: set JSON_SCHEMA_TEST_SUITE; the suite test is skipped`)
    expect(process.env.CI ? present : true).toBe(true)
  })
})
