// Release context and the pull-request experience, through the bundle: notes from the GitHub
// Release, the breaking-change gate against the live version, plan summaries and metadata sync.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubApi, type FakeGitHub } from '../helpers/github-api.js'
import { ROOT, runAction, secretLeaks, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const TOKEN = 'wai_test_acme_token'
const GITHUB_TOKEN = 'ghs_test_github_token'
const DIGEST = `sha256:${'5e'.repeat(32)}`
const OLD_DIGEST = `sha256:${'01'.repeat(32)}`

let sandbox: Sandbox
let github: FakeGitHub
let schemas: Record<string, any>
let runs: ActionRun[]

beforeEach(async () => {
  sandbox = await startSandbox()
  github = await startGitHubApi()
  schemas = JSON.parse(await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8'))
  runs = []
})
afterEach(async () => {
  await sandbox.close()
  await github.close()
  for (const run of runs) expect(secretLeaks(run, [TOKEN, GITHUB_TOKEN])).toEqual([])
})

async function run(inputs: Record<string, string>, env: Record<string, string>, files: Record<string, string> = {}, workspace?: string): Promise<ActionRun> {
  const result = await runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', 'image-digest': DIGEST, hardware: 'cpu', 'api-url': sandbox.url, 'github-token': GITHUB_TOKEN, ...inputs },
    files: { 'schemas.json': JSON.stringify(schemas, null, 2), ...files },
    env: { GITHUB_API_URL: github.url, ...env },
    workspace,
  })
  runs.push(result)
  return result
}

const PR = { GITHUB_REF: 'refs/pull/7/merge', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'acme/hello-world' }
const liveVersion = () => ({ release_notes: 'v1', schemas: JSON.parse(JSON.stringify(schemas)), container_image_digest: OLD_DIGEST })
const errors = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::error'))

describe('release notes from GitHub', () => {
  it('uses the GitHub Release of the pushed tag as plain text', async () => {
    github.releases.set('v1.2.0', {
      body: "## What's new\r\n\r\n- **Faster** sampling ([#12](https://github.com/acme/hello-world/pull/12))\r\n- `seed` input",
      html_url: 'https://github.com/acme/hello-world/releases/tag/v1.2.0',
    })
    const result = await run({}, tagPushEnv('v1.2.0'))
    expect(result.code).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes).toBe("What's new Faster sampling (#12) seed input")
    expect(github.requests).toEqual([{ path: '/repos/acme/hello-world/releases/tags/v1.2.0', authorization: `token ${GITHUB_TOKEN}` }])
  })

  it('cuts a long release body and links the release', async () => {
    const url = 'https://github.com/acme/hello-world/releases/tag/v2.0.0'
    github.releases.set('v2.0.0', { body: 'This release rewrites the sampler. '.repeat(20), html_url: url })
    const result = await run({}, tagPushEnv('v2.0.0'))
    expect(result.code).toBe(0)
    const notes = sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes
    expect([...notes].length).toBeLessThanOrEqual(255)
    expect(notes.endsWith(` … ${url}`)).toBe(true)
    expect(notes.startsWith('This release rewrites the sampler. This release')).toBe(true)
    expect(result.stdout).toContain('::warning::release notes (from github-release) were cut from 699 to 255 characters')
  })

  it("falls back to the annotated tag's message when there is no release", async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), 'tag-message-'))
    const git = (...args: string[]) => execFileSync('git', ['-C', workspace, '-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { stdio: 'ignore' })
    git('init', '-q')
    git('commit', '-q', '--allow-empty', '-m', 'the commit message, not release notes')
    git('tag', '-a', 'v3.1.0', '-m', 'Adds *LoRA* support', '-m', 'And a `scale` input.')
    const result = await run({}, tagPushEnv('v3.1.0'), {}, workspace)
    expect(result.code).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes).toBe('Adds LoRA support And a scale input.')
    git('tag', 'v3.1.1')
    const lightweight = await run({ 'image-digest': OLD_DIGEST }, tagPushEnv('v3.1.1'), {}, workspace)
    expect(lightweight.code).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions[1]!.release_notes).toBe('Release v3.1.1')
  })
})

