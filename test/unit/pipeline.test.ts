import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readInputs } from '../../src/pipeline/inputs.js'
import { runPipeline } from '../../src/pipeline/run.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const DIGEST = `sha256:${'4d'.repeat(32)}`
const SCHEMAS = { prediction: { input: { type: 'object', properties: { prompt: { type: 'string' } } }, output: { type: 'string' } } }
const CONTEXT = { ref: 'refs/tags/v0.1.0', repository: 'acme/tiny', serverUrl: 'https://github.com' }

let sandbox: Sandbox
let dir: string

beforeEach(async () => {
  sandbox = await startSandbox()
  dir = await mkdtemp(path.join(tmpdir(), 'pipeline-'))
  await writeFile(path.join(dir, 'schemas.json'), JSON.stringify(SCHEMAS))
})
afterEach(async () => sandbox.close())

function inputs(values: Record<string, string>) {
  const all: Record<string, string> = {
    token: sandbox.users[0]!.token,
    model: 'acme/tiny',
    'schemas-file': path.join(dir, 'schemas.json'),
    'image-digest': DIGEST,
    hardware: 'cpu',
    'api-url': sandbox.url,
    ...values,
  }
  return readInputs((name) => all[name] ?? '', { context: CONTEXT, env: {} })
}

describe('runPipeline', () => {
  it('plans in validate mode without a token with one anonymous read of the model, and writes nothing', async () => {
    const outcome = await runPipeline(inputs({ mode: 'validate', token: '' }), CONTEXT)
    expect(outcome.failure).toBeUndefined()
    expect(outcome.result).toBeUndefined()
    expect(outcome.plan.schemas).toEqual(SCHEMAS)
    expect(outcome.plan.releaseNotes).toEqual({ text: 'Release v0.1.0', source: 'tag' })
    // A public model answers without a token; this one does not exist, so there is nothing to compare.
    expect(sandbox.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', expect.stringMatching(/^\/models\//), undefined]])
    expect(outcome.plan.modelChecked).toBe(false)
  })

  it('plans without any request in validate mode with baseline: none', async () => {
    const outcome = await runPipeline(inputs({ mode: 'validate', token: '', baseline: 'none' }), CONTEXT)
    expect(outcome.failure).toBeUndefined()
    expect(sandbox.requests).toEqual([])
  })

  it('stops before any request when the schemas have errors', async () => {
    await writeFile(path.join(dir, 'schemas.json'), '{"prediction": {"input": {"type": 1}, "output": {}}}')
    const outcome = await runPipeline(inputs({}), CONTEXT)
    expect(outcome.failure).toMatch(/ has 1 error; nothing was published$/)
    expect(outcome.plan.findings.map((f) => [f.rule, f.pointer])).toEqual([['meta-schema', '/prediction/input/type']])
    expect(sandbox.requests).toEqual([])
  })

  it('creates the model, then the version, and reports both', async () => {
    const outcome = await runPipeline(inputs({}), CONTEXT)
    expect(outcome.result).toMatchObject({
      model: { owner: 'acme', name: 'tiny' },
      modelCreated: true,
      versionCreated: true,
      version: { number: 1, container_image_digest: DIGEST },
    })
    expect(outcome.url).toBe(`${sandbox.url.replace('/v1', '')}/acme/tiny/versions/1`)
    expect(sandbox.models.get('acme/tiny')?.versions.map((v) => v.schemas)).toEqual([SCHEMAS])
  })

  it('reads the new version back when the API answers success with an empty body', async () => {
    sandbox.addModel('acme', 'tiny')
    sandbox.inject({ method: 'POST', path: '/models/acme/tiny/versions', status: 204, rawBody: '', commit: true })
    const outcome = await runPipeline(inputs({}), CONTEXT)
    expect(outcome.result?.version).toMatchObject({ number: 1, container_image_digest: DIGEST })
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /models/acme/tiny', 'POST /models/acme/tiny/versions', 'GET /models/acme/tiny'])
  })
})
