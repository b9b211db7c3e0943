// npm run bench: measures the bundle on this machine against the floor and its peers, in one run.
// Every figure is the median of RUNS runs; every comparison is a ratio of medians taken in the same
// run, the two commands in turns. Prints a table and writes bench/results.json.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT, runAction, tagPushEnv } from '../test/helpers/run-action.ts'
import { PASSWORD, registryAvailable, startRegistry, USER } from '../test/registry/harness.ts'
import { pushTestImages } from '../test/registry/images.ts'
import { startNestedIndexRegistry } from '../test/registry/nested-index.ts'
import { startSandbox, type Sandbox } from '../test/sandbox/server.ts'
import { generateDiffPair, generateSchemas } from './generate-schemas.ts'

// At least 5, as the budget asks; more keep the medians of short runs steady on a shared machine.
const RUNS = 11
const LATENCY_MS = 50
const AJV_CLI_CAP_MS = 60_000
const NODE = process.execPath

interface Row {
  name: string
  value: string
  budget: string
  ok: boolean | undefined
}

const rows: Row[] = []
const results: Record<string, unknown> = { runs: RUNS, node: process.version, date: new Date().toISOString() }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Wall time of one process run, in ms; fails when it exits non-zero. */
function timed(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ ms: number; stdout: string }> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve({ ms: performance.now() - started, stdout }) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`)),
    ),
  )
}

/** Like timed, but gives up after capMs: the result then only says "more than capMs". */
async function timedWithCap(command: string, args: string[], capMs: number): Promise<{ ms: number; capped: boolean }> {
  const started = performance.now()
  const child = spawn(command, args, { stdio: 'ignore' })
  const timer = setTimeout(() => child.kill('SIGKILL'), capMs)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  const ms = performance.now() - started
  if (ms >= capMs) return { ms: capMs, capped: true }
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}`)
  return { ms, capped: false }
}

const ms = (n: number) => `${n.toFixed(0)} ms`
const ratio = (n: number) => `${n.toFixed(2)}×`

/** Medians of commands run in turns, so that all meet the same moments of a busy machine. */
async function medians<T extends (() => Promise<number>)[]>(...commands: T): Promise<{ [K in keyof T]: number }> {
  const times = commands.map((): number[] => [])
  for (let i = 0; i < RUNS; i++) for (const [j, command] of commands.entries()) times[j]!.push(await command())
  return times.map(median) as { [K in keyof T]: number }
}

async function coldStart(workspace: string): Promise<void> {
  // What the runner gives a step: output and summary files, the workspace as the working directory.
  const outputs = path.join(workspace, 'github-output')
  const summary = path.join(workspace, 'github-step-summary')
  // The schemas file sits in the workspace, as in a checkout: the action reads no file outside it.
  await Promise.all([writeFile(outputs, ''), writeFile(summary, ''), writeFile(path.join(workspace, 'schemas.json'), await readFile(path.join(ROOT, 'examples/schemas.json')))])
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputs,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_MODE: 'validate',
    INPUT_MODEL: 'acme/hello-world',
    'INPUT_SCHEMAS-FILE': 'schemas.json',
    // Validation alone: no baseline, so no request leaves the machine.
    INPUT_BASELINE: 'none',
  }
  const [floor, ours] = await medians(
    async () => (await timed(NODE, ['-e', '0'], { cwd: workspace })).ms,
    async () => (await timed(NODE, [path.join(ROOT, 'dist/index.js')], { env, cwd: workspace })).ms,
  )
  results.coldStart = { floorMs: floor, oursMs: ours, ratio: ours / floor, budgetRatio: 2.5 }
  rows.push({
    name: 'Cold start: node dist/index.js (validate) vs node -e 0',
    value: `${ms(ours)} vs ${ms(floor)} = ${ratio(ours / floor)}`,
    budget: '≤ 2.5×',
    ok: ours / floor <= 2.5,
  })
}

