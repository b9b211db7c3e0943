// Hostile repositories and hostile servers, through the bundle: files that point outside the
// workspace or never end, a registry that answers with things that are not digests, an API that
// answers with things that are not version numbers. Each is refused in one line, before any write,
// with no workflow command or raw HTML getting through.
import { createServer, type Server } from 'node:http'
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runAction, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const TOKEN = 'wai_test_acme_token'
const DIGEST = `sha256:${'5e'.repeat(32)}`
const INJECTION = '\n::notice title=INJ::PWNED\n'

let sandbox: Sandbox
let schemas: string
beforeEach(async () => {
  sandbox = await startSandbox()
  schemas = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
})
afterEach(async () => sandbox.close())

async function run(inputs: Record<string, string>, setup?: (workspace: string) => Promise<void>, env: Record<string, string> = {}): Promise<ActionRun> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'hostile-'))
  await writeFile(path.join(workspace, 'schemas.json'), schemas)
  await setup?.(workspace)
  return runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', 'image-digest': DIGEST, hardware: 'cpu', 'api-url': sandbox.url, ...inputs },
    env: { ...tagPushEnv(), ...env },
    workspace,
  })
}

/** The lines that the runner would read as workflow commands, other than the action's own masks. */
const commands = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::') && !l.startsWith('::add-mask::'))

/** One error line, exit 1, nothing written, and no command but that error. */
function refused(r: ActionRun, message: string): void {
  expect(r.code).toBe(1)
  expect(commands(r)).toEqual([`::error::${message}`])
  expect(sandbox.writes()).toEqual([])
}

describe('files the repository points at', () => {
  it.each([
    ['schemas-file', 'outside.json'],
    ['release-notes-file', 'NOTES.md'],
    ['overview-file', 'README.md'],
  ])('refuses %s when it is a symlink to a file outside the workspace, reading nothing', async (input, name) => {
    const outside = path.join(await mkdtemp(path.join(tmpdir(), 'elsewhere-')), 'secret.txt')
    await writeFile(outside, 'INPUT_TOKEN=wai_secret_from_outside')
    const r = await run({ [input]: name }, (w) => symlink(outside, path.join(w, name)))
    refused(r, `${input}: ${name} resolves to ${outside}, outside the workspace; only files inside the repository are read`)
    expect(r.stdout + r.summary).not.toContain('wai_secret_from_outside')
  })

  it('refuses an overview-file linked to /proc/self/environ: the secrets in the environment never reach the API', async () => {
    const r = await run({ 'overview-file': 'NOTES.md' }, (w) => symlink('/proc/self/environ', path.join(w, 'NOTES.md')))
    expect(r.code).toBe(1)
    expect(commands(r)).toHaveLength(1)
    expect(commands(r)[0]).toMatch(/^::error::overview-file: NOTES.md resolves to \/proc\/\d+\/environ, outside the workspace; only files inside the repository are read$/)
    expect(sandbox.writes()).toEqual([])
    expect(JSON.stringify(sandbox.requests)).not.toContain('INPUT_TOKEN')
  })

  it('refuses a link to /dev/zero as a device, without reading it', async () => {
    const r = await run(
      { 'release-notes-file': 'zero' },
      async (w) => {
        await symlink('/dev/zero', path.join(w, 'zero'))
      },
      {},
    )
    // Outside the workspace first: the action says so before it would look at what the file is.
    refused(r, 'release-notes-file: zero resolves to /dev/zero, outside the workspace; only files inside the repository are read')
  })

  it('refuses a device inside the workspace as not a regular file (a FIFO would never end)', async () => {
    const { execFileSync } = await import('node:child_process')
    const r = await run({ 'release-notes-file': 'pipe' }, async (w) => {
      execFileSync('mkfifo', [path.join(w, 'pipe')])
    })
    refused(r, 'release-notes-file: pipe is a pipe, not a regular file')
  })

  it('refuses a directory with one line', async () => {
    const r = await run({ 'schemas-file': 'models' }, (w) => mkdir(path.join(w, 'models')))
    refused(r, 'schemas-file: models is a directory, not a regular file')
  })

  it('refuses a schemas file over 10 MB, reading no more than the limit', async () => {
    const r = await run({}, (w) => writeFile(path.join(w, 'schemas.json'), ' '.repeat(10 * 1024 * 1024 + 1)))
    refused(r, 'schemas-file: schemas.json is larger than 10 MB, the limit')
  })

  it('reads only the start of a huge release notes file, and strips it quickly', async () => {
    // 2 MB of crafted Markdown that makes stripping super-linear when it is stripped whole.
    const r = await run({ 'release-notes-file': 'NOTES.md' }, (w) => writeFile(path.join(w, 'NOTES.md'), '*a '.repeat(700_000)))
    expect(r.code).toBe(0)
    const notes = sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes
    expect(notes.length).toBeLessThanOrEqual(255)
    expect(notes.startsWith('*a *a *a')).toBe(true)
  })

  it('still reads a symlink that stays inside the workspace', async () => {
    const r = await run({ 'release-notes-file': 'NOTES.md' }, async (w) => {
      await mkdir(path.join(w, 'docs'))
      await writeFile(path.join(w, 'docs/notes.md'), 'Faster sampling')
      await symlink('docs/notes.md', path.join(w, 'NOTES.md'))
    })
    expect(r.code).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes).toBe('Faster sampling')
  })
})

