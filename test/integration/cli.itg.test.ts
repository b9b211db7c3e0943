// The committed CLI bundle, spawned as a user runs it.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { actionInputs, ROOT, runCliBundle } from '../helpers/run-action.js'
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

  it('prints no line that a workflow would read as a command, whatever the schema names', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-'))
    await writeFile(
      path.join(dir, 'schemas.json'),
      JSON.stringify({ prediction: { input: { type: 'object', properties: { a: {} }, required: ['x\n::error::PWNED'] }, output: { type: 'string' } } }),
    )
    const run = await cli(['validate'], {}, dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('schemas.json:1:75: error[required-unknown]: "x\\n::error::PWNED" is required but is not in "properties"\n')
    expect((run.stdout + run.stderr).split('\n').filter((line) => line.startsWith('::'))).toEqual([])
  })

  it('prints JSON for machines', async () => {
    const run = await cli(['validate', '--schemas', EXAMPLE, '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, mode: 'validate', errors: 0, findings: [] })
  })

  it.each([
    [['deploy'], `wriftai-publish: unknown command "deploy"; run 'wriftai-publish help' for the commands`],
    [['valdate'], `wriftai-publish: unknown command "valdate"; did you mean "validate"? run 'wriftai-publish help' for the commands`],
    [['validate', '--nope'], `wriftai-publish: unknown flag --nope (run 'wriftai-publish validate --help')`],
    [['validate', '--schema', 'f'], `wriftai-publish: unknown flag --schema; did you mean --schemas? (run 'wriftai-publish validate --help')`],
    [['validate', 'a.json', 'b.json'], `wriftai-publish: "validate" takes at most one argument, not 2 (run 'wriftai-publish validate --help')`],
    [['validate', '--schemas', 'a.json', '--schemas', 'b.json'], `wriftai-publish: --schemas is given twice; it takes one value (run 'wriftai-publish validate --help')`],
    [
      ['validate', 'a.json', '--schemas', 'b.json'],
      `wriftai-publish: validate takes the schemas file once: as FILE or as --schemas, not both (run 'wriftai-publish validate --help')`,
    ],
    [['diff', 'a.json', 'b.json', '--model', 'x/y'], `wriftai-publish: diff does not take --model (run 'wriftai-publish diff --help')`],
    [['diff', 'a.json', 'b.json', '--fail-on-breaking', 'yes'], `wriftai-publish: diff does not take --fail-on-breaking (run 'wriftai-publish diff --help')`],
    [['validate', '--json=yes'], `wriftai-publish: --json takes no value (run 'wriftai-publish validate --help')`],
    [['digest'], `wriftai-publish: "digest" takes one argument, not 0 (run 'wriftai-publish digest --help')`],
    [['import-cog', '--out'], `wriftai-publish: --out needs a value (run 'wriftai-publish import-cog --help')`],
    [['help', 'deploy'], `wriftai-publish: unknown command "deploy"; run 'wriftai-publish help' for the commands`],
  ])('exits 2 on a usage error with one line: %j', async (args, line) => {
    const run = await cli(args)
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${line}\n` })
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
    expect(run.code).toBe(2)
    expect(run.stderr).toBe('wriftai-publish: token: required to publish; set the token input or WRIFTAI_ACCESS_TOKEN\n')
    expect(sandbox.requests).toEqual([])
  })
})

describe('wriftai-publish diff', () => {
  const pair = (name: string) => [`test/fixtures/diff/${name}/live.json`, `test/fixtures/diff/${name}/new.json`]

  it('prints each change on the new file and exits 1 when something breaks', async () => {
    const [live, next] = pair('cog-sdxl-scheduler-removed-value')
    const run = await cli(['diff', live!, next!])
    expect(run).toEqual({
      code: 1,
      stdout: `${next}:47:11: breaking[enum-value-removed]: input "scheduler" no longer accepts "DDIM"; e.g. {"prompt":"a","scheduler":"DDIM"} was accepted by ${live} and is now rejected\n1 breaking change\n`,
      stderr: '',
    })
  })

  it('finds the sdxl DDIM removal behind the allOf wrapper that import-cog writes for pydantic v1', async () => {
    const [live, next] = pair('cog-sdxl-v1-ddim-removed')
    const run = await cli(['diff', live!, next!])
    expect(run).toEqual({
      code: 1,
      stdout: `${next}:79:11: breaking[enum-value-removed]: input "scheduler" no longer accepts "DDIM"; e.g. {"scheduler":"DDIM"} was accepted by ${live} and is now rejected\n1 breaking change\n`,
      stderr: '',
    })
  })

  it('exits 0 on a rewrite that changes nothing callers see', async () => {
    const run = await cli(['diff', ...pair('cog-sdxl-v1-to-v2')])
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n').at(-2)).toBe('no breaking changes, 1 other')
  })

  it('prints the changes as JSON', async () => {
    const [live, next] = pair('input-max-length-lowered')
    const run = await cli(['diff', live!, next!, '--json'])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout)).toEqual({
      breaking: 1,
      changes: [
        {
          rule: 'length-tightened',
          breaking: true,
          section: 'prediction',
          side: 'input',
          pointer: '/prediction/input/properties/x/maxLength',
          livePointer: '/prediction/input/properties/x/maxLength',
          line: 8,
          column: 11,
          message: `input "x": "maxLength" 100 → 10; e.g. {"x":"aaaaaaaaaaa"} was accepted by ${live} and is now rejected`,
          was: 100,
          counterexample: { x: 'aaaaaaaaaaa' },
          basis: 'counterexample',
          fingerprint: 'f94e3daa5388',
        },
      ],
    })
  })

  it('names a file it cannot read, and refuses an invalid one with its findings', async () => {
    const missing = await cli(['diff', 'nope.json', pair('input-max-length-lowered')[1]!])
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'wriftai-publish: LIVE_SCHEMAS: cannot read nope.json: no such file\n' })
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-'))
    await writeFile(path.join(dir, 'bad.json'), '{"prediction": {"input": {"type": "object", "properties": {}}}}\n')
    const invalid = await cli(['diff', EXAMPLE, path.join(dir, 'bad.json')])
    // Nothing was compared: 2, which a script cannot mistake for "something breaks".
    expect(invalid.code).toBe(2)
    expect(invalid.stdout).toBe(`${path.join(dir, 'bad.json')}:1:2: error[envelope]: "prediction" is missing its "output" schema\n`)
    expect(invalid.stderr).toBe(`wriftai-publish: ${path.join(dir, 'bad.json')} is not a valid schemas file\n`)
  })

  it.each([[['diff']], [['diff', 'a.json']], [['diff', 'a.json', 'b.json', 'c.json']]])('exits 2 on usage errors: %j', async (args) => {
    const run = await cli(args)
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(`wriftai-publish: "diff" takes two arguments, not ${args.length - 1} (run 'wriftai-publish diff --help')\n`)
  })

  it('validate --json includes the changes against the live version', async () => {
    const token = sandbox.users[0]!.token
    const live = JSON.parse(await readFile(EXAMPLE, 'utf8'))
    sandbox.addModel('acme', 'cli-model', { versions: [{ release_notes: 'v1', schemas: live, container_image_digest: DIGEST }] })
    const local = JSON.parse(JSON.stringify(live))
    local.prediction.input.properties.max_new_tokens.maximum = 1024
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-'))
    await writeFile(path.join(dir, 'schemas.json'), JSON.stringify(local, null, 2))
    const run = await cli(['validate', '--model', 'acme/cli-model', '--api-url', sandbox.url, '--json', '--fail-on-breaking', 'false'], { WRIFTAI_ACCESS_TOKEN: token }, dir)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({ ok: true, comparedWith: 'acme/cli-model:1', breaking: 1 })
    expect(out.changes).toEqual([
      expect.objectContaining({
        rule: 'maximum-lowered',
        breaking: true,
        side: 'input',
        pointer: '/prediction/input/properties/max_new_tokens/maximum',
        was: 4096,
        counterexample: { prompt: 'a', max_new_tokens: 4096 },
        basis: 'counterexample',
      }),
    ])
    expect(sandbox.writes()).toEqual([])
  })
})

describe('every action input is a flag of the same name', () => {
  it('takes every input of action.yml at once, and acts on them', async () => {
    const token = sandbox.users[0]!.token
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-flags-'))
    await writeFile(path.join(dir, 'schemas.json'), await readFile(EXAMPLE, 'utf8'))
    await writeFile(path.join(dir, 'notes.md'), 'Notes from a file')
    await writeFile(path.join(dir, 'overview.md'), '# Overview')
    await writeFile(path.join(dir, 'summary.md'), '')
    const values: Record<string, string> = {
      mode: 'validate',
      token,
      model: 'acme/cli-flags',
      'schemas-file': 'schemas.json',
      'schemas-from': 'file',
      'drift-check': 'warning',
      image: '127.0.0.1:9/acme/x:1',
      platform: 'linux/amd64',
      'registry-username': 'u',
      'registry-password': 'p',
      'insecure-registry': 'false',
      'image-digest': DIGEST,
      'release-notes': '',
      'release-notes-file': 'notes.md',
      'create-model': 'true',
      hardware: 'cpu',
      visibility: 'public',
      description: 'A model',
      'source-url': 'https://example.com/src',
      'license-url': 'https://example.com/license',
      'paper-url': 'https://example.com/paper',
      'api-url': sandbox.url,
      'timeout-seconds': '5',
      'max-attempts': '1',
      'scan-versions': '1',
      summary: 'true',
      'github-token': 'ghs_x',
      'fail-on-breaking': 'true',
      baseline: 'live',
      'accept-label': 'break-ok',
      'accepted-changes': 'accepted.json',
      comment: 'off',
      'sync-metadata': 'true',
      categories: 'image, video',
      'overview-file': 'overview.md',
    }
    const inputs = (await actionInputs()).map((input) => input.name)
    expect(Object.keys(values).sort()).toEqual([...inputs].sort())
    const args = ['validate', ...inputs.flatMap((name) => [`--${name}`, values[name]!]), '--json']
    const run = await cli(args, { GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') }, dir)
    expect(run.stderr).not.toContain('unknown flag')
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({ ok: true, mode: 'validate', schemasFile: 'schemas.json', errors: 0 })
    // The image input was used (and could not be read: a warning in validate mode); the summary was written.
    expect(result.notices).toEqual([
      `the image digest could not be resolved, nor the schemas file compared with it: GET http://127.0.0.1:9/v2/acme/x/manifests/${DIGEST} failed: connection refused by 127.0.0.1:9 (ECONNREFUSED)`,
    ])
    expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toContain('Plan: schemas.json for acme/cli-flags')
    // The token flag was used: the live model was looked up.
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /models/acme/cli-flags')
  })

  it('refuses --mode that contradicts the command', async () => {
    const run = await cli(['validate', '--mode', 'publish'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--mode publish contradicts the validate command')
  })
})

describe('npm run sandbox, for the workflow self-test', () => {
  it('prints the API URL and token as KEY=value lines, and serves until stopped', async () => {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/sandbox.ts')], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const printed = await new Promise<string>((resolve) => {
        let text = ''
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.split('\n').length > 2) resolve(text)
        })
      })
      const env = Object.fromEntries(
        printed
          .trim()
          .split('\n')
          .map((line) => line.split('=', 2) as [string, string]),
      )
      expect(Object.keys(env)).toEqual(['WRIFTAI_API_URL', 'WRIFTAI_SANDBOX_TOKEN'])
      expect(env.WRIFTAI_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
      const user = await fetch(`${env.WRIFTAI_API_URL}/user`, { headers: { authorization: `Bearer ${env.WRIFTAI_SANDBOX_TOKEN}` } })
      expect(user.status).toBe(200)
      expect(((await user.json()) as { username: string }).username).toBe('acme')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await new Promise((resolve) => child.on('exit', (code) => resolve(code)))).toBe(0)
  })
})