async function validation(workspace: string): Promise<void> {
  // No x- keywords, so that ajv-cli in strict mode compiles the schemas whole rather than stopping early.
  const text = generateSchemas(5 * 1024 * 1024, { extensions: false })
  const file = path.join(workspace, 'big-schemas.json')
  await writeFile(file, text)
  const schemas = JSON.parse(text) as { prediction: { input: unknown; output: unknown } }
  const input = path.join(workspace, 'input.json')
  const output = path.join(workspace, 'output.json')
  await writeFile(input, JSON.stringify(schemas.prediction.input))
  await writeFile(output, JSON.stringify(schemas.prediction.output))
  // ajv-cli overflows the default stack on a schema this size, so it gets a larger one; it takes
  // minutes even then, so each run is capped and a capped run only bounds its time from below.
  const ajvCli = path.join(ROOT, 'node_modules/ajv-cli/dist/index.js')
  const peerArgs = ['--stack-size=16000', ajvCli, 'compile', '--spec=draft2020', '-c', 'ajv-formats', '-s', input, '-s', output]
  const peerRuns: { ms: number; capped: boolean }[] = []
  for (let i = 0; i < RUNS; i++) {
    peerRuns.push(await timedWithCap(NODE, peerArgs, AJV_CLI_CAP_MS))
    if (peerRuns.at(-1)!.capped) break
  }
  const capped = peerRuns.some((r) => r.capped)
  const peer = capped ? AJV_CLI_CAP_MS : median(peerRuns.map((r) => r.ms))
  const [ours] = await medians(async () => (await timed(NODE, [path.join(ROOT, 'dist/cli.js'), 'validate', '--schemas', file])).ms)
  const mb = text.length / 1024 / 1024
  results.validation = { sizeMB: mb, oursMs: ours, ajvCliMs: peer, ajvCliCapped: capped, ajvCliRuns: peerRuns.length, ratio: ours / peer, budgetRatio: 0.5, budgetMs: 1500 }
  const peerText = capped ? `> ${ms(peer)} (capped)` : ms(peer)
  rows.push({
    name: `Validate ${mb.toFixed(1)} MB: CLI validate vs ajv-cli 5 compile`,
    value: `${ms(ours)} vs ${peerText} = ${capped ? '< ' : ''}${ratio(ours / peer)}`,
    budget: '≤ 0.5×',
    ok: ours / peer <= 0.5,
  })
  rows.push({ name: `Validate ${mb.toFixed(1)} MB: absolute`, value: ms(ours), budget: '< 1500 ms', ok: ours < 1500 })

  // How validation grows with the number of properties: the live side of the comparison pairs, whole CLI runs.
  const scaling: Record<string, number> = {}
  for (const count of [1_000, 10_000, 40_000]) {
    const scaled = path.join(workspace, `validate-${count}.json`)
    await writeFile(scaled, generateDiffPair(count, 'edits').live)
    // Taken in turns with the floor of any Node process, so that both meet the same moments of a busy machine.
    const [time, floor] = await medians(
      async () => (await timed(NODE, [path.join(ROOT, 'dist/cli.js'), 'validate', '--schemas', scaled, '--baseline', 'none'])).ms,
      async () => (await timed(NODE, ['-e', '0'])).ms,
    )
    scaling[count] = time
    const budget = count === 40_000 ? 2000 : 10_000
    rows.push({ name: `Validate ${count.toLocaleString('en')} properties: CLI validate (node -e 0: ${ms(floor)})`, value: ms(time), budget: `< ${budget} ms`, ok: time < budget })
  }
  results.validationScaling = scaling
}

// Times the comparison alone, in a fresh process each run, through the chunk the bundle loads for it.
const DIFF_ONCE = `
const { diffSchemas } = require(process.argv[1])
const { readFileSync } = require('node:fs')
const live = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const next = JSON.parse(readFileSync(process.argv[3], 'utf8'))
const started = performance.now()
const changes = diffSchemas(live, next)
const ms = performance.now() - started
console.log(JSON.stringify({ ms, changes: changes.length, breaking: changes.filter((c) => c.breaking).length }))`

