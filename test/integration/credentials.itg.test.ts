// A credential goes only where it was given for, through the bundle: a registry that redirects to
// a host naming its own token realm, a Docker config naming a credential helper by a path into the
// workspace, a committed symlink into .git, and an api-url carrying a secret in its query.
import { chmod, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runAction, secretLeaks, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const TOKEN = 'wai_test_acme_token'
const PASSWORD = 'registry-password-of-alice'
const IDENTITY_TOKEN = 'identity-token-of-alice'

let sandbox: Sandbox
let schemas: string
beforeEach(async () => {
  sandbox = await startSandbox()
  schemas = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
})
afterEach(async () => sandbox.close())

const commands = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::') && !l.startsWith('::add-mask::'))

async function publish(inputs: Record<string, string>, setup?: (workspace: string) => Promise<void>, env: Record<string, string> = {}): Promise<ActionRun> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'credentials-'))
  await writeFile(path.join(workspace, 'schemas.json'), schemas)
  await setup?.(workspace)
  return runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', hardware: 'cpu', 'api-url': sandbox.url, 'drift-check': 'off', ...inputs },
    env: { ...tagPushEnv(), ...env },
    workspace,
  })
}

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** A server on a loopback address that records every request and answers with `answer`. */
async function startServer(address: string, answer: (req: Seen, res: import('node:http').ServerResponse, origin: string) => void) {
  const seen: Seen[] = []
  let origin = ''
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body }
      seen.push(request)
      answer(request, res, origin)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, address, resolve))
  origin = `http://${address}:${(server.address() as AddressInfo).port}`
  return { origin, host: origin.slice('http://'.length), seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

describe('a registry that redirects to a host naming its own token realm', () => {
  let attacker: Awaited<ReturnType<typeof startServer>>
  let registry: Awaited<ReturnType<typeof startServer>>
  beforeEach(async () => {
    // Another loopback address: another host, as far as any origin check can tell.
    attacker = await startServer('127.0.0.2', (req, res, origin) => {
      if (req.url.startsWith('/token')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"token": "stolen"}')
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${origin}/token",service="evil"` }).end()
    })
    registry = await startServer('127.0.0.1', (req, res) => res.writeHead(307, { location: `${attacker.origin}${req.url}` }).end())
  })
  afterEach(async () => {
    await attacker.close()
    await registry.close()
  })

  it.each([
    ['a password (registry-username/registry-password)', { 'registry-username': 'alice', 'registry-password': PASSWORD }, {}],
    ['an identity token from the Docker config', {}, { identitytoken: IDENTITY_TOKEN }],
  ])('sends %s to neither the redirect target nor its realm', async (_name, inputs, auth) => {
    const config = await mkdtemp(path.join(tmpdir(), 'docker-config-'))
    await writeFile(path.join(config, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('alice:').toString('base64'), ...auth } } }))
    const r = await publish({ image: `${registry.host}/acme/hello:1.0`, ...inputs }, undefined, { DOCKER_CONFIG: config })
    expect(r.code).toBe(1)
    expect(commands(r)).toHaveLength(1)
    expect(commands(r)[0]).toMatch(new RegExp(`^::error::access to ${registry.host.replace(/\./g, '\\.')}/acme/hello:1\\.0 was denied with the credentials from `))
    // The redirect was followed without credentials, and the attacker's realm was never asked.
    expect(attacker.seen.map((s) => `${s.method} ${s.url}`)).toEqual([`HEAD /v2/acme/hello/manifests/1.0`])
    expect(JSON.stringify(attacker.seen)).not.toContain(PASSWORD)
    expect(JSON.stringify(attacker.seen)).not.toContain(IDENTITY_TOKEN)
    expect(attacker.seen.every((s) => s.headers.authorization === undefined)).toBe(true)
    expect(sandbox.writes()).toEqual([])
  })
})

