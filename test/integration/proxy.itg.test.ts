// Self-hosted runners behind a corporate proxy: the bundle sends the WriftAI API and registry
// requests through a forward proxy written here, which records what it is asked: http in absolute
// form, https tunnelled with CONNECT to a TLS server whose certificate a test CA signed. The hosts
// behind the proxy have names under .test that only the proxy knows (it sends them to loopback):
// a loopback host itself is never reached through a proxy.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runAction, secretLeaks, tagPushEnv } from '../helpers/run-action.js'
import { registryAvailable, startRegistry, type RunningRegistry } from '../registry/harness.js'
import { pushTestImages, type PushedImages } from '../registry/images.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const TOKEN = 'wai_test_acme_token'
const DIGEST = `sha256:${'1'.repeat(64)}`

interface Proxied {
  method: string
  target: string
  headers: IncomingHttpHeaders
}

/** Where the proxy sends a host: every name it is asked for is a server on this machine. */
const HIDDEN = 'wriftai.test'

/** A forward proxy: absolute-form requests are sent on, CONNECT opens a tunnel; each is recorded. */
async function startProxy(): Promise<{ url: string; seen: Proxied[]; close(): Promise<void> }> {
  const seen: Proxied[] = []
  const server = createHttpServer((req, res) => {
    seen.push({ method: req.method!, target: req.url!, headers: req.headers })
    const target = new URL(req.url!)
    const upstream = httpRequest({ host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  server.on('connect', (req, client, head) => {
    seen.push({ method: 'CONNECT', target: req.url!, headers: req.headers })
    const port = req.url!.split(':')[1]
    const upstream = connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => closeServer(server) }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

let certs: string
let ca: string

beforeAll(async () => {
  // A test CA and a certificate for localhost that it signs; the action trusts it through NODE_EXTRA_CA_CERTS.
  certs = await mkdtemp(path.join(tmpdir(), 'proxy-certs-'))
  const file = (name: string) => path.join(certs, name)
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' })
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=publish-version test CA'])
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost'])
  await writeFile(file('san.cnf'), `subjectAltName=DNS:api.${HIDDEN},DNS:localhost,IP:127.0.0.1\n`)
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('san.cnf'),
  ])
  ca = file('ca.pem')
})
afterAll(async () => {
  if (certs) await rm(certs, { recursive: true, force: true })
})

let sandbox: Sandbox
let proxy: Awaited<ReturnType<typeof startProxy>>
let schemas: string
beforeEach(async () => {
  sandbox = await startSandbox()
  proxy = await startProxy()
  schemas = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
})
afterEach(async () => {
  await proxy.close()
  await sandbox.close()
})

const publish = (inputs: Record<string, string>, env: Record<string, string>) =>
  runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', hardware: 'cpu', 'image-digest': DIGEST, ...inputs },
    files: { 'schemas.json': schemas },
    env: { ...tagPushEnv(), ...env },
  })

describe('a proxy in the environment', () => {
  it('never carries a request to a loopback host: a plain http API on loopback keeps its token off the proxy', async () => {
    const run = await publish({ 'api-url': sandbox.url }, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, http_proxy: proxy.url })
    expect(run.code, run.stdout).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions.map((v) => v.container_image_digest)).toEqual([DIGEST])
    expect(proxy.seen).toEqual([])
  })

  it('tunnels https with CONNECT (HTTPS_PROXY), trusting the CA in NODE_EXTRA_CA_CERTS; the proxy never sees the token', async () => {
    const tls = createHttpsServer({ key: await readFile(path.join(certs, 'server.key')), cert: await readFile(path.join(certs, 'server.pem')) }, (req, res) => {
      // A TLS front for the sandbox.
      const target = new URL(req.url!, sandbox.url)
      const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(res)
      })
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
    const port = (tls.address() as AddressInfo).port
    try {
      const run = await publish({ 'api-url': `https://api.${HIDDEN}:${port}/v1` }, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: ca })
      expect(run.code, run.stdout).toBe(0)
      expect(sandbox.models.get('acme/hello-world')!.versions).toHaveLength(1)
      expect(new Set(proxy.seen.map((p) => `${p.method} ${p.target}`))).toEqual(new Set([`CONNECT api.${HIDDEN}:${port}`]))
      expect(JSON.stringify(proxy.seen)).not.toContain(TOKEN)
      expect(secretLeaks(run, [TOKEN])).toEqual([])
    } finally {
      await closeServer(tls as unknown as Server)
    }
  })
})

describe.skipIf(!registryAvailable())('a proxy and the registry', () => {
  let root: string
  let registry: RunningRegistry
  let pushed: PushedImages
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'proxy-registry-'))
    registry = await startRegistry(root, 'anonymous')
    pushed = await pushTestImages(registry.host)
  })
  afterAll(async () => {
    await registry?.stop()
    if (root) await rm(root, { recursive: true, force: true })
  })

  it('resolves the image digest through the proxy too, in absolute form (HTTP_PROXY)', async () => {
    const host = `registry.${HIDDEN}:${registry.host.split(':')[1]}`
    const run = await publish({ 'api-url': sandbox.url, image: `${host}/acme/single:1.0`, 'image-digest': '', 'insecure-registry': 'true' }, { HTTP_PROXY: proxy.url })
    expect(run.code, run.stdout).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions[0]!.container_image_digest).toBe(pushed.single)
    // The manifest, and its config blob for the labels the drift check reads; the API on loopback went direct.
    expect(proxy.seen.map((p) => `${p.method} ${p.target.replace(`http://${host}`, '')}`)).toEqual([
      'GET /v2/acme/single/manifests/1.0',
      expect.stringMatching(/^GET \/v2\/acme\/single\/blobs\/sha256:[0-9a-f]{64}$/),
    ])
  })
})