async function comparison(workspace: string): Promise<void> {
  const chunk = path.join(ROOT, 'dist/chunks/diff.js')
  const cases = [
    [1_000, 'edits'],
    [10_000, 'edits'],
    [40_000, 'edits'],
    [40_000, 'renames'],
  ] as const
  const measured: Record<string, unknown>[] = []
  for (const [count, mode] of cases) {
    const { live, next } = generateDiffPair(count, mode)
    const liveFile = path.join(workspace, `diff-${count}-${mode}-live.json`)
    const nextFile = path.join(workspace, `diff-${count}-${mode}-new.json`)
    await Promise.all([writeFile(liveFile, live), writeFile(nextFile, next)])
    let last = { changes: 0, breaking: 0 }
    const [compare, cli, floor] = await medians(
      async () => {
        const { stdout } = await timed(NODE, ['-e', DIFF_ONCE, chunk, liveFile, nextFile])
        const result = JSON.parse(stdout) as { ms: number; changes: number; breaking: number }
        last = result
        return result.ms
      },
      // The CLI also reads and validates both files; it exits 1 because the pairs break callers.
      async () => {
        const started = performance.now()
        await timed(NODE, [path.join(ROOT, 'dist/cli.js'), 'diff', liveFile, nextFile]).catch((error: Error) => {
          if (!/exited 1:/.test(error.message)) throw error
        })
        return performance.now() - started
      },
      async () => (await timed(NODE, ['-e', '0'])).ms,
    )
    const label = `${count.toLocaleString('en')} properties, ${mode === 'edits' ? `${last.changes} changes` : 'every one renamed'}`
    measured.push({ count, mode, compareMs: compare, cliMs: cli, changes: last.changes, breaking: last.breaking, sizeMB: live.length / 1024 / 1024 })
    rows.push({ name: `Compare with the live version: ${label}`, value: ms(compare), budget: '< 2000 ms', ok: compare < 2000 })
    rows.push({
      name: `CLI diff (reads and validates both files too): ${label} (node -e 0: ${ms(floor)})`,
      value: ms(cli),
      budget: count === 40_000 ? '< 3000 ms' : '',
      ok: count === 40_000 ? cli < 3000 : undefined,
    })
  }
  results.comparison = measured
}

