// The gate in review, through the bundle: a real git repository with a base commit and a head
// commit, cloned as actions/checkout clones (--depth 1), a pull_request event payload whose
// base.sha is the base commit, no WriftAI token. The GitHub REST API is a recording fake.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubApi, type FakeGitHub } from '../helpers/github-api.js'
import { ROOT, runAction, runCliBundle, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const GITHUB_TOKEN = 'ghs_review_token'
let sandbox: Sandbox
let github: FakeGitHub
let base: Record<string, any>

beforeEach(async () => {
  sandbox = await startSandbox()
  github = await startGitHubApi()
  base = JSON.parse(await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8'))
})
afterEach(async () => {
  await sandbox.close()
  await github.close()
})

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim()
}

/** An origin with a base commit and a head commit, and a shallow clone of the head as checkout makes it. */
async function repository(baseFile: string | undefined, headFile: string): Promise<{ workspace: string; baseSha: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'review-'))
  const origin = path.join(root, 'origin')
  execFileSync('git', ['init', '-q', origin])
  await writeFile(path.join(origin, 'README.md'), '# model\n')
  if (baseFile !== undefined) await writeFile(path.join(origin, 'schemas.json'), baseFile)
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', 'base')
  const baseSha = git(origin, 'rev-parse', 'HEAD')
  await writeFile(path.join(origin, 'schemas.json'), headFile)
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', 'head')
  const workspace = path.join(root, 'workspace')
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, workspace])
  return { workspace, baseSha }
}

/** A pull_request event payload, as the runner writes it to GITHUB_EVENT_PATH. */
async function event(workspace: string, baseSha: string, options: { labels?: string[]; fork?: boolean } = {}): Promise<string> {
  const file = path.join(path.dirname(workspace), 'event.json')
  const repo = { full_name: 'acme/hello-world' }
  await writeFile(
    file,
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      pull_request: {
        number: 7,
        base: { sha: baseSha, ref: 'main', repo },
        head: { sha: 'f'.repeat(40), ref: 'feature', repo: options.fork ? { full_name: 'someone/hello-world' } : repo },
        labels: (options.labels ?? []).map((name) => ({ name })),
      },
      repository: repo,
    }),
  )
  return file
}

async function review(workspace: string, eventFile: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { token: '', model: 'acme/hello-world', 'api-url': sandbox.url, 'github-token': GITHUB_TOKEN, comment: 'off', 'fail-on-breaking': 'false', ...inputs },
    workspace,
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_REPOSITORY: 'acme/hello-world',
      GITHUB_API_URL: github.url,
      GITHUB_RUN_ID: '42',
      GITHUB_JOB: 'schemas',
    },
  })
}

const commands = (run: ActionRun, kind: string) => run.stdout.split('\n').filter((l) => l.startsWith(`::${kind}`))

/** The head narrows an input: max_new_tokens' maximum 4096 → 1024. */
function narrowed(): string {
  const head = structuredClone(base)
  head.prediction.input.properties.max_new_tokens.maximum = 1024
  return JSON.stringify(head, null, 2)
}