describe('inputs that would leak', () => {
  it('refuses an api-url with credentials without printing them, and sends nothing', async () => {
    const r = await run({ 'api-url': 'http://bot:hunter2pass@api.example/v1' })
    refused(r, 'api-url: must not carry credentials (user:password@); the token input is the only credential the API gets')
    expect(r.stdout + r.stderr + r.summary).not.toContain('hunter2pass')
    expect(sandbox.requests).toEqual([])
  })

  it('refuses a token with a line break, naming the input and never echoing the token', async () => {
    const r = await run({ token: `wai_first_line${INJECTION}wai_second_line` })
    refused(r, 'token: contains a line break or another control character; check the secret')
    // Each line of it was masked before anything else was printed.
    const masks = r.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))
    expect(masks).toEqual(expect.arrayContaining(['::add-mask::wai_first_line', '::add-mask::wai_second_line']))
    expect(sandbox.requests).toEqual([])
  })
})

describe('answers from the WriftAI API', () => {
  it('refuses a created version whose number is not an integer, and prints none of it', async () => {
    sandbox.addModel('acme', 'hello-world')
    sandbox.inject({
      method: 'POST',
      path: '/models/acme/hello-world/versions',
      status: 201,
      commit: true,
      rawBody: JSON.stringify({ number: `1${INJECTION}`, release_notes: 'x', created_at: 'now', container_image_digest: DIGEST, schemas: {} }),
    })
    const r = await run({})
    expect(r.code).toBe(1)
    expect(commands(r)).toEqual([`::error::the WriftAI API's answer to create version of acme/hello-world was refused: "number" is not a version number (an integer)`])
    expect(r.outputs.version).toBeUndefined()
  })

  it('refuses a live model whose latest version number is HTML, before anything is written or shown', async () => {
    const model = sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: JSON.parse(schemas), container_image_digest: DIGEST }] })
    const body = {
      id: model.id,
      name: 'hello-world',
      owner: model.owner,
      visibility: 'private',
      created_at: model.created_at,
      latest_version: { number: '<img src=x onerror=alert(1)>', release_notes: 'v1', created_at: 'now', container_image_digest: DIGEST, schemas: JSON.parse(schemas) },
    }
    sandbox.inject({ method: 'GET', path: '/models/acme/hello-world', status: 200, rawBody: JSON.stringify(body), times: 5 })
    const r = await run({})
    refused(r, `the WriftAI API's answer to get model acme/hello-world was refused: "latest_version.number" is not a version number (an integer)`)
    expect(r.summary).not.toContain('<img')
  })

  it('refuses a listed hardware identifier that holds a line break', async () => {
    sandbox.inject({ method: 'GET', path: '/hardware', status: 200, rawBody: JSON.stringify({ items: [{ name: 'x', identifier: `cpu${INJECTION}` }], next_cursor: null }) })
    const r = await run({})
    refused(r, `the WriftAI API's answer to list hardware was refused: "items[0].identifier" is not one line of text`)
  })
})

describe('answers from a registry', () => {
  let registry: Server
  let host: string
  let answer: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void
  beforeEach(async () => {
    registry = createServer((req, res) => (req.url === '/v2/' ? res.writeHead(200).end('{}') : answer(req, res)))
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(registry.address() as AddressInfo).port}`
  })
  afterEach(async () => new Promise<void>((resolve) => registry.close(() => resolve())))

  it('refuses a Docker-Content-Digest that is not a digest', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': 'sha256:NOT-A-DIGEST' }).end()
    // Without the drift check the digest comes from a HEAD request's header alone.
    const r = await run({ image: `${host}/acme/hello:1.0`, 'image-digest': '', 'drift-check': 'off' })
    refused(r, `${host}/acme/hello:1.0: the registry answered with a Docker-Content-Digest that is not a sha256 digest`)
    // With it, the manifest is read whole for its config's labels; that it is not JSON only stops the
    // comparison, and the digest lookup then refuses the header as before.
    refused(
      await run({ image: `${host}/acme/hello:1.0`, 'image-digest': '' }),
      `${host}/acme/hello:1.0: the registry answered with a Docker-Content-Digest that is not a sha256 digest`,
    )
  })

  it('refuses an index whose entry digest carries a workflow command', async () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}${INJECTION}`, size: 10, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    })
    // No digest header: the action reads the index itself and computes its digest.
    answer = (req, res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end(req.method === 'HEAD' ? undefined : index)
    const r = await run({ image: `${host}/acme/hello:1.0`, 'image-digest': '', platform: 'linux/amd64' })
    expect(r.code).toBe(1)
    expect(commands(r)).toHaveLength(1)
    expect(commands(r)[0]).toMatch(new RegExp(`^::error::${host.replace(/\./g, '\\.')}/acme/hello@sha256:[a-f0-9]{64} lists a manifest whose digest is not a sha256 digest$`))
    expect(sandbox.writes()).toEqual([])
  })
})