/** The differential fuzz at length, once (its figures are counts, not times): pairs, proven breaks, caught, missed, false alarms. */
function fuzz(): void {
  const pairs = 5_000
  // The test exits 1 when it finds a miss: its summary line is read either way.
  const { stdout } = spawnSync('npx', ['vitest', 'run', '--project', 'unit', 'test/unit/fuzz.test.ts'], {
    cwd: ROOT,
    env: { ...process.env, FUZZ_PAIRS: String(pairs) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const line = /differential fuzz \(seed (\d+)\): (\d+) pairs \((\d+) left out[^;]*; (\d+) breaks proven[^,]*, (\d+) caught, (\d+) missed; (\d+) false alarms/.exec(
    stdout.replace(/\u001b\[[0-9;]*m/g, ''),
  )
  if (!line) throw new Error(`the fuzz printed no summary:\n${stdout}`)
  const [, seed, total, invalid, proven, caught, missed, falseAlarms] = line.map(Number)
  results.fuzz = { seed, pairs: total, invalid, proven, caught, missed, falseAlarms }
  rows.push({
    name: `Differential fuzz (seed ${seed}): ${total!.toLocaleString('en')} pairs, ${proven} breaks proven by the ajv oracle`,
    value: `${caught} caught, ${missed} missed, ${falseAlarms} false alarms`,
    budget: '0 missed, 0 false alarms',
    ok: missed === 0 && falseAlarms === 0,
  })
}

/** Files a pull request could hold to slow validation down, each written to stress one check. */
function hostileFiles(): Record<string, unknown> {
  const wrap = (input: Record<string, unknown>) => ({ prediction: { input: { type: 'object', ...input }, output: { type: 'string' } } })
  const defs: Record<string, unknown> = { d0: { type: 'integer' } }
  for (let k = 1; k <= 25; k++) defs[`d${k}`] = { allOf: [{ $ref: `#/$defs/d${k - 1}` }, { $ref: `#/$defs/d${k - 1}` }] }
  return {
    'a pattern that backtracks, 5,000-character default': wrap({ properties: { s: { type: 'string', pattern: '^(a+)+$', default: `${'a'.repeat(5000)}!` } } }),
    'a 40,000-member enum': wrap({ properties: { e: { enum: Array.from({ length: 40_000 }, (_, i) => i), default: 5 } } }),
    'five 1 MB unknown keywords': wrap({ properties: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`p${i}`, { type: 'string', ['k'.repeat(1_000_000 - i)]: 1 }])) }),
    '1,500 unknown required names, 5,000 properties': wrap({
      properties: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`parameter_${i}`, { type: 'string' }])),
      required: Array.from({ length: 1500 }, (_, i) => `paramater_${i}x`),
    }),
    'a $ref fan-out 25 levels deep': wrap({ properties: { x: { $ref: '#/$defs/d25', default: 1 } }, $defs: defs }),
    'a uniqueItems default of 40,000 distinct objects': wrap({
      properties: { u: { type: 'array', uniqueItems: true, default: Array.from({ length: 40_000 }, (_, i) => ({ id: i, name: `n${i}` })) } },
    }),
    'a backtracking patternProperties against 30 required names': wrap({
      properties: {},
      patternProperties: { '^(a+)+$': { type: 'string' } },
      required: Array.from({ length: 30 }, (_, i) => `${'a'.repeat(30 + i)}!`),
    }),
    'a backtracking pattern with a lookahead, 5,000-character default': wrap({ properties: { s: { type: 'string', pattern: '^(?=a)(a+)+$', default: `${'a'.repeat(5000)}!` } } }),
    'a backtracking propertyNames against a default': wrap({
      properties: { x: { type: 'object', propertyNames: { pattern: '^(a+)+$' }, default: { [`${'a'.repeat(5000)}!`]: 1 } } },
    }),
    // As text: the key written with an escape, which a search of the text for "pattern" would miss.
    'a backtracking pattern under an escaped key, 40-character default': JSON.stringify(
      wrap({ properties: { s: { type: 'string', pattern: '^(a+)+$', default: `${'a'.repeat(40)}!` } } }),
    ).replace('"pattern"', '"\\u0070attern"'),
    'twelve a* in a row, 60-character default': wrap({ properties: { s: { type: 'string', pattern: `^${'a*'.repeat(12)}$`, default: `${'a'.repeat(60)}!` } } }),
    'twelve a* in a row as a patternProperties name, 30 required names': wrap({
      properties: {},
      patternProperties: { [`^${'a*'.repeat(12)}$`]: { type: 'string' } },
      required: Array.from({ length: 30 }, (_, i) => `${'a'.repeat(60)}${i}!`),
    }),
    'a nested quantifier beside \\u{61}, \\cJ, [\\b] and \\p{Script=Latin}': wrap({
      properties: Object.fromEntries(
        ['^(\\u{61}+)+$', '^(a+\\cJ?)+$', '^(a+[\\b]?)+$', '^(\\p{Script=Latin}+)+$'].map((pattern, i) => [`s${i}`, { type: 'string', pattern, default: `${'a'.repeat(5000)}!` }]),
      ),
    }),
    'a $ref fan-out 40 levels deep (2^40 paths)': wrap({ properties: { x: { $ref: '#/$defs/L0', default: 'x' } }, $defs: fanOut(40) }),
  }
}

/** L0 … Ln, each an allOf of two references to the next: 2^n paths in a few kilobytes. */
function fanOut(levels: number): Record<string, unknown> {
  const defs: Record<string, unknown> = { [`L${levels}`]: { type: 'string' } }
  for (let i = 0; i < levels; i++) defs[`L${i}`] = { allOf: [{ $ref: `#/$defs/L${i + 1}` }, { $ref: `#/$defs/L${i + 1}` }] }
  return defs
}

