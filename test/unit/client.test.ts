import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultPolicy, NetworkError, type HttpPolicy } from '../../src/http/request.js'
import { ApiError, describeDetail, WriftaiClient } from '../../src/wriftai/client.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const DIGEST = `sha256:${'1'.repeat(64)}`
const ACME = { owner: 'acme', name: 'hello' }
const SCHEMAS = { prediction: { input: { type: 'object', properties: {} }, output: { type: 'string' } } }

let sandbox: Sandbox
let waits: number[]
let policy: HttpPolicy

function client(token: string | undefined = sandbox.users[0]!.token, overrides: Partial<HttpPolicy> = {}): WriftaiClient {
  return new WriftaiClient({ baseUrl: sandbox.url, token, policy: { ...policy, ...overrides } })
}

beforeEach(async () => {
  sandbox = await startSandbox()
  waits = []
  policy = defaultPolicy({ timeoutMs: 2_000, sleep: async (ms) => void waits.push(ms) })
})
afterEach(async () => {
  await policy.pool.close()
  await sandbox.close()
})

describe('WriftaiClient against the sandbox API', () => {
  it('answers undefined for a missing model and the model once it exists', async () => {
    expect(await client().getModel(ACME)).toBeUndefined()
    const created = await client().createModel({ name: 'hello', hardware_identifier: 'cpu', visibility: 'public' })
    expect(created).toMatchObject({ name: 'hello', owner: { username: 'acme' }, visibility: 'public', hardware: { identifier: 'cpu' } })
    expect(await client().getModel(ACME)).toMatchObject({ name: 'hello', latest_version: null })
  })

  it('sends the bearer token, the user agent and a JSON body', async () => {
    await client().createModel({ name: 'hello', hardware_identifier: 'cpu' })
    const post = sandbox.writes()[0]!
    expect(post.headers.authorization).toBe('Bearer wai_test_acme_token')
    expect(post.headers['user-agent']).toBe('wriftai-publish-version/1.0.0')
    expect(post.headers['content-type']).toBe('application/json')
    expect(post.body).toEqual({ name: 'hello', hardware_identifier: 'cpu' })
  })

  it('creates versions and reads them back, newest first, across pages', async () => {
    sandbox.addModel('acme', 'hello')
    for (let i = 0; i < 7; i++) {
      const created = await client().createVersion(ACME, { release_notes: `v${i}`, schemas: SCHEMAS, container_image_digest: DIGEST })
      expect(created?.number).toBe(i + 1)
    }
    expect((await client().getVersion(ACME, 3))?.schemas).toEqual(SCHEMAS)
    expect(await client().getVersion(ACME, 99)).toBeUndefined()
    sandbox.requests.length = 0
    const all = await client().listVersions(ACME, 10)
    expect(all.map((v) => v.number)).toEqual([7, 6, 5, 4, 3, 2, 1])
    expect(sandbox.requests.map((r) => r.query.page_size)).toEqual(['50'])
  })

  it('stops paging at the page cap', async () => {
    const numbers: number[] = []
    sandbox.addModel('acme', 'hello', { versions: Array.from({ length: 120 }, (_, i) => ({ release_notes: `v${i}`, schemas: SCHEMAS, container_image_digest: DIGEST })) })
    for (const v of await client().listVersions(ACME, 2)) numbers.push(v.number)
    expect(numbers).toHaveLength(100)
    expect(numbers[0]).toBe(120)
    expect(sandbox.requests.filter((r) => r.path.endsWith('/versions'))).toHaveLength(2)
  })

  it('lists hardware and reads the token user', async () => {
    expect((await client().listHardware()).map((h) => h.identifier)).toEqual(['cpu', 'gpu-l40s'])
    expect((await client().getUser()).username).toBe('acme')
  })

  it('turns a FastAPI 422 into one line with the field, status and request id', async () => {
    sandbox.addModel('acme', 'hello')
    const error = await client()
      .createVersion(ACME, { release_notes: 'x'.repeat(300), schemas: SCHEMAS, container_image_digest: 'sha256:nope' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).message).toBe(
      "create version of acme/hello failed: HTTP 422: release_notes: String should have at most 255 characters; container_image_digest: String should match pattern '^sha256:[a-f0-9]{64}$' (the API rejected a field) [x-request-id req-1]",
    )
  })

  it('explains a rejected token without repeating it', async () => {
    const error = (await client('wrong-token')
      .getUser()
      .catch((e: unknown) => e)) as ApiError
    expect(error.message).toBe('get the token user failed: HTTP 401: Invalid authentication credentials (check the token input: it was rejected) [x-request-id req-1]')
    expect(error.message).not.toContain('wrong-token')
    expect(sandbox.requests).toHaveLength(1)
  })

  it('retries an idempotent request on 503 and honours x-ratelimit-reset on 429', async () => {
    sandbox.inject({ method: 'GET', path: '/user', status: 503, times: 2 })
    expect((await client().getUser()).username).toBe('acme')
    expect(sandbox.requests).toHaveLength(3)
    expect(waits).toHaveLength(2)

    const reset = Math.floor(Date.now() / 1000) + 3
    sandbox.inject({ method: 'GET', path: '/user', status: 429, headers: { 'x-ratelimit-reset': String(reset) } })
    expect((await client().getUser()).username).toBe('acme')
    expect(waits[2]).toBeGreaterThan(1_000)
    expect(waits[2]).toBeLessThanOrEqual(3_000)
  })

  it('gives up after the last attempt with the status and request id', async () => {
    sandbox.inject({ method: 'GET', path: '/user', status: 500, times: 10 })
    sandbox.inject({ method: 'GET', path: '/hardware', status: 503, times: 10, body: { detail: 'maintenance' } })
    await expect(client().getUser()).rejects.toThrow('get the token user failed: HTTP 500: injected 500 [x-request-id req-4]')
    expect(sandbox.requests).toHaveLength(4)
    await expect(client(undefined, { maxAttempts: 2 }).listHardware()).rejects.toThrow('list hardware failed: HTTP 503: maintenance [x-request-id req-6]')
    expect(sandbox.requests).toHaveLength(6)
    expect(waits).toHaveLength(4)
  })

  it('does not retry other client errors', async () => {
    sandbox.inject({ method: 'GET', path: '/user', status: 404, times: 5 })
    await expect(client().getUser()).rejects.toThrow('get the token user failed: HTTP 404: injected 404 (check the model and its owner) [x-request-id req-1]')
    expect(sandbox.requests).toHaveLength(1)
  })

  it('fails rather than wait when the server asks for more than a minute', async () => {
    sandbox.inject({ method: 'GET', path: '/user', status: 429, headers: { 'retry-after': '3600' } })
    await expect(client().getUser()).rejects.toThrow('HTTP 429')
    expect(waits).toEqual([])
  })

  it('never re-sends a POST on its own', async () => {
    sandbox.inject({ method: 'POST', path: '/models', status: 503 })
    await expect(client().createModel({ name: 'hello', hardware_identifier: 'cpu' })).rejects.toThrow('HTTP 503')
    expect(sandbox.writes()).toHaveLength(1)
  })

  it('times out a slow answer and retries it', async () => {
    sandbox.inject({ method: 'GET', path: '/user', delayMs: 1_500 })
    const started = Date.now()
    expect(
      await client(undefined, { timeoutMs: 300 })
        .getUser()
        .catch((e: unknown) => e),
    ).toMatchObject({ username: 'acme' })
    expect(Date.now() - started).toBeLessThan(1_400)
    expect(sandbox.requests).toHaveLength(2)
  })

  it('reports a connection reset as a network error naming the request', async () => {
    sandbox.inject({ method: 'POST', path: '/models', reset: 'before' })
    const error = await client()
      .createModel({ name: 'hello', hardware_identifier: 'cpu' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toMatch(new RegExp(`^POST ${sandbox.url.replace('/v1', '')}/v1/models failed: `))
  })
})

describe('describeDetail', () => {
  it.each([
    ['{"detail": "Model not found"}', 'Model not found'],
    ['{"detail": [{"loc": ["body", "name"], "msg": "Field required", "type": "missing"}]}', 'name: Field required'],
    ['{"detail": [{"loc": ["query", "page_size"], "msg": "too big"}, {"msg": "other"}]}', 'query.page_size: too big; other'],
    ['{"error": "boom"}', 'boom'],
    ['{"unexpected": 1}', '{"unexpected":1}'],
    ['<html>Bad gateway</html>\n', '<html>Bad gateway</html>'],
    ['', ''],
  ])('%s → %s', (body, line) => {
    expect(describeDetail(body)).toBe(line)
  })
})
