// The committed bundle, spawned as the runner spawns it, against the sandbox API over real HTTP.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateSchemas } from '../../bench/generate-schemas.js'
import { ROOT, runAction, secretLeaks, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
const TOKEN = 'wai_test_acme_token'

let sandbox: Sandbox
let exampleSchemas: string
let runs: ActionRun[]

beforeEach(async () => {
  sandbox = await startSandbox()
  exampleSchemas = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
  runs = []
})
afterEach(async () => {
  await sandbox.close()
  for (const run of runs) expect(secretLeaks(run, [TOKEN])).toEqual([])
})

async function publish(inputs: Record<string, string> = {}, files: Record<string, string> = {}, env: Record<string, string> = tagPushEnv()): Promise<ActionRun> {
  const run = await runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', 'image-digest': DIGEST, hardware: 'cpu', 'api-url': sandbox.url, ...inputs },
    files: { 'schemas.json': exampleSchemas, ...files },
    env,
  })
  runs.push(run)
  return run
}

/** The `::error …::message` workflow commands in stdout. */
function errorCommands(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error'))
}

describe('the bundle on a tag push', () => {
  it('creates the missing model and version 1', async () => {
    const run = await publish({ description: 'Writes text', visibility: 'public' })
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      findings: '0',
      'breaking-changes': '0',
      'accepted-changes': '0',
      'compared-with': '',
      'required-bump': '',
      changelog: '',
      'image-digest': DIGEST,
      model: 'acme/hello-world',
      version: '1',
      'version-id': 'acme/hello-world:1',
      'model-created': 'true',
      'version-created': 'true',
      url: `${sandbox.url.replace('/v1', '')}/acme/hello-world/versions/1`,
    })
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      ['GET /models/acme/hello-world', 'GET /hardware', 'GET /user', 'POST /models', 'POST /models/acme/hello-world/versions'].sort(),
    )
    expect(sandbox.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /models', 'POST /models/acme/hello-world/versions'])
    expect(sandbox.writes()[0]!.body).toEqual({
      name: 'hello-world',
      hardware_identifier: 'cpu',
      visibility: 'public',
      description: 'Writes text',
      source_url: 'https://github.com/acme/hello-world',
    })
    const model = sandbox.models.get('acme/hello-world')!
    expect(model.visibility).toBe('public')
    expect(model.versions).toHaveLength(1)
    // No source had notes: a first version says what it takes and returns.
    expect(model.versions[0]).toMatchObject({
      number: 1,
      release_notes: 'First version: 7 inputs (prompt, system_prompt, max_new_tokens, temperature, top_p, …), output: list of texts',
      container_image_digest: DIGEST,
      schemas: JSON.parse(exampleSchemas),
    })
    expect(run.summary).toContain(`## Published [acme/hello-world:1](${run.outputs.url})`)
    expect(run.summary).toContain('| Model | acme/hello-world (created) |')
    expect(run.summary).toContain(`| Image digest | \`${DIGEST}\` |`)
  })

  it('adds version N+1 to an existing model without touching the model', async () => {
    const seeded = { release_notes: 'old', schemas: JSON.parse(exampleSchemas), container_image_digest: `sha256:${'0'.repeat(64)}` }
    sandbox.addModel('acme', 'hello-world', { versions: [seeded, seeded] })
    const run = await publish({ 'release-notes': 'Adds stop sequences' }, {}, tagPushEnv('v3.0.0'))
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ version: '3', 'version-id': 'acme/hello-world:3', 'model-created': 'false', 'version-created': 'true' })
    expect(sandbox.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /models/acme/hello-world/versions'])
    expect(sandbox.models.get('acme/hello-world')!.versions.map((v) => [v.number, v.release_notes])).toEqual([
      [1, 'old'],
      [2, 'old'],
      [3, 'Adds stop sequences'],
    ])
  })

  it('sync-metadata sends exactly the fields the step set that differ: never a default', async () => {
    const model = sandbox.addModel('acme', 'hello-world', {
      visibility: 'public',
      versions: [{ release_notes: 'v1', schemas: JSON.parse(exampleSchemas), container_image_digest: `sha256:${'0'.repeat(64)}` }],
    })
    model.source_url = 'https://example.com/elsewhere'
    const run = await publish({ 'sync-metadata': 'true', description: 'Writes text' })
    expect(run.code, run.stdout).toBe(0)
    const patch = sandbox.writes().find((r) => r.method === 'PATCH')!
    expect(patch.path).toBe('/models/acme/hello-world')
    expect(patch.body).toEqual({ description: 'Writes text' })
    // The public model stays public and keeps its source URL, though action.yml's defaults reach the action as inputs.
    expect(sandbox.models.get('acme/hello-world')).toMatchObject({ visibility: 'public', source_url: 'https://example.com/elsewhere', description: 'Writes text' })
    const again = await publish({ 'sync-metadata': 'true', description: 'Writes text', visibility: 'private' })
    expect(again.code, again.stdout).toBe(0)
    expect(
      sandbox
        .writes()
        .filter((r) => r.method === 'PATCH')
        .at(-1)!.body,
    ).toEqual({ visibility: 'private' })
  })

  it('cuts release notes over 255 characters, warns, and publishes', async () => {
    const run = await publish({ 'release-notes': 'Improves the sampler. '.repeat(20) })
    expect(run.code).toBe(0)
    const notes = sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes
    expect([...notes].length).toBeLessThanOrEqual(255)
    expect(notes.endsWith('…')).toBe(true)
    expect(run.stdout).toContain('::warning::release notes (from release-notes) were cut from 439 to 255 characters')
  })

  it('fails with zero writes when the model is missing and hardware is not given, listing the choices', async () => {
    const run = await publish({ hardware: '' })
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual(['::error::hardware: required to create the missing model acme/hello-world; one of: cpu, gpu-l40s'])
    expect(sandbox.writes()).toEqual([])
  })

  it('fails with zero writes when create-model is false', async () => {
    const run = await publish({ 'create-model': 'false' })
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual(['::error::model acme/hello-world does not exist and create-model is false; create it first or set create-model: true'])
    expect(sandbox.writes()).toEqual([])
  })

  it('refuses to create a model under another owner', async () => {
    const run = await publish({ model: 'someone-else/hello-world' })
    expect(run.code).toBe(1)
    expect(errorCommands(run)[0]).toBe(
      '::error::model someone-else/hello-world does not exist, and it cannot be created: the token belongs to "acme", and models are created under the token\'s user; use model: acme/hello-world or a token of "someone-else"',
    )
    expect(sandbox.writes()).toEqual([])
  })

  it.each([
    [{ model: 'acme' }, '::error::model: "acme" is not in owner/name form'],
    [{ 'image-digest': 'sha256:1234' }, '::error::image-digest: "sha256:1234" is not sha256: followed by 64 lower-case hex characters'],
    [{ 'schemas-file': 'missing.json' }, '::error::schemas-file: cannot read missing.json: no such file'],
    [{ token: '' }, '::error::token: required to publish; set the token input or WRIFTAI_ACCESS_TOKEN'],
  ])('rejects %j with one line, exit 1 and no request at all', async (inputs, line) => {
    const run = await publish(inputs)
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual([line])
    expect(sandbox.requests).toEqual([])
  })

  it.each([
    [
      'on the trailing comma',
      '{\n  "prediction": {\n    "input": {"type": "object"},\n    "output": {"type": "string"},\n  }\n}\n',
      'line=4,col=33::invalid JSON: a comma before "}": JSON allows no trailing comma',
    ],
    [
      'on a raw tab inside a string (not an exception)',
      '{\n  "prediction": {\n    "input": {"type": "object", "properties": {"p": {"default": "a\tb"}}},\n    "output": {"type": "string"}\n  }\n}\n',
      'line=3,col=67::invalid JSON: Bad control character in string literal; inside a string, write a tab as \\t and a line break as \\n',
    ],
  ])('rejects invalid JSON with an annotation %s and no request', async (_where, text, annotation) => {
    const run = await publish({}, { 'schemas.json': text })
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual([`::error title=invalid-json,file=schemas.json,${annotation}`, '::error::schemas.json has 1 error; nothing was published'])
    expect(run.outputs.findings).toBe('1')
    expect(sandbox.requests).toEqual([])
  })

  it('surfaces a 401 with its detail and the request id', async () => {
    const run = await publish({ token: 'wai_revoked' })
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual([
      '::error::get model acme/hello-world failed: HTTP 401: Invalid authentication credentials (check the token input: it was rejected) [x-request-id req-1]',
    ])
    expect(sandbox.writes()).toEqual([])
    expect(secretLeaks(run, ['wai_revoked'])).toEqual([])
  })

  it('checks hardware against the API before creating the model', async () => {
    const run = await publish({ hardware: 'tpu-v9' })
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual(['::error::hardware: "tpu-v9" is not a WriftAI hardware identifier; one of: cpu, gpu-l40s'])
    expect(sandbox.writes()).toEqual([])
  })

  it('surfaces a 422 with the field the API rejected', async () => {
    sandbox.inject({ method: 'POST', path: '/models', status: 422, body: { detail: [{ loc: ['body', 'name'], msg: 'Name is reserved', type: 'value_error' }] } })
    const run = await publish()
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual(['::error::create model hello-world failed: HTTP 422: name: Name is reserved (the API rejected a field) [x-request-id req-4]'])
    expect(sandbox.models.size).toBe(0)
  })
})