/** Commands other than validate on hostile input: the comparison, release notes, the Cog converter. */
function hostileCommands(): Record<string, { files: Record<string, string>; args: string[] }> {
  const wrap = (input: Record<string, unknown>) => JSON.stringify({ prediction: { input: { type: 'object', ...input }, output: { type: 'string' } } })
  const components: Record<string, unknown> = { Input: { type: 'object', properties: { c: { $ref: '#/components/schemas/C0' } } }, Output: { type: 'string' } }
  for (let i = 0; i < 80_000; i++) components[`C${i}`] = { type: 'object', properties: { next: { $ref: `#/components/schemas/C${(i + 1) % 80_000}` } } }
  return {
    'diff: a $ref fan-out 40 levels deep': {
      files: {
        'live.json': wrap({ properties: { x: { $ref: '#/$defs/L0' } }, $defs: fanOut(40) }),
        'new.json': wrap({ properties: { x: { $ref: '#/$defs/L0', default: 'x' } }, $defs: fanOut(40) }),
      },
      args: ['diff', 'live.json', 'new.json'],
    },
    'diff: minItems 2e8 and minLength 4e8 added, maxItems and maxLength lowered past 1e8': {
      files: {
        'live.json': wrap({ properties: { xs: { type: 'array', maxItems: 4e8 }, s: { type: 'string', maxLength: 5e8 } } }),
        'new.json': wrap({ properties: { xs: { type: 'array', minItems: 2e8, maxItems: 2e8 }, s: { type: 'string', minLength: 4e8, maxLength: 4e8 } } }),
      },
      args: ['diff', 'live.json', 'new.json'],
    },
    'import-cog: 80,000 components (3.8 MB)': {
      files: { 'openapi.json': JSON.stringify({ openapi: '3.0.2', components: { schemas: components } }) },
      args: ['import-cog', 'openapi.json'],
    },
  }
}

async function hostile(workspace: string): Promise<void> {
  const measured: Record<string, number> = {}
  for (const [name, content] of Object.entries(hostileFiles())) {
    const file = path.join(workspace, `hostile-${Object.keys(measured).length}.json`)
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content))
    // Each file has findings, so the CLI exits 1; the time is what counts.
    const [time] = await medians(async () => {
      const started = performance.now()
      await timed(NODE, [path.join(ROOT, 'dist/cli.js'), 'validate', '--schemas', file]).catch((error: Error) => {
        if (!/exited 1:/.test(error.message)) throw error
      })
      return performance.now() - started
    })
    measured[name] = time
  }
  for (const [name, { files, args }] of Object.entries(hostileCommands())) {
    const dir = await mkdtemp(path.join(workspace, 'hostile-command-'))
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text)
    const [time] = await medians(async () => {
      const started = performance.now()
      await timed(NODE, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: dir }).catch((error: Error) => {
        if (!/exited 1:/.test(error.message)) throw error
      })
      return performance.now() - started
    })
    measured[name] = time
  }
  // Through the action: a notes file that made the old Markdown stripper cubic; a registry whose
  // index lists fifty indexes, each listing fifty more, five deep (publishes and fails, as it must).
  const sandbox = await startSandbox()
  const registry = await startNestedIndexRegistry()
  try {
    const schemasText = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
    const publish = async (inputs: Record<string, string>, files: Record<string, string> = {}) => {
      const started = performance.now()
      await runAction({
        inputs: { token: sandbox.users[0]!.token, model: 'acme/hello-world', hardware: 'cpu', 'api-url': sandbox.url, ...inputs },
        files: { 'schemas.json': schemasText, ...files },
        env: tagPushEnv(),
      })
      return performance.now() - started
    }
    const [notes, index] = await medians(
      () => publish({ 'image-digest': `sha256:${'1'.repeat(64)}`, 'release-notes-file': 'NOTES.md' }, { 'NOTES.md': `#${' '.repeat(4078)}a` }),
      () => publish({ image: `${registry.host}/acme/fan:1.0`, platform: 'linux/amd64' }),
    )
    measured['publish: release notes of "#", 4,078 spaces and "a"'] = notes
    measured['publish: an index of 50 nested indexes, five deep (ends after 64 requests)'] = index
  } finally {
    await sandbox.close()
    await registry.close()
  }
  const [slowest, slowestMs] = Object.entries(measured).sort((a, b) => b[1] - a[1])[0]!
  results.hostile = measured
  for (const [name, time] of Object.entries(measured))
    rows.push({ name: name.includes(': ') ? `Hostile input, ${name}` : `Validate a hostile file: ${name}`, value: ms(time), budget: '< 10000 ms', ok: time < 10_000 })
  rows.push({ name: `Slowest hostile file: ${slowest}`, value: ms(slowestMs), budget: '< 10000 ms', ok: slowestMs < 10_000 })
}

