// What each kind of run loads, through the bundle: heavy code (Octokit, undici, the registry client,
// @actions/exec for git and credential helpers, the comparison with the live version, RE2 for
// patterns) only on the paths that need it.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGitHubApi } from '../helpers/github-api.js'
import { ROOT, runAction, tagPushEnv, type RunActionOptions } from '../helpers/run-action.js'
import { registryAvailable, startRegistry, type RunningRegistry } from '../registry/harness.js'
import { pushTestImages } from '../registry/images.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const DIGEST = `sha256:${'5e'.repeat(32)}`
const HEAVY = ['octokit', 'undici', 'resolve', 'exec', 'diff', 're2']

let sandbox: Sandbox
let registryRoot: string | undefined
let registry: RunningRegistry | undefined
let schemasText: string

beforeAll(async () => {
  sandbox = await startSandbox()
  schemasText = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
  if (registryAvailable()) {
    registryRoot = await mkdtemp(path.join(tmpdir(), 'lazy-registry-'))
    registry = await startRegistry(registryRoot, 'anonymous')
    await pushTestImages(registry.host)
  }
})
afterAll(async () => {
  await sandbox.close()
  await registry?.stop()
  if (registryRoot) await rm(registryRoot, { recursive: true, force: true })
})

/** Runs the action and names the heavy chunks of dist/chunks/ that it loaded. */
async function heavyChunksLoaded(options: RunActionOptions): Promise<string[]> {
  const log = path.join(await mkdtemp(path.join(tmpdir(), 'loads-')), 'loads.txt')
  const preload = pathToFileURL(path.join(ROOT, 'test/helpers/record-loads.ts')).href
  const run = await runAction({ ...options, env: { ...options.env, NODE_OPTIONS: `--import=${preload}`, RECORD_LOADS: log } })
  expect(run.code, run.stdout + run.stderr).toBe(0)
  const chunks = (await readFile(log, 'utf8'))
    .split('\n')
    .filter((url) => url.startsWith(pathToFileURL(path.join(ROOT, 'dist/chunks/')).href))
    .map((url) => path.basename(url, '.js'))
  expect(chunks.length).toBeGreaterThan(0)
  return HEAVY.filter((name) => chunks.includes(name))
}

const files = () => ({ 'schemas.json': schemasText })

describe('on-demand chunks', () => {
  it('a validate run loads none of the heavy code', async () => {
    // Compared with nothing: no model to read, so no HTTP client either.
    expect(await heavyChunksLoaded({ inputs: { mode: 'validate', model: 'acme/hello-world', baseline: 'none' }, files: files() })).toEqual([])
  })

  it('a validate run loads RE2 only for a file with patterns', async () => {
    const withPattern = JSON.parse(schemasText)
    withPattern.prediction.input.properties.prompt.pattern = '^(\\w+ ?)+$'
    const files = { 'schemas.json': JSON.stringify(withPattern) }
    expect(await heavyChunksLoaded({ inputs: { mode: 'validate', model: 'acme/hello-world', baseline: 'none' }, files })).toEqual(['re2'])
  })

  it('a publish with a given digest and notes loads undici only', async () => {
    const inputs = { token: sandbox.users[0]!.token, model: 'acme/hello-world', 'image-digest': DIGEST, hardware: 'cpu', 'api-url': sandbox.url, 'release-notes': 'First release' }
    expect(await heavyChunksLoaded({ inputs, files: files(), env: tagPushEnv() })).toEqual(['undici'])
  })

  it('a publish to a model with a live version loads the comparison', async () => {
    sandbox.addModel('acme', 'compared', { versions: [{ release_notes: 'v1', schemas: JSON.parse(schemasText), container_image_digest: `sha256:${'0a'.repeat(32)}` }] })
    const inputs = { token: sandbox.users[0]!.token, model: 'acme/compared', 'image-digest': DIGEST, 'api-url': sandbox.url, 'release-notes': 'Second release' }
    expect(await heavyChunksLoaded({ inputs, files: files(), env: tagPushEnv() })).toEqual(['undici', 'diff'])
  })

  it.runIf(registryAvailable())('a publish with an image loads the registry client', async () => {
    const inputs = {
      token: sandbox.users[0]!.token,
      model: 'acme/other',
      image: `${registry!.host}/acme/multi:1.0`,
      hardware: 'cpu',
      'api-url': sandbox.url,
      'release-notes': 'First release',
    }
    expect(await heavyChunksLoaded({ inputs, files: files(), env: tagPushEnv() })).toEqual(['undici', 'resolve'])
  })

  it('release notes from GitHub load Octokit; from the tag, git through @actions/exec', async () => {
    const github = await startGitHubApi()
    try {
      const inputs = { token: sandbox.users[0]!.token, model: 'acme/notes', 'image-digest': DIGEST, hardware: 'cpu', 'api-url': sandbox.url }
      const env = { ...tagPushEnv('v2.0.0'), GITHUB_API_URL: github.url }
      expect(await heavyChunksLoaded({ inputs: { ...inputs, 'github-token': 'ghs_test_token' }, files: files(), env })).toEqual(['octokit', 'undici', 'exec'])
      expect(github.requests.map((r) => r.path)).toEqual(['/repos/acme/hello-world/releases/tags/v2.0.0'])
    } finally {
      await github.close()
    }
  })
})