describe('the pull-request experience', () => {
  it('plans without writing on a pull_request in auto mode', async () => {
    sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    schemas.prediction.input.properties.top_k = { type: 'integer', title: 'Top k', description: 'Keep the k most likely tokens', default: 50, minimum: 1, 'x-order': 7 }
    const result = await run({}, PR)
    expect(result.code).toBe(0)
    expect(sandbox.writes()).toEqual([])
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /models/acme/hello-world'])
    expect(result.outputs['breaking-changes']).toBe('0')
    const summary = result.summary
    expect(summary).toContain('## ✅ Plan: schemas.json for acme/hello-world')
    expect(summary).toContain('| Model | exists (private, latest version 1); a new version would be created |')
    expect(summary).toContain(`| Image digest | \`${DIGEST}\` |`)
    expect(summary).toMatch(/\| Schemas hash \| `crc32:[0-9a-f]{8}` \|/)
    const inputRows = summary.split('\n').filter((l) => /^\| `[a-z_]+` \|/.test(l))
    expect(inputRows.map((l) => l.split('|')[1]!.trim())).toEqual([
      '`prompt`',
      '`system_prompt`',
      '`max_new_tokens`',
      '`temperature`',
      '`top_p`',
      '`stop_sequences`',
      '`seed`',
      '`top_k`',
    ])
    expect(inputRows[0]).toBe('| `prompt` | string | yes |  | Text to continue |')
    expect(inputRows[6]).toBe('| `seed` | integer \\| null |  | `null` | Random seed; leave empty for a random one |')
    expect(summary).toContain('| info | `input-added` |')
    expect(result.stdout).toMatch(/::notice title=input-added,file=schemas.json,line=\d+,col=\d+::new input "top_k" \(compared with acme\/hello-world:1\)/)
  })

  it('says the model would be created when it does not exist, and needs no token', async () => {
    const result = await run({ token: '' }, PR)
    expect(result.code).toBe(0)
    // Read anonymously, a missing model and a private one look alike: its existence is not known.
    expect(result.summary).toContain('| Model | not checked (no token) |')
    expect(sandbox.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/models/acme/hello-world', undefined]])
    const withToken = await run({}, PR)
    expect(withToken.summary).toContain('| Model | does not exist; it would be created |')
    expect(sandbox.writes()).toEqual([])
  })
})

describe('the breaking-change gate', () => {
  const breakInputs = () => {
    delete schemas.prediction.input.properties.system_prompt
    schemas.prediction.input.properties.max_new_tokens.maximum = 1024
  }

  it('fails before any write with fail-on-breaking: true', async () => {
    sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    breakInputs()
    const result = await run({ 'fail-on-breaking': 'true' }, tagPushEnv())
    expect(result.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    const lines = errors(result)
    expect(lines.at(-1)).toBe('::error::2 breaking changes against acme/hello-world:1; nothing was published')
    expect(lines.slice(0, -1).map((l) => l.split('::')[1])).toEqual([
      'error title=input-removed,file=schemas.json,line=7,col=7',
      'error title=maximum-lowered,file=schemas.json,line=21,col=11',
    ])
    expect(result.outputs['breaking-changes']).toBe('2')
  })

  it('publishes with warnings by default, and counts the breaking changes', async () => {
    sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    breakInputs()
    const result = await run({}, tagPushEnv())
    expect(result.code).toBe(0)
    expect(result.outputs['breaking-changes']).toBe('2')
    expect(result.outputs.version).toBe('2')
    const warnings = result.stdout.split('\n').filter((l) => l.startsWith('::warning'))
    // The example closes its input (additionalProperties: false), so the removal has a counterexample too.
    expect(warnings).toEqual([
      '::warning title=input-removed,file=schemas.json,line=7,col=7::input "system_prompt" was removed; callers that send it will fail; e.g. {"prompt":"a","system_prompt":"You are a helpful assistant."} was accepted by acme/hello-world:1 and is now rejected [53ce12062dce]',
      '::warning title=maximum-lowered,file=schemas.json,line=21,col=11::input "max_new_tokens": "maximum" 4096 → 1024; e.g. {"prompt":"a","max_new_tokens":4096} was accepted by acme/hello-world:1 and is now rejected [799b6143cb56]',
    ])
    expect(result.summary).toContain('### Changes against acme/hello-world:1 (2 breaking)')
    // The "Was" column shows the live value of the changed keyword.
    expect(result.summary).toContain(
      '| breaking | `maximum-lowered` | schemas.json:21:11 | `4096` | input "max_new_tokens": "maximum" 4096 → 1024; e.g. {"prompt":"a","max_new_tokens":4096} was accepted by acme/hello-world:1 and is now rejected | `799b6143cb56` |',
    )
  })

  it('on a pull request, annotates the breaking changes, counts them and writes nothing', async () => {
    sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    // An output that can now be null: pydantic v2's Optional, which callers reading it must handle.
    schemas.prediction.output = { anyOf: [JSON.parse(JSON.stringify(schemas.prediction.output)), { type: 'null' }] }
    const result = await run({ 'fail-on-breaking': 'true' }, PR)
    expect(result.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    const text = JSON.stringify(schemas, null, 2).split('\n')
    // On the new {"type": "null"} branch: the line before its "type", where the object opens.
    const line = text.findIndex((l) => l.includes('"type": "null"'))
    expect(errors(result)).toEqual([
      `::error title=output-nullable,file=schemas.json,line=${line},col=9::the output can now be null; e.g. null can now be produced, which acme/hello-world:1 did not allow [11c9a927c718]`,
      '::error::1 breaking change against acme/hello-world:1',
    ])
    expect(result.outputs['breaking-changes']).toBe('1')
    expect(result.summary).toContain(
      `| breaking | \`output-nullable\` | schemas.json:${line}:9 | \`"array"\` | the output can now be null; e.g. null can now be produced, which acme/hello-world:1 did not allow |`,
    )
  })

  it('on a pull request, fails on the sdxl DDIM removal behind the wrapper import-cog writes, annotated on the enum', async () => {
    const dir = path.join(ROOT, 'test/fixtures/diff/cog-sdxl-v1-ddim-removed')
    schemas = JSON.parse(await readFile(path.join(dir, 'live.json'), 'utf8'))
    sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    const next = await readFile(path.join(dir, 'new.json'), 'utf8')
    const result = await run({ 'fail-on-breaking': 'true' }, PR, { 'schemas.json': next })
    expect(result.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    expect(errors(result)).toEqual([
      '::error title=enum-value-removed,file=schemas.json,line=79,col=11::input "scheduler" no longer accepts "DDIM"; e.g. {"scheduler":"DDIM"} was accepted by acme/hello-world:1 and is now rejected [fc2b780864a8]',
      '::error::1 breaking change against acme/hello-world:1',
    ])
  })

  it('sees through composition: an enum value removed behind a pydantic v1 allOf wrapper fails the gate', async () => {
    const scheduler = { title: 'scheduler', type: 'string', enum: ['DDIM', 'K_EULER'] }
    schemas.prediction.input.$defs = { scheduler }
    schemas.prediction.input.properties.scheduler = { allOf: [{ $ref: '#/$defs/scheduler' }], default: 'K_EULER' }
    sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    // Rewritten as pydantic v2 writes it (a plain $ref), and one value removed.
    schemas.prediction.input.properties.scheduler = { $ref: '#/$defs/scheduler', default: 'K_EULER' }
    scheduler.enum = ['K_EULER']
    const result = await run({ 'fail-on-breaking': 'true' }, tagPushEnv())
    expect(result.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    const text = JSON.stringify(schemas, null, 2).split('\n')
    // On the "enum" that lost the value, in $defs (the only enum in the file).
    expect(text.filter((l) => l.includes('"enum"'))).toEqual(['          "enum": ['])
    const line = text.findIndex((l) => l.includes('"enum"')) + 1
    expect(errors(result)).toEqual([
      `::error title=enum-value-removed,file=schemas.json,line=${line},col=11::input "scheduler" no longer accepts "DDIM"; e.g. {"prompt":"a","scheduler":"DDIM"} was accepted by acme/hello-world:1 and is now rejected [ee68d1051259]`,
      '::error::1 breaking change against acme/hello-world:1; nothing was published',
    ])
    expect(result.outputs['breaking-changes']).toBe('1')
  })
})

describe('metadata sync', () => {
  it('patches exactly the fields that differ', async () => {
    const model = sandbox.addModel('acme', 'hello-world', { versions: [liveVersion()] })
    Object.assign(model, { description: 'Writes text', license_url: 'https://example.com/old-license', source_url: 'https://github.com/acme/hello-world' })
    const result = await run(
      { 'sync-metadata': 'true', description: 'Writes text', 'license-url': 'https://example.com/LICENSE', categories: 'text-generation', 'overview-file': 'README.md' },
      tagPushEnv(),
      { 'README.md': '# Hello world\n\nA small model.\n' },
    )
    expect(result.code).toBe(0)
    const patches = sandbox.writes().filter((r) => r.method === 'PATCH')
    expect(patches).toHaveLength(1)
    expect(patches[0]!.body).toEqual({ license_url: 'https://example.com/LICENSE', category_slugs: ['text-generation'], overview: '# Hello world\n\nA small model.\n' })
    expect(model).toMatchObject({ license_url: 'https://example.com/LICENSE', overview: '# Hello world\n\nA small model.\n', categories: [{ slug: 'text-generation' }] })
    expect(result.summary).toContain("updated the model's license_url, category_slugs, overview")

    const again = await run(
      {
        'sync-metadata': 'true',
        description: 'Writes text',
        'license-url': 'https://example.com/LICENSE',
        categories: 'text-generation',
        'overview-file': 'README.md',
        'image-digest': OLD_DIGEST,
      },
      tagPushEnv(),
      { 'README.md': '# Hello world\n\nA small model.\n' },
    )
    expect(again.code).toBe(0)
    expect(sandbox.writes().filter((r) => r.method === 'PATCH')).toHaveLength(1)
  })

  it('refuses an unknown category before any write, listing the known ones', async () => {
    const result = await run({ categories: 'text-generation, music' }, tagPushEnv())
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual(['::error::categories: "music" is not a WriftAI category; one of: text-generation'])
    expect(sandbox.writes()).toEqual([])
  })
})