async function digest(root: string, pushed: { index: string }): Promise<void> {
  const registry = await startRegistry(root, 'token')
  try {
    const image = `${registry.host}/acme/multi:1.0`
    const home = await mkdtemp(path.join(tmpdir(), 'bench-home-'))
    const peerRun = () =>
      timed('skopeo', ['inspect', '--tls-verify=false', '--creds', `${USER}:${PASSWORD}`, `docker://${image}`, '--format', '{{.Digest}}'], { env: { ...process.env, HOME: home } })
    const oursRun = () =>
      timed(NODE, [path.join(ROOT, 'dist/cli.js'), 'digest', image, '--registry-username', USER], {
        env: { PATH: process.env.PATH ?? '', HOME: home, WRIFTAI_REGISTRY_PASSWORD: PASSWORD },
      })
    const [a, b] = [(await peerRun()).stdout.trim(), (await oursRun()).stdout.trim()]
    if (a !== pushed.index || b !== pushed.index) throw new Error(`digests differ: skopeo ${a}, ours ${b}, pushed ${pushed.index}`)
    // What resolving a tag adds to a publish: the same re-run (the model's latest version already has
    // this digest: one API request) with the tag, and with the digest given, so that no registry is asked.
    const schemasText = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
    const sandbox = await startSandbox()
    sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: JSON.parse(schemasText), container_image_digest: pushed.index }] })
    const publishRun = async (imageInputs: Record<string, string>): Promise<number> => {
      const started = performance.now()
      const run = await runAction({
        inputs: { token: sandbox.users[0]!.token, model: 'acme/hello-world', 'api-url': sandbox.url, 'registry-username': USER, 'registry-password': PASSWORD, ...imageInputs },
        files: { 'schemas.json': schemasText },
        env: { ...tagPushEnv(), HOME: home },
      })
      if (run.code !== 0) throw new Error(`publish failed: ${run.stdout}${run.stderr}`)
      return performance.now() - started
    }
    try {
      const [peer, ours, floor, withTag, withDigest, withTagNoLabels] = await medians(
        async () => (await peerRun()).ms,
        async () => (await oursRun()).ms,
        async () => (await timed(NODE, ['-e', '0'])).ms,
        () => publishRun({ image }),
        () => publishRun({ 'image-digest': pushed.index }),
        () => publishRun({ image, 'drift-check': 'off' }),
      )
      const added = Math.max(0, withTag - withDigest)
      results.digest = {
        oursMs: ours,
        skopeoMs: peer,
        nodeFloorMs: floor,
        publishWithTagMs: withTag,
        publishWithDigestMs: withDigest,
        addedMs: added,
        ratio: added / peer,
        budgetRatio: 0.5,
      }
      rows.push({
        name: 'What resolving a tag adds to a publish (token-auth registry) vs skopeo inspect',
        value: `${ms(added)} (${ms(withTag)} − ${ms(withDigest)}) vs ${ms(peer)} = ${ratio(added / peer)}`,
        budget: '≤ 0.5×',
        ok: added / peer <= 0.5,
      })
      // For information: a whole Node process is the CLI's floor, and half of skopeo's run is below it.
      rows.push({
        name: 'The same without the drift check (a HEAD, no config blob)',
        value: `${ms(Math.max(0, withTagNoLabels - withDigest))} vs ${ms(peer)} = ${ratio(Math.max(0, withTagNoLabels - withDigest) / peer)}`,
        budget: '',
        ok: undefined,
      })
      rows.push({ name: 'Digest of a tag: CLI digest vs skopeo inspect', value: `${ms(ours)} vs ${ms(peer)} = ${ratio(ours / peer)}`, budget: '', ok: undefined })
      rows.push({ name: 'Digest: node -e 0 (the floor of a Node CLI) vs skopeo inspect', value: `${ms(floor)} vs ${ms(peer)} = ${ratio(floor / peer)}`, budget: '', ok: undefined })
    } finally {
      await sandbox.close()
    }
  } finally {
    await registry.stop()
  }
}