describe('the bundle in validate mode', () => {
  it('annotates every finding of a bad file at its line and column, without a token or a request', async () => {
    const bad =
      '{\n  "prediction": {\n    "input": {\n      "type": "object",\n      "properties": {\n        "steps": {"type": "int"}\n      }\n    },\n    "output": {"type": "string"},\n    "extra": true\n  }\n}\n'
    const run = await publish({ token: '', mode: 'validate' }, { 'schemas.json': bad }, { GITHUB_REF: 'refs/pull/12/merge', GITHUB_EVENT_NAME: 'pull_request' })
    expect(run.code).toBe(1)
    expect(errorCommands(run)).toEqual([
      '::error title=meta-schema,file=schemas.json,line=6,col=19::"type" must be equal to one of the allowed values: "array", "boolean", "integer", "null", "number", "object", "string"; "int" is Python\'s name: JSON Schema\'s is "integer"',
      '::error title=envelope,file=schemas.json,line=10,col=5::unknown key "extra" in "prediction"; expected "input" and "output"',
      '::error::schemas.json has 2 errors',
    ])
    expect(run.outputs.findings).toBe('2')
    expect(run.summary).toContain('| error | `meta-schema` | schemas.json:6:19 |')
    expect(sandbox.requests).toEqual([])
  })

  it('annotates every finding of a corpus file, errors and warnings, at their exact positions', async () => {
    const manyFindings = await readFile(path.join(ROOT, 'test/fixtures/schemas/many-findings.json'), 'utf8')
    const run = await publish({ token: '', mode: 'validate' }, { 'schemas.json': manyFindings })
    expect(run.code).toBe(1)
    const annotations = run.stdout
      .split('\n')
      .filter((line) => /^::(error|warning) title=/.test(line))
      .map((line) => line.split('::')[1])
    expect(annotations).toEqual([
      'error title=unknown-keyword,file=schemas.json,line=6,col=38',
      'error title=default-mismatch,file=schemas.json,line=7,col=38',
      'warning title=nullable,file=schemas.json,line=8,col=37',
      'error title=unknown-format,file=schemas.json,line=9,col=37',
      'error title=required-unknown,file=schemas.json,line=11,col=20',
      'error title=envelope,file=schemas.json,line=14,col=5',
    ])
    expect(run.outputs.findings).toBe('5')
    expect(errorCommands(run).at(-1)).toBe('::error::schemas.json has 5 errors')
  })

  it("annotates within GitHub's limits: 9 of 200 errors, then one notice with the count, the rest in the log", async () => {
    const properties = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, { type: 'integer', default: `x${i}` }]))
    const file = JSON.stringify({ prediction: { input: { type: 'object', properties }, output: { type: 'string' } } }, null, 1)
    const run = await publish({ token: '', mode: 'validate' }, { 'schemas.json': file })
    expect(run.code).toBe(1)
    const errors = errorCommands(run)
    expect(errors).toHaveLength(10)
    expect(errors.slice(0, 9).map((l) => l.split('::')[1])).toEqual(Array.from({ length: 9 }, (_, i) => `error title=default-mismatch,file=schemas.json,line=${8 + 4 * i},col=6`))
    expect(errors[9]).toBe('::error::schemas.json has 200 errors')
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::notice'))).toEqual([
      '::notice::191 more errors not annotated (GitHub shows 10 of each kind per step); they are listed in the log below and in the job summary',
    ])
    const logged = run.stdout.split('\n').filter((l) => l.startsWith('schemas.json:') && l.includes('error[default-mismatch]'))
    expect(logged).toHaveLength(191)
    expect(logged[0]).toBe(`schemas.json:${8 + 4 * 9}:6: error[default-mismatch]: default "x9" does not match its schema: must be integer`)
    expect(run.outputs.findings).toBe('200')
    expect(run.summary.match(/\| error \| `default-mismatch` \|/g)).toHaveLength(200)
  })

  it('keeps the job summary of the 4.9 MB benchmark file within 1024 KiB, saying what it left out', async () => {
    const text = generateSchemas(5 * 1024 * 1024)
    const count = Object.keys(JSON.parse(text).prediction.input.properties).length
    const run = await publish({ token: '', mode: 'validate' }, { 'schemas.json': text })
    expect(run.code, run.stderr).toBe(0)
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
    const rows = run.summary.split('\n').filter((l) => /^\| `param_\d+` \|/.test(l)).length
    expect(rows).toBeGreaterThan(1000)
    expect(run.summary).toContain(`… and ${count - rows} more, left out to keep the summary within GitHub's 1024 KiB; the schemas file has them all.`)
  })

  it('passes with warnings only, and still annotates them', async () => {
    const nullable = await readFile(path.join(ROOT, 'test/fixtures/schemas/nullable.json'), 'utf8')
    const run = await publish({ token: '', mode: 'validate' }, { 'schemas.json': nullable })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::warning title=nullable,file=schemas.json,line=6,col=37::"nullable" is OpenAPI 3.0')
    expect(errorCommands(run)).toEqual([])
    expect(run.outputs.findings).toBe('0')
    expect(run.summary).toContain('| warning | `nullable` | schemas.json:6:37 |')
  })

  it('validates on a pull request in auto mode and succeeds on a good file', async () => {
    const run = await publish({ token: '' }, {}, { GITHUB_REF: 'refs/pull/12/merge', GITHUB_EVENT_NAME: 'pull_request' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Mode: validate')
    expect(run.outputs).toEqual({
      findings: '0',
      'breaking-changes': '0',
      'accepted-changes': '0',
      'compared-with': '',
      'required-bump': '',
      changelog: '',
      'image-digest': DIGEST,
      model: 'acme/hello-world',
    })
    expect(run.summary).toContain('## ✅ Plan: schemas.json for acme/hello-world')
    // Without a token, only an anonymous read of the model (a public one answers), nothing written.
    expect(sandbox.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/models/acme/hello-world', undefined]])
  })
})