describe('a pull request compared with its base commit, with no WriftAI token', () => {
  it('finds the break against the base, fetched from a one-commit clone, and names the baseline', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const run = await review(workspace, await event(workspace, baseSha))
    expect(run.code, run.stdout).toBe(0)
    const label = `git:${baseSha.slice(0, 7)} (base of #7)`
    expect(run.outputs['compared-with']).toBe(label)
    expect(run.outputs['breaking-changes']).toBe('1')
    expect(commands(run, 'warning')).toContainEqual(
      `::warning title=maximum-lowered,file=schemas.json,line=28,col=11::input "max_new_tokens": "maximum" 4096 → 1024; e.g. {"prompt":"a","max_new_tokens":4096} was accepted by ${label} and is now rejected [799b6143cb56]`,
    )
    expect(run.summary).toContain(`| Compared with | ${label} |`)
    // No WriftAI token was used; the model does not exist, and nothing was written.
    expect(sandbox.requests.every((r) => r.headers.authorization === undefined)).toBe(true)
    expect(sandbox.writes()).toEqual([])
  })

  it('with fail-on-breaking, fails before anything is written and prints the entry that would accept the break', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const run = await review(workspace, await event(workspace, baseSha), { 'fail-on-breaking': 'true' })
    expect(run.code).toBe(1)
    expect(commands(run, 'error').at(-1)).toBe(`::error::1 breaking change against git:${baseSha.slice(0, 7)} (base of #7)`)
    expect(run.stdout).toContain('{"accepted": [\n    {"fingerprint": "799b6143cb56", "reason": "…"}\n]}')
    expect(sandbox.writes()).toEqual([])
  })

  it('fails by default (fail-on-breaking: semver), saying the changes need a major release', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const run = await review(workspace, await event(workspace, baseSha), { 'fail-on-breaking': 'semver' })
    expect(run.code).toBe(1)
    expect(commands(run, 'error').at(-1)).toBe(`::error::1 breaking change against git:${baseSha.slice(0, 7)} (base of #7): these changes need a major release`)
    expect(run.outputs['required-bump']).toBe('major')
  })

  it('passes with the accept label, the change listed as accepted', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const run = await review(workspace, await event(workspace, baseSha, { labels: ['breaking-change-accepted'] }), { 'fail-on-breaking': 'true' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['breaking-changes']).toBe('0')
    expect(run.outputs['accepted-changes']).toBe('1')
    expect(run.summary).toContain('(accepted by the label `breaking-change-accepted`)')
    expect(commands(run, 'notice')).toContainEqual(expect.stringContaining('[799b6143cb56; accepted by the label "breaking-change-accepted"]'))
  })

  it('passes with a committed entry carrying the printed fingerprint; an expired one accepts nothing', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const eventFile = await event(workspace, baseSha)
    const file = path.join(workspace, '.github/accepted-changes.json')
    execFileSync('mkdir', ['-p', path.dirname(file)])
    await writeFile(file, '{"accepted": [\n  {"fingerprint": "799b6143cb56", "reason": "max_new_tokens capped for the smaller GPU", "expires": "2999-01-01"}\n]}\n')
    const accepted = await review(workspace, eventFile, { 'fail-on-breaking': 'true' })
    expect(accepted.code, accepted.stdout).toBe(0)
    expect(accepted.outputs['accepted-changes']).toBe('1')
    expect(accepted.summary).toContain('(accepted: max_new_tokens capped for the smaller GPU)')

    await writeFile(file, '{"accepted": [\n  {"fingerprint": "799b6143cb56", "reason": "max_new_tokens capped", "expires": "2020-01-01"}\n]}\n')
    const expired = await review(workspace, eventFile, { 'fail-on-breaking': 'true' })
    expect(expired.code).toBe(1)
    expect(commands(expired, 'warning')).toContainEqual(
      '::warning title=accepted-changes,file=.github/accepted-changes.json,line=2,col=70::799b6143cb56 expired on 2020-01-01, so it accepts nothing',
    )
    expect(sandbox.writes()).toEqual([])
  })

  it('refuses an accepted-changes file that is not JSON, at its line, with nothing written', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    execFileSync('mkdir', ['-p', path.join(workspace, '.github')])
    await writeFile(path.join(workspace, '.github/accepted-changes.json'), '{"accepted": [\n  {"fingerprint": 799b}\n]}\n')
    const run = await review(workspace, await event(workspace, baseSha))
    expect(run.code).toBe(1)
    expect(commands(run, 'error')[0]).toMatch(/^::error title=accepted-changes,file=\.github\/accepted-changes\.json,line=2,col=\d+::/)
    expect(commands(run, 'error').at(-1)).toBe('::error::.github/accepted-changes.json has 1 error')
  })

  it('says there is nothing to compare when the base has no schemas file', async () => {
    const { workspace, baseSha } = await repository(undefined, narrowed())
    const run = await review(workspace, await event(workspace, baseSha), { 'fail-on-breaking': 'true' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['compared-with']).toBe('')
    expect(run.summary).toContain(`| Compared with | schemas.json does not exist at git:${baseSha.slice(0, 7)} (base of #7): nothing to compare |`)
  })

  it('reads the base through the contents API where git cannot', async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), 'no-git-'))
    await writeFile(path.join(workspace, 'schemas.json'), narrowed())
    const baseSha = 'abcdef0123456789abcdef0123456789abcdef01'
    github.contents.set(`${baseSha}:schemas.json`, JSON.stringify(base, null, 2))
    const run = await review(workspace, await event(workspace, baseSha))
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['compared-with'], run.stdout).toBe('git:abcdef0 (base of #7)')
    expect(run.outputs['breaking-changes']).toBe('1')
    expect(github.requests).toContainEqual({ path: `/repos/acme/hello-world/contents/schemas.json?ref=${baseSha}`, authorization: `token ${GITHUB_TOKEN}` })
  })

  it('fails closed when the base commit cannot be read', async () => {
    const { workspace } = await repository(JSON.stringify(base, null, 2), narrowed())
    const missing = '0123456789abcdef0123456789abcdef01234567'
    const run = await review(workspace, await event(workspace, missing), { 'fail-on-breaking': 'true', 'github-token': '' })
    expect(run.code).toBe(1)
    expect(commands(run, 'error').at(-1)).toMatch(/^::error::breaking changes could not be checked: git:0123456 \(base of #7\) could not be read: git fetch failed: /)
  })
})

