// The committed CLI bundle, spawned as a user runs it.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runCliBundle } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const EXAMPLE = path.join(ROOT, 'examples/schemas.json')
const DIGEST = `sha256:${'e3'.repeat(32)}`

const cli = runCliBundle

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox()
})
afterEach(async () => sandbox.close())

describe('wriftai-publish', () => {
  it('validates a good file', async () => {
    const run = await cli(['validate', '--schemas', 'examples/schemas.json'])
    expect(run).toEqual({ code: 0, stdout: 'examples/schemas.json: valid\n', stderr: '' })
  })

  it('prints path:line:col: error[rule]: message for a bad file and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-'))
    await writeFile(path.join(dir, 'schemas.json'), '{\n  "prediction": {"input": {"type": "object", "properties": {}}, "output": {"minLength": -1}},\n  "model": "x"\n}\n')
    const run = await cli(['validate'], {}, dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toBe(
      'schemas.json:2:76: error[meta-schema]: "minLength" must be >= 0\nschemas.json:3:3: error[envelope]: unknown top-level key "model"; expected "prediction" (and optionally "training")\n',
    )
    expect(run.stderr).toBe('wriftai-publish: schemas.json has 2 errors\n')
  })

  it('prints JSON for machines', async () => {
    const run = await cli(['validate', '--schemas', EXAMPLE, '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, mode: 'validate', errors: 0, findings: [] })
  })

  it.each([[[]], [['deploy']], [['validate', '--nope']], [['validate', 'extra']]])('exits 2 on usage errors: %j', async (args) => {
    const run = await cli(args)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Usage:')
  })

  it('publishes with the token from WRIFTAI_ACCESS_TOKEN', async () => {
    const token = sandbox.users[0]!.token
    const args = ['publish', '--model', 'acme/cli-model', '--image-digest', DIGEST, '--hardware', 'cpu', '--api-url', sandbox.url, '--schemas', EXAMPLE, '--release-notes', 'First']
    const run = await cli(args, { WRIFTAI_ACCESS_TOKEN: token })
    expect(run.code).toBe(0)
    const base = sandbox.url.replace('/v1', '')
    expect(run.stdout).toBe(`Created model acme/cli-model\nPublished acme/cli-model:1 (${DIGEST})\n${base}/acme/cli-model/versions/1\n`)
    expect(sandbox.models.get('acme/cli-model')!.versions[0]).toMatchObject({ release_notes: 'First', container_image_digest: DIGEST })

    const again = await cli([...args, '--json'], { WRIFTAI_ACCESS_TOKEN: token })
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      versionId: 'acme/cli-model:1',
      modelCreated: false,
      versionCreated: false,
      notes: ['acme/cli-model:1 already has this image digest and these schemas; nothing was created'],
    })
    expect(sandbox.models.get('acme/cli-model')!.versions).toHaveLength(1)
    expect(run.stdout + run.stderr + again.stdout + again.stderr).not.toContain(token)
  })

  it('fails publish without a token, naming it, and sends nothing', async () => {
    const run = await cli(['publish', '--model', 'acme/x', '--image-digest', DIGEST, '--api-url', sandbox.url, '--schemas', EXAMPLE])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('wriftai-publish: token: required to publish; set the token input or WRIFTAI_ACCESS_TOKEN\n')
    expect(sandbox.requests).toEqual([])
  })
})