describe('a credential helper named in the Docker config', () => {
  it('refuses a helper name with a path in it, and runs nothing from the workspace', async () => {
    const config = await mkdtemp(path.join(tmpdir(), 'docker-config-'))
    await writeFile(path.join(config, 'config.json'), JSON.stringify({ credHelpers: { 'registry.example': 'x/../evil' } }))
    const marker = path.join(config, 'ran')
    const r = await publish(
      { image: 'registry.example/acme/hello:1.0' },
      async (w) => {
        // What a pull request would commit: docker-credential-x/ and the program beside it.
        await mkdir(path.join(w, 'docker-credential-x'))
        await writeFile(path.join(w, 'evil'), `#!/bin/sh\ntouch ${marker}\necho '{"Username":"u","Secret":"s"}'\n`)
        await chmod(path.join(w, 'evil'), 0o755)
      },
      { DOCKER_CONFIG: config },
    )
    expect(r.code).toBe(1)
    expect(commands(r)).toEqual(['::error::the Docker config names the credential helper "x/../evil", which is not a bare name ([A-Za-z0-9._-]); refusing to run it'])
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/)
    expect(sandbox.writes()).toEqual([])
  })

  it('runs a bare helper name from PATH only, and masks the secret it answers', async () => {
    const bin = await mkdtemp(path.join(tmpdir(), 'helper-bin-'))
    const secret = 'helper-secret-4f9c'
    await writeFile(path.join(bin, 'docker-credential-vault'), `#!/bin/sh\nread -r server\nprintf '{"Username":"alice","Secret":"${secret}"}'\n`)
    await chmod(path.join(bin, 'docker-credential-vault'), 0o755)
    const config = await mkdtemp(path.join(tmpdir(), 'docker-config-'))
    const registry = await startServer('127.0.0.1', (_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end())
    try {
      await writeFile(path.join(config, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'vault' } }))
      const r = await publish({ image: `${registry.host}/acme/hello:1.0` }, undefined, { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` })
      expect(r.code).toBe(1)
      expect(r.stdout.split('\n')).toContain(`::add-mask::${secret}`)
      expect(secretLeaks(r, [secret])).toEqual([])
      // The registry got it, as Basic credentials: the helper ran.
      expect(registry.seen.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from(`alice:${secret}`).toString('base64')}`)
    } finally {
      await registry.close()
    }
  })
})

describe('files and inputs that would leak', () => {
  it('refuses an overview-file linked into .git, where the checkout keeps its credentials', async () => {
    const r = await publish({ 'image-digest': `sha256:${'5e'.repeat(32)}`, 'overview-file': 'README.md' }, async (w) => {
      await mkdir(path.join(w, '.git'))
      await writeFile(path.join(w, '.git/config'), '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==\n')
      await symlink('.git/config', path.join(w, 'README.md'))
    })
    expect(r.code).toBe(1)
    expect(commands(r)).toEqual(["::error::overview-file: README.md resolves to .git/config, inside git's own folder; only the repository's files are read"])
    expect(sandbox.writes()).toEqual([])
    expect(JSON.stringify(sandbox.requests) + r.stdout + r.summary).not.toContain('extraheader')
  })

  it('names an api-url that is not https by scheme, host and path alone, never its query', async () => {
    const r = await publish({ 'api-url': 'http://api.example/v1?api_key=SECRET123', 'image-digest': `sha256:${'5e'.repeat(32)}` })
    expect(r.code).toBe(1)
    expect(commands(r)).toEqual(['::error::api-url: "http://api.example/v1" must use https (plain http only for a loopback host)'])
    expect(r.stdout + r.stderr + r.summary).not.toContain('SECRET123')
  })

  it('never echoes the query of an api-url that is not a URL', async () => {
    const r = await publish({ 'api-url': 'not a url?api_key=SECRET123', 'image-digest': `sha256:${'5e'.repeat(32)}` })
    expect(r.code).toBe(1)
    expect(commands(r)).toEqual(['::error::api-url: "not a url" is not a URL'])
    expect(r.stdout + r.stderr + r.summary).not.toContain('SECRET123')
  })
})