describe('one pull-request comment', () => {
  it('is posted once, updated on the next push, and says when the problems are gone', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const eventFile = await event(workspace, baseSha)
    await review(workspace, eventFile, { comment: 'auto' })
    await review(workspace, eventFile, { comment: 'auto' })
    const writes = github.calls.filter((c) => c.method !== 'GET')
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /repos/acme/hello-world/issues/7/comments', 'PATCH /repos/acme/hello-world/issues/comments/1000'])
    const [comment] = github.comments.get(7)!
    expect(comment!.body).toContain('### ⚠️ acme/hello-world: 1 breaking change against git:')
    expect(comment!.body).toContain('`maximum-lowered` `799b6143cb56`')
    expect(comment!.body).toContain('[The run](https://github.com/acme/hello-world/actions/runs/42)')

    // The break is undone on the next push: the same comment says so.
    await writeFile(path.join(workspace, 'schemas.json'), JSON.stringify(base, null, 2))
    await review(workspace, eventFile, { comment: 'auto' })
    expect(github.comments.get(7)).toHaveLength(1)
    expect(github.comments.get(7)![0]!.body).toContain('### ✅ acme/hello-world: no problems against git:')
  })

  it('is not attempted from a fork, and a 403 is a warning, not a failure', async () => {
    const { workspace, baseSha } = await repository(JSON.stringify(base, null, 2), narrowed())
    const fork = await review(workspace, await event(workspace, baseSha, { fork: true }), { comment: 'auto' })
    expect(fork.code).toBe(0)
    expect(github.calls.filter((c) => c.path.includes('/comments'))).toEqual([])
    // The break is still found from the fork, without any secret.
    expect(fork.outputs['breaking-changes']).toBe('1')

    github.forbidComments = true
    const forbidden = await review(workspace, await event(workspace, baseSha), { comment: 'auto' })
    expect(forbidden.code).toBe(0)
    expect(commands(forbidden, 'warning')).toContainEqual(
      '::warning::the pull-request comment was not written: the token may not write pull-request comments (give the job permissions: pull-requests: write)',
    )
  })
})