interface Scenario {
  name: string
  /** The fewest requests the run can make with the checks it promises. */
  lowerBound: number
  /** Requests that must follow one another (the registry is asked beside the model lookup). */
  criticalPath: number
  seed(sandbox: Sandbox, schemas: unknown): void
  digestInput: () => Record<string, string>
}

/**
 * Each scenario runs with 50 ms of latency per request and, in turns, with none. The run without
 * latency is its startup: all the time that is not spent waiting for WriftAI (process start, schema
 * checks, the registry, the report, exit). The latency may add at most the critical path's requests
 * × 50 ms, with 20% to spare; requests sent one after another beyond that path would exceed it.
 */
async function publishRoundTrips(root: string, pushed: { index: string }): Promise<void> {
  const registry = await startRegistry(root, 'anonymous')
  const schemasText = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
  const schemas = JSON.parse(schemasText) as unknown
  const image = { image: `${registry.host}/acme/multi:1.0` }
  const scenarios: Scenario[] = [
    // GET model ∥ registry → GET hardware ∥ GET user → POST model → POST version
    { name: 'first publish (model missing)', lowerBound: 5, criticalPath: 4, seed: () => {}, digestInput: () => image },
    // GET model ∥ registry → GET versions (is the digest already there?) → POST version
    {
      name: 'normal publish',
      lowerBound: 2,
      criticalPath: 3,
      seed: (sandbox, s) => void sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: s, container_image_digest: `sha256:${'0'.repeat(64)}` }] }),
      digestInput: () => image,
    },
    // GET model ∥ registry: the latest version already has this digest and these schemas
    {
      name: 're-run (idempotent)',
      lowerBound: 1,
      criticalPath: 1,
      seed: (sandbox, s) => void sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: s, container_image_digest: pushed.index }] }),
      digestInput: () => image,
    },
  ]
  const runOnce = async (scenario: Scenario, latencyMs: number): Promise<{ wall: number; firstRequest: number; requests: number }> => {
    const sandbox = await startSandbox({ latencyMs })
    try {
      scenario.seed(sandbox, schemas)
      const started = performance.now()
      const run = await runAction({
        inputs: { token: sandbox.users[0]!.token, model: 'acme/hello-world', hardware: 'cpu', 'api-url': sandbox.url, ...scenario.digestInput() },
        files: { 'schemas.json': schemasText },
        env: tagPushEnv(),
      })
      const wall = performance.now() - started
      if (run.code !== 0) throw new Error(`${scenario.name} failed: ${run.stdout}${run.stderr}`)
      return { wall, firstRequest: sandbox.requests[0]!.receivedAt - started, requests: sandbox.requests.length }
    } finally {
      await sandbox.close()
    }
  }
  try {
    const out: Record<string, unknown> = {}
    for (const scenario of scenarios) {
      const [slow, fast]: [Awaited<ReturnType<typeof runOnce>>[], Awaited<ReturnType<typeof runOnce>>[]] = [[], []]
      for (let i = 0; i < RUNS; i++) {
        slow.push(await runOnce(scenario, LATENCY_MS))
        fast.push(await runOnce(scenario, 0))
      }
      const requests = Math.max(...slow.map((r) => r.requests))
      const wall = median(slow.map((r) => r.wall))
      const startup = median(fast.map((r) => r.wall))
      const firstRequest = median(slow.map((r) => r.firstRequest))
      const budget = startup + scenario.criticalPath * LATENCY_MS * 1.2
      out[scenario.name] = {
        requests,
        lowerBound: scenario.lowerBound,
        criticalPath: scenario.criticalPath,
        startupMs: startup,
        firstRequestMs: firstRequest,
        wallMs: wall,
        budgetMs: budget,
      }
      rows.push({
        name: `Publish, ${scenario.name}: requests`,
        value: `${requests} (lower bound ${scenario.lowerBound})`,
        budget: `≤ ${scenario.lowerBound + 1}`,
        ok: requests <= scenario.lowerBound + 1,
      })
      rows.push({
        name: `Publish, ${scenario.name}: wall time at ${LATENCY_MS} ms/request`,
        value: `${ms(wall)} (${ms(startup)} without latency; first request at ${ms(firstRequest)})`,
        budget: `≤ ${ms(startup)} + ${scenario.criticalPath} × ${LATENCY_MS * 1.2} ms = ${ms(budget)}`,
        ok: wall <= budget,
      })
    }
    results.publish = { latencyMs: LATENCY_MS, scenarios: out }
  } finally {
    await registry.stop()
  }
}

