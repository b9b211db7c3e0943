// Release semantics under faults: the bundle against the sandbox over real HTTP, asserting the
// server's final state after each fault.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runAction, secretLeaks, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const TOKEN = 'wai_test_acme_token'
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`
const VERSIONS = '/models/acme/hello-world/versions'

let sandbox: Sandbox
let schemas: string
let runs: ActionRun[]
/** Runs that share one token may together pass the server's limit; one run alone never does. */
let sharedToken: boolean

beforeEach(async () => {
  sandbox = await startSandbox({ rateLimit: { perSecond: 3, burst: 6 } })
  schemas = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
  runs = []
  sharedToken = false
})
afterEach(async () => {
  await sandbox.close()
  // Every run, whatever it met, keeps the token out of everything it printed or wrote.
  for (const run of runs) expect(secretLeaks(run, [TOKEN])).toEqual([])
  if (!sharedToken) expect(sandbox.rateLimited).toBe(0)
})

async function publish(inputs: Record<string, string> = {}, tag = 'v1.2.0'): Promise<ActionRun> {
  const run = await runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', 'image-digest': digest(1), hardware: 'cpu', 'api-url': sandbox.url, ...inputs },
    files: { 'schemas.json': schemas },
    env: tagPushEnv(tag),
  })
  runs.push(run)
  return run
}

const errors = (run: ActionRun) => run.stdout.split('\n').filter((line) => line.startsWith('::error'))
const count = (method: string, p: string) => sandbox.requests.filter((r) => r.method === method && r.path === p).length
const versionsOf = () => sandbox.models.get('acme/hello-world')?.versions ?? []

describe('retries in the log', () => {
  it('says each retry: operation, status, request id, the wait, the attempt; a version POST is looked for first', async () => {
    sandbox.addModel('acme', 'hello-world')
    sandbox.inject({ method: 'GET', path: '/models/acme/hello-world', status: 503, headers: { 'retry-after': '1' } })
    sandbox.inject({ method: 'POST', path: VERSIONS, status: 503, headers: { 'retry-after': '1' } })
    const run = await publish()
    expect(run.code, run.stdout).toBe(0)
    const retries = run.stdout.split('\n').filter((line) => line.includes('; retrying in') || line.includes('; checking whether'))
    expect(retries).toEqual([
      `GET ${sandbox.url}/models/acme/hello-world: HTTP 503 (x-request-id req-1); retrying in 1.0 s (attempt 2 of 4)`,
      expect.stringMatching(
        /^create version of acme\/hello-world: HTTP 503 \(x-request-id req-\d+\); checking whether it was created, then retrying in 1\.0 s \(attempt 2 of 4\)$/,
      ),
    ])
    expect(versionsOf()).toHaveLength(1)
  })

  it('with debug logging on, traces each request: method, URL without credentials, status, time, request id', async () => {
    sandbox.addModel('acme', 'hello-world')
    const run = await runAction({
      inputs: { token: TOKEN, model: 'acme/hello-world', 'image-digest': digest(1), hardware: 'cpu', 'api-url': sandbox.url },
      files: { 'schemas.json': schemas },
      env: { ...tagPushEnv(), RUNNER_DEBUG: '1' },
    })
    runs.push(run)
    expect(run.code, run.stdout).toBe(0)
    const traces = run.stdout.split('\n').filter((line) => line.startsWith('::debug::') && line.includes(' → '))
    expect(traces.map((line) => line.replace(/ in \d+ ms/, ' in N ms'))).toEqual(
      sandbox.requests.map((r, i) => `::debug::${r.method} ${sandbox.url}${r.path} → ${r.method === 'POST' ? 201 : 200} in N ms (x-request-id req-${i + 1})`),
    )
    // Without debug logging, no request is traced.
    const quiet = await publish({}, 'v1.2.1')
    expect(quiet.stdout).not.toContain(' → ')
  })
})

describe('stack traces', () => {
  it('name the TypeScript sources when debug logging is on, and the bundle otherwise (no maps read)', async () => {
    // The outputs file is a folder: writing an output fails, an error no input explains, so its stack is logged for debugging.
    const dir = async (debug: boolean) => {
      const workspace = await mkdtemp(path.join(tmpdir(), 'stack-'))
      await writeFile(path.join(workspace, 'schemas.json'), schemas)
      const run = await runAction({ inputs: { model: 'acme/hello-world', mode: 'validate' }, workspace, env: { GITHUB_OUTPUT: workspace, ...(debug && { RUNNER_DEBUG: '1' }) } })
      expect(run.code).toBe(1)
      return run.stdout.split('\n').find((line) => line.startsWith('::debug::Error: EISDIR'))!
    }
    expect(await dir(true)).toMatch(/at setOutput \(\S*\/src\/github\/report\.ts:\d+:\d+\)/)
    expect(await dir(false)).toMatch(/\/dist\/chunks\/main\.js:1:\d+\)/)
  })
})

describe('faults', () => {
  it('503 twice on the version POST, then OK: exactly one version', async () => {
    sandbox.addModel('acme', 'hello-world')
    sandbox.inject({ method: 'POST', path: VERSIONS, status: 503, times: 2 })
    const run = await publish()
    expect(run.code).toBe(0)
    expect(count('POST', VERSIONS)).toBe(3)
    expect(versionsOf().map((v) => v.container_image_digest)).toEqual([digest(1)])
    expect(run.outputs).toMatchObject({ version: '1', 'version-created': 'true' })
  })

  it('a version POST committed and then reset: exactly one version, and the outputs point at it', async () => {
    sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'old', schemas: JSON.parse(schemas), container_image_digest: digest(9) }] })
    sandbox.inject({ method: 'POST', path: VERSIONS, reset: 'after' })
    const run = await publish()
    expect(run.code).toBe(0)
    expect(count('POST', VERSIONS)).toBe(1)
    expect(versionsOf().map((v) => [v.number, v.container_image_digest])).toEqual([
      [1, digest(9)],
      [2, digest(1)],
    ])
    expect(run.outputs).toMatchObject({ version: '2', 'version-id': 'acme/hello-world:2', 'version-created': 'true' })
  })

  it('a version POST answered 500 after it was carried out is not posted again', async () => {
    sandbox.addModel('acme', 'hello-world')
    sandbox.inject({ method: 'POST', path: VERSIONS, status: 500, commit: true })
    const run = await publish()
    expect(run.code).toBe(0)
    expect(count('POST', VERSIONS)).toBe(1)
    expect(versionsOf()).toHaveLength(1)
    expect(run.outputs).toMatchObject({ version: '1', 'version-created': 'true' })
  })

  it('a GET slower than timeout-seconds is retried, then succeeds', async () => {
    sandbox.inject({ method: 'GET', path: '/models/acme/hello-world', delayMs: 2_500 })
    const started = Date.now()
    const run = await publish({ 'timeout-seconds': '1' })
    expect(run.code).toBe(0)
    expect(Date.now() - started).toBeLessThan(2_500 + 1_000)
    expect(count('GET', '/models/acme/hello-world')).toBe(2)
    expect(versionsOf()).toHaveLength(1)
  })

  it('429 with x-ratelimit-reset: waits until the reset, then succeeds', async () => {
    const reset = Math.floor(Date.now() / 1000) + 2
    sandbox.inject({ method: 'GET', path: '/models/acme/hello-world', status: 429, headers: { 'x-ratelimit-reset': String(reset) }, body: { detail: 'Rate limit exceeded' } })
    const run = await publish()
    expect(run.code).toBe(0)
    const gets = sandbox.requests.filter((r) => r.path === '/models/acme/hello-world')
    expect(gets).toHaveLength(2)
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1000 - 50)
    expect(versionsOf()).toHaveLength(1)
  })

  it('a permanent 500 fails after max-attempts, naming the status and the request id', async () => {
    sandbox.inject({ method: 'GET', path: '/models/acme/hello-world', status: 500, times: 100, body: { detail: 'database unavailable' } })
    const run = await publish({ 'max-attempts': '3' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual(['::error::get model acme/hello-world failed: HTTP 500: database unavailable [x-request-id req-3]'])
    expect(sandbox.requests).toHaveLength(3)
    expect(sandbox.writes()).toEqual([])
  })

  it('re-running the same publish creates nothing the second time', async () => {
    const first = await publish()
    const before = sandbox.requests.length
    const second = await publish()
    expect([first.code, second.code]).toEqual([0, 0])
    expect(versionsOf()).toHaveLength(1)
    expect(first.outputs).toMatchObject({ version: '1', 'version-created': 'true', 'model-created': 'true' })
    expect(second.outputs).toMatchObject({ version: '1', 'version-id': 'acme/hello-world:1', 'version-created': 'false', 'model-created': 'false' })
    expect(second.stdout).toContain('::notice::acme/hello-world:1 already has this image digest and these schemas; nothing was created')
    expect(second.summary).toContain('## Already published [acme/hello-world:1]')
    // The re-run reads the model once, finds its latest version, and writes nothing.
    expect(sandbox.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /models/acme/hello-world'])
  })

  it('finds an older version with the same digest by paging through the list', async () => {
    const same = JSON.parse(schemas)
    const versions = Array.from({ length: 70 }, (_, i) => ({ release_notes: `v${i}`, schemas: same, container_image_digest: digest(i + 10) }))
    versions[3] = { ...versions[3]!, container_image_digest: digest(1) }
    sandbox.addModel('acme', 'hello-world', { versions })
    const run = await publish()
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ version: '4', 'version-created': 'false' })
    expect(sandbox.writes()).toEqual([])
    expect(count('GET', VERSIONS)).toBe(2)
  })

  it('creates a new version when the same digest was published with other schemas, and says why', async () => {
    sandbox.addModel('acme', 'hello-world', {
      versions: [{ release_notes: 'old', schemas: { prediction: { input: { type: 'object' }, output: {} } }, container_image_digest: digest(1) }],
    })
    const run = await publish()
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ version: '2', 'version-created': 'true' })
    expect(run.summary).toContain('acme/hello-world:1 has this image digest but other schemas, so a new version was created')
    expect(versionsOf()).toHaveLength(2)
  })

  it('two publishes of the same new model at once: one model, and each creates its version', async () => {
    // Hold both model creations so that both runs have seen the model missing before either creates it.
    sharedToken = true
    sandbox.inject({ method: 'POST', path: '/models', delayMs: 600, times: 2 })
    const [a, b] = await Promise.all([publish({ 'image-digest': digest(1) }, 'v1.0.0'), publish({ 'image-digest': digest(2) }, 'v1.0.1')])
    expect([a!.code, b!.code], `${a!.stdout}\n${b!.stdout}`).toEqual([0, 0])
    expect(sandbox.models.size).toBe(1)
    // Both runs tried to create it; the shared token's rate limit may have made one of them post again.
    expect(count('POST', '/models')).toBeGreaterThanOrEqual(2)
    expect(
      versionsOf()
        .map((v) => v.container_image_digest)
        .sort(),
    ).toEqual([digest(1), digest(2)])
    expect([a!.outputs['model-created'], b!.outputs['model-created']].sort()).toEqual(['false', 'true'])
    expect([a!.outputs.version, b!.outputs.version].sort()).toEqual(['1', '2'])
  })

  it('stays under the rate limit while scanning many pages', async () => {
    const versions = Array.from({ length: 400 }, (_, i) => ({ release_notes: `v${i}`, schemas: JSON.parse(schemas), container_image_digest: digest(i + 10) }))
    sandbox.addModel('acme', 'hello-world', { versions })
    const run = await publish()
    expect(run.code).toBe(0)
    expect(count('GET', VERSIONS)).toBe(8)
    expect(versionsOf()).toHaveLength(401)
    // afterEach asserts that the sandbox, enforcing 3/s with bursts of 6, never had to answer 429.
  })
})

describe('client errors fail at once, with what to fix', () => {
  it('401: the token', async () => {
    const run = await publish({ token: 'wai_wrong' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      '::error::get model acme/hello-world failed: HTTP 401: Invalid authentication credentials (check the token input: it was rejected) [x-request-id req-1]',
    ])
    expect(sandbox.requests).toHaveLength(1)
    expect(secretLeaks(run, ['wai_wrong'])).toEqual([])
  })

  it('403: the model belongs to someone else', async () => {
    sandbox.addModel('someone', 'public-model', { visibility: 'public' })
    const run = await publish({ model: 'someone/public-model' })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      "::error::create version of someone/public-model failed: HTTP 403: You do not have permission to modify this model (the token's user does not own this model) [x-request-id req-2]",
    ])
    expect(sandbox.writes()).toHaveLength(1)
  })

  it('404: the model or its owner', async () => {
    sandbox.addModel('acme', 'hello-world')
    sandbox.inject({ method: 'POST', path: VERSIONS, status: 404, body: { detail: 'Model not found' } })
    const run = await publish()
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual(['::error::create version of acme/hello-world failed: HTTP 404: Model not found (check the model and its owner) [x-request-id req-2]'])
    expect(sandbox.writes()).toHaveLength(1)
  })

  it('422: the field', async () => {
    sandbox.addModel('acme', 'hello-world')
    sandbox.inject({
      method: 'POST',
      path: VERSIONS,
      status: 422,
      body: { detail: [{ loc: ['body', 'schemas', 'prediction'], msg: 'Input schema is too large', type: 'value_error' }] },
    })
    const run = await publish()
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      '::error::create version of acme/hello-world failed: HTTP 422: schemas.prediction: Input schema is too large (the API rejected a field) [x-request-id req-2]',
    ])
    expect(sandbox.writes()).toHaveLength(1)
  })
})

describe('secretLeaks', () => {
  it('finds a secret wherever a run left it, and ignores the mask command', () => {
    const run: ActionRun = { code: 0, stdout: `::add-mask::${TOKEN}\nok\n`, stderr: `Bearer ${TOKEN}`, outputs: { url: `x?t=${TOKEN}` }, summary: '', workspace: '' }
    expect(secretLeaks(run, [TOKEN])).toEqual(['stderr contains wai_…', 'outputs contains wai_…'])
  })
})