describe('the live version, fail closed', () => {
  it('a token the API refuses fails the run with fail-on-breaking, in one line, with no write', async () => {
    sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: base, container_image_digest: `sha256:${'01'.repeat(32)}` }] })
    const dir = await mkdtemp(path.join(tmpdir(), 'closed-'))
    await writeFile(path.join(dir, 'schemas.json'), narrowed())
    const run = await runAction({
      inputs: { token: 'wai_expired', model: 'acme/hello-world', 'api-url': sandbox.url, mode: 'validate', baseline: 'live', 'fail-on-breaking': 'true' },
      workspace: dir,
    })
    expect(run.code).toBe(1)
    expect(commands(run, 'error')).toEqual([expect.stringMatching(/^::error::breaking changes could not be checked: the live version could not be read: .*HTTP 401/)])
    expect(sandbox.writes()).toEqual([])
  })

  it('a public model is read without a token', async () => {
    sandbox.addModel('acme', 'hello-world', { visibility: 'public', versions: [{ release_notes: 'v1', schemas: base, container_image_digest: `sha256:${'01'.repeat(32)}` }] })
    const dir = await mkdtemp(path.join(tmpdir(), 'public-'))
    await writeFile(path.join(dir, 'schemas.json'), narrowed())
    const run = await runAction({
      inputs: { token: '', model: 'acme/hello-world', 'api-url': sandbox.url, mode: 'validate', baseline: 'live', 'fail-on-breaking': 'false' },
      workspace: dir,
    })
    expect(run.code).toBe(0)
    expect(run.outputs['compared-with']).toBe('acme/hello-world:1')
    expect(run.outputs['breaking-changes']).toBe('1')
    expect(sandbox.requests.map((r) => r.headers.authorization)).toEqual([undefined])
  })
})

describe('the CLI compares anything with anything', () => {
  it('diff git:HEAD~1 schemas.json', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'cli-git-'))
    execFileSync('git', ['init', '-q', root])
    await writeFile(path.join(root, 'schemas.json'), JSON.stringify(base, null, 2))
    git(root, 'add', '.')
    git(root, 'commit', '-q', '-m', 'one')
    await writeFile(path.join(root, 'schemas.json'), narrowed())
    git(root, 'commit', '-q', '-am', 'two')
    const run = await runCliBundle(['diff', 'git:HEAD~1', 'schemas.json'], {}, root)
    expect(run.code, run.stderr).toBe(1)
    expect(run.stdout).toBe(
      'schemas.json:28:11: breaking[maximum-lowered]: input "max_new_tokens": "maximum" 4096 → 1024; e.g. {"prompt":"a","max_new_tokens":4096} was accepted by git:HEAD~1 and is now rejected\n1 breaking change\n',
    )
    const missing = await runCliBundle(['diff', 'git:nope', 'schemas.json'], {}, root)
    expect(missing.code).toBe(2)
  })

  it('diff OWNER/NAME:N schemas.json against the API', async () => {
    sandbox.addModel('acme', 'sdxl', { visibility: 'public', versions: [{ release_notes: 'v1', schemas: base, container_image_digest: `sha256:${'01'.repeat(32)}` }] })
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-live-'))
    await writeFile(path.join(dir, 'schemas.json'), narrowed())
    const run = await runCliBundle(['diff', 'acme/sdxl:1', 'schemas.json', '--api-url', sandbox.url], {}, dir)
    expect(run.code, run.stderr).toBe(1)
    expect(run.stdout).toContain('was accepted by acme/sdxl:1 and is now rejected\n1 breaking change\n')
    const latest = await runCliBundle(['diff', 'acme/sdxl', 'schemas.json', '--api-url', sandbox.url, '--json'], {}, dir)
    expect(JSON.parse(latest.stdout).changes[0]).toMatchObject({ rule: 'maximum-lowered', fingerprint: '799b6143cb56' })
    const absent = await runCliBundle(['diff', 'acme/none:1', 'schemas.json', '--api-url', sandbox.url], {}, dir)
    expect(absent.code).toBe(2)
  })
})