/** dist/index.js, and with it every chunk it can load (each run loads only some of them). */
async function bundleSize(): Promise<void> {
  const budget = 1.5 * 1024 * 1024
  const entry = path.join(ROOT, 'dist/index.js')
  const reachable = new Set<string>([entry])
  for (const file of reachable) {
    for (const [, chunk] of (await readFile(file, 'utf8')).matchAll(/require\(["'`](\.{1,2}\/[^"'`]+\.js)["'`]\)/g)) reachable.add(path.resolve(path.dirname(file), chunk!))
  }
  const sizes = await Promise.all([...reachable].map(async (file) => (await stat(file)).size))
  const entryBytes = sizes[0]!
  const totalBytes = sizes.reduce((a, b) => a + b, 0)
  results.bundle = { entryBytes, withChunksBytes: totalBytes, chunks: reachable.size - 1, budgetBytes: budget }
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`
  rows.push({ name: 'Bundle size of dist/index.js', value: mb(entryBytes), budget: '≤ 1.50 MB', ok: entryBytes <= budget })
  rows.push({ name: `Bundle size of dist/index.js with the ${reachable.size - 1} chunks it can load`, value: mb(totalBytes), budget: '≤ 1.50 MB', ok: totalBytes <= budget })
}

// `node bench/run.ts cold-start publish` runs only those sections and leaves results.json alone.
const SECTIONS = ['cold-start', 'validation', 'hostile', 'comparison', 'fuzz', 'digest', 'publish', 'bundle'] as const
const chosen = process.argv.slice(2)
for (const name of chosen) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section "${name}"; sections: ${SECTIONS.join(', ')}`)
const runs = (name: (typeof SECTIONS)[number]) => chosen.length === 0 || chosen.includes(name)

const workspace = await mkdtemp(path.join(tmpdir(), 'bench-'))
try {
  if (runs('cold-start')) await coldStart(workspace)
  if (runs('validation')) await validation(workspace)
  if (runs('hostile')) await hostile(workspace)
  if (runs('comparison')) await comparison(workspace)
  if (runs('fuzz')) fuzz()
  if (runs('digest') || runs('publish')) {
    if (registryAvailable()) {
      const root = await mkdtemp(path.join(workspace, 'registry-'))
      const open = await startRegistry(root, 'anonymous')
      const pushed = await pushTestImages(open.host).finally(() => open.stop())
      if (runs('digest')) await digest(root, pushed)
      if (runs('publish')) await publishRoundTrips(root, pushed)
    } else {
      rows.push({ name: 'Digest and publish round trips', value: 'skipped: docker-registry, htpasswd or openssl missing', budget: '', ok: undefined })
    }
  }
  if (runs('bundle')) await bundleSize()
} finally {
  await rm(workspace, { recursive: true, force: true })
}

results.rows = rows
if (chosen.length === 0) await writeFile(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`)
console.log(`| Measure (median of ${RUNS}) | Result | Budget | Met |`)
console.log('| --- | --- | --- | --- |')
for (const row of rows) console.log(`| ${row.name} | ${row.value} | ${row.budget} | ${row.ok === undefined ? '–' : row.ok ? 'yes' : 'no'} |`)
