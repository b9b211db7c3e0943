// The gate at release, through the bundle: a real git repository with the previous release's tag
// (whose schemas are the live version in the sandbox) and the tag being pushed, cloned as
// actions/checkout clones a tag (--depth 1); fail-on-breaking left at its default, semver.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runAction, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const DIGEST = `sha256:${'7c'.repeat(32)}`
let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox()
})
afterEach(async () => sandbox.close())

type Schemas = { prediction: { input: Record<string, any>; output: Record<string, any> } }

const V1: Schemas = {
  prediction: {
    input: {
      type: 'object',
      properties: {
        prompt: { type: 'string', title: 'Prompt' },
        scheduler: { type: 'string', enum: ['DDIM', 'K_EULER'], default: 'K_EULER' },
        seed: { type: 'integer', deprecated: true },
      },
      required: ['prompt'],
    },
    output: { type: 'string', format: 'uri' },
  },
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, stdio: 'ignore' })
}

/** The previous release tagged `previous` with V1, the next commit tagged `tag`, cloned as checkout clones a tag. */
async function release(previous: string, tag: string, next: Schemas, files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'semver-'))
  const origin = path.join(root, 'origin')
  execFileSync('git', ['init', '-q', origin])
  await writeFile(path.join(origin, 'schemas.json'), JSON.stringify(V1, null, 2))
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', previous)
  git(origin, 'tag', previous)
  await writeFile(path.join(origin, 'schemas.json'), JSON.stringify(next, null, 2))
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(origin, file)), { recursive: true })
    await writeFile(path.join(origin, file), text)
  }
  git(origin, 'add', '.')
  git(origin, 'commit', '-q', '-m', tag)
  git(origin, 'tag', tag)
  const workspace = path.join(root, 'workspace')
  execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', tag, `file://${origin}`, workspace], { stdio: 'ignore' })
  return workspace
}

async function publish(workspace: string, tag: string, earlier: Schemas[] = []): Promise<ActionRun> {
  const versions = [...earlier, V1].map((schemas, i) => ({ release_notes: `v${i + 1}`, schemas, container_image_digest: `sha256:${`0${i + 1}`.repeat(32)}` }))
  sandbox.addModel('acme', 'hello-world', { versions })
  return runAction({
    inputs: { token: sandbox.users[0]!.token, model: 'acme/hello-world', 'image-digest': DIGEST, 'api-url': sandbox.url, 'github-token': '' },
    workspace,
    env: tagPushEnv(tag),
  })
}

const lines = (run: ActionRun, kind: string) => run.stdout.split('\n').filter((l) => l.startsWith(`::${kind}`))

function withoutDdim(): Schemas {
  const next = structuredClone(V1)
  next.prediction.input.properties.scheduler.enum = ['K_EULER']
  return next
}

describe('fail-on-breaking: semver, on a version tag', () => {
  it('refuses a break under a minor tag, before any write, naming the version it needs', async () => {
    const run = await publish(await release('v1.0.0', 'v1.1.0', withoutDdim()), 'v1.1.0')
    expect(run.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    const errors = lines(run, 'error')
    expect(errors[0]).toMatch(/^::error title=enum-value-removed,file=schemas\.json,line=\d+,col=\d+::input "scheduler" no longer accepts "DDIM"; e\.g\. /)
    expect(errors.at(-1)).toBe('::error::breaking changes need a new major version: v2.0.0 (the tag is v1.1.0); nothing was published')
    expect(run.outputs['required-bump']).toBe('major')
    expect(run.summary).toContain('| Version bump needed | major (v1.0.0 → v1.1.0 is minor) |')
  })

  it('publishes the same break under a major tag, listing it, with its changelog', async () => {
    const run = await publish(await release('v1.0.0', 'v2.0.0', withoutDdim()), 'v2.0.0')
    expect(run.code, run.stdout).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions).toHaveLength(2)
    expect(lines(run, 'warning')).toContainEqual(expect.stringMatching(/^::warning title=enum-value-removed,.*no longer accepts "DDIM"/))
    expect(run.outputs.changelog).toBe('### Breaking\n- input "scheduler" no longer accepts "DDIM"')
    expect(run.summary).toContain('### What changed\n\n#### Breaking\n- input "scheduler" no longer accepts "DDIM"\n')
    // No release-notes source had notes: they say what changed.
    expect(sandbox.models.get('acme/hello-world')!.versions[1]!.release_notes).toBe('input scheduler no longer accepts DDIM (breaking)')
  })

  it('publishes the removal of a deprecated input under a minor tag, with a warning', async () => {
    const next = structuredClone(V1)
    delete next.prediction.input.properties.seed
    // Version 1 had seed plain, version 2 (the live one) marked it deprecated; release 3 removes it.
    const before = structuredClone(V1)
    delete before.prediction.input.properties.seed.deprecated
    const run = await publish(await release('v1.0.0', 'v1.1.0', next), 'v1.1.0', [before])
    expect(run.code, run.stdout).toBe(0)
    expect(lines(run, 'warning')).toContainEqual(
      expect.stringMatching(
        /^::warning title=deprecated-input-removed,file=schemas\.json,line=\d+,col=\d+::input "seed" was removed after it was marked deprecated in acme\/hello-world:2 \[[0-9a-f]{12}\]$/,
      ),
    )
    expect(run.outputs['required-bump']).toBe('minor')
    expect(run.outputs.changelog).toBe('### Removed\n- input "seed" was removed after it was marked deprecated in acme/hello-world:2')
  })

  it('under 0.x, a minor bump may break and a patch may not', async () => {
    const minor = await publish(await release('v0.3.0', 'v0.4.0', withoutDdim()), 'v0.4.0')
    expect(minor.code, minor.stdout).toBe(0)
    await sandbox.close()
    sandbox = await startSandbox()
    const patch = await publish(await release('v0.3.0', 'v0.3.1', withoutDdim()), 'v0.3.1')
    expect(patch.code).toBe(1)
    expect(lines(patch, 'error').at(-1)).toBe('::error::breaking changes need a new minor version: v0.4.0 (the tag is v0.3.1); nothing was published')
    expect(sandbox.writes()).toEqual([])
  })

  it('publishes under a tag that is not a version, with a notice', async () => {
    const run = await publish(await release('v1.0.0', 'release-2026-12', withoutDdim()), 'release-2026-12')
    expect(run.code, run.stdout).toBe(0)
    expect(lines(run, 'notice')).toContainEqual(
      '::notice::the tag release-2026-12 is not a semantic version, so fail-on-breaking: semver does not apply: breaking changes are warnings',
    )
  })

  it('does not count a change accepted by a committed entry', async () => {
    const first = await publish(await release('v1.0.0', 'v1.1.0', withoutDdim()), 'v1.1.0')
    const fingerprint = /"fingerprint": "([0-9a-f]{12})"/.exec(first.stdout)![1]!
    await sandbox.close()
    sandbox = await startSandbox()
    const entry = `{"accepted": [{"fingerprint": "${fingerprint}", "reason": "DDIM retired with the new pipeline"}]}\n`
    const run = await publish(await release('v1.0.0', 'v1.1.0', withoutDdim(), { '.github/accepted-changes.json': entry }), 'v1.1.0')
    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs['accepted-changes']).toBe('1')
    expect(run.outputs['breaking-changes']).toBe('0')
  })
})
