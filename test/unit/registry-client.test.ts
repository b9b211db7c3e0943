// Registry behaviour no well-behaved registry shows on demand: redirects, schema 1, missing
// headers, rate limits, scope upgrades. A small HTTP server on 127.0.0.1 plays the registry.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultPolicy, type HttpPolicy } from '../../src/http/request.js'
import { MANIFEST_ACCEPT, realmProblem, RegistryClient } from '../../src/registry/client.js'
import { parseImageReference, type ImageReference } from '../../src/registry/reference.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

interface Fake {
  host: string
  requests: { method: string; url: string; authorization?: string; accept?: string }[]
  handle: Handler
  server: Server
}

const fakes: Fake[] = []
let policy: HttpPolicy

async function fake(handle: Handler = (_req, res) => res.writeHead(404).end()): Promise<Fake> {
  const f: Fake = {
    host: '',
    requests: [],
    handle,
    server: createServer((req, res) => {
      f.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, accept: req.headers.accept })
      f.handle(req, res)
    }),
  }
  await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve))
  f.host = `127.0.0.1:${(f.server.address() as AddressInfo).port}`
  fakes.push(f)
  return f
}

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text)
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

const sha = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const BASIC = `Basic ${Buffer.from('ci:pw').toString('base64')}`
const credentials = { username: 'ci', password: 'pw', source: 'registry-username/registry-password' }

beforeEach(() => {
  policy = defaultPolicy({ timeoutMs: 2_000, maxAttempts: 2, sleep: async () => {} })
})
afterEach(async () => {
  await policy.pool.close()
  for (const f of fakes.splice(0)) {
    f.server.closeAllConnections()
    await new Promise((resolve) => f.server.close(resolve))
  }
})

describe('RegistryClient', () => {
  it('takes the sha256 of the exact bytes when HEAD has no Docker-Content-Digest', async () => {
    const body = '{\n   "schemaVersion": 2,\n   "mediaType": "application/vnd.oci.image.manifest.v1+json",  "layers": []\n}\n'
    const registry = await fake((req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': Buffer.byteLength(body) })
      res.end(req.method === 'HEAD' ? undefined : body)
    })
    const resolved = await new RegistryClient(ref(`${registry.host}/acme/m:1`), { insecure: false, policy }).resolve('1')
    expect(resolved.digest).toBe(sha(body))
    expect(registry.requests.map((r) => r.method)).toEqual(['HEAD', 'GET'])
    expect(registry.requests.every((r) => r.accept === MANIFEST_ACCEPT)).toBe(true)
    expect(MANIFEST_ACCEPT).not.toContain('q=')
  })

  it('refuses a registry that serves other bytes than the digest asked for', async () => {
    const body = '{"schemaVersion":2,"layers":[]}'
    const asked = `sha256:${'1'.repeat(64)}`
    const registry = await fake((req, res) =>
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(body) }).end(req.method === 'HEAD' ? undefined : body),
    )
    await expect(new RegistryClient(ref(`${registry.host}/acme/m@${asked}`), { insecure: false, policy }).resolve(asked)).rejects.toThrow(
      `${registry.host}/acme/m@${asked}: the registry answered with ${sha(body)}, not the digest asked for`,
    )
  })

  it('refuses schema 1 manifests', async () => {
    const body = '{"schemaVersion":1,"name":"acme/m","tag":"old","fsLayers":[]}'
    const registry = await fake((req, res) =>
      res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }).end(req.method === 'HEAD' ? undefined : body),
    )
    await expect(new RegistryClient(ref(`${registry.host}/acme/m:old`), { insecure: false, policy }).resolve('old')).rejects.toThrow(
      `${registry.host}/acme/m:old is a Docker schema 1 image, which has no stable digest`,
    )
  })

  it('caps the manifest body', async () => {
    const registry = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
      res.end(Buffer.alloc(5 * 1024 * 1024, 0x20))
    })
    await expect(new RegistryClient(ref(`${registry.host}/acme/m:1`), { insecure: false, policy }).resolve('1')).rejects.toThrow('answered more than 4194304 bytes')
  })

  it('keeps Authorization on its own host and drops it on a redirect to another', async () => {
    const body = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}'
    const storage = await fake((req, res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(req.method === 'HEAD' ? undefined : body))
    const registry = await fake((req, res) => {
      if (req.headers.authorization !== BASIC) return res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end()
      res.writeHead(307, { location: `http://${storage.host}/blobs/m?signed=1` }).end()
    })
    const resolved = await new RegistryClient(ref(`${registry.host}/acme/m:1`), { insecure: false, policy, credentials }).resolve('1')
    expect(resolved.digest).toBe(sha(body))
    expect(registry.requests.map((r) => r.authorization)).toEqual([undefined, BASIC, BASIC])
    expect(storage.requests).toHaveLength(2)
    expect(storage.requests.map((r) => r.authorization)).toEqual([undefined, undefined])
  })

  it('retries once with the scope an insufficient_scope challenge names, and caches tokens', async () => {
    const tokens = await fake((req, res) => {
      const scope = new URL(req.url ?? '', 'http://x').searchParams.get('scope')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `token-for-${scope}`, expires_in: 300 }))
    })
    const realm = `http://${tokens.host}/token`
    const body = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}'
    const registry = await fake((req, res) => {
      const auth = req.headers.authorization
      if (auth === 'Bearer token-for-repository:acme/m:pull,push')
        return res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(body) }).end()
      const error = auth ? ',error="insufficient_scope"' : ''
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="fake",scope="repository:acme/m:pull,push"${error}` }).end()
    })
    const client = new RegistryClient(ref(`${registry.host}/acme/m:1`), { insecure: false, policy })
    expect((await client.resolve('1')).digest).toBe(sha(body))
    expect((await client.resolve('1')).digest).toBe(sha(body))
    expect(tokens.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('scope'))).toEqual(['repository:acme/m:pull,push'])
    expect(registry.requests.map((r) => r.authorization)).toEqual([undefined, 'Bearer token-for-repository:acme/m:pull,push', 'Bearer token-for-repository:acme/m:pull,push'])
  })

  it('names Docker Hub when its rate limit is reached', async () => {
    const registry = await fake((_req, res) => res.writeHead(429, { 'content-type': 'application/json' }).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}'))
    // Docker Hub as named, dialled on loopback.
    const hub: ImageReference = { ...ref('library/python:3.12'), host: registry.host }
    await expect(new RegistryClient(hub, { insecure: false, policy }).resolve('3.12')).rejects.toThrow(
      "Docker Hub's pull rate limit was reached while resolving docker.io/library/python:3.12; log in (registry-username/registry-password or docker/login-action) for a higher limit, or retry later",
    )
    expect(registry.requests).toHaveLength(2)
  })

  it('asks for credentials when the registry wants Basic and none are given', async () => {
    const registry = await fake((_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end())
    await expect(new RegistryClient(ref(`${registry.host}/acme/m:1`), { insecure: false, policy }).resolve('1')).rejects.toThrow(
      `access to ${registry.host}/acme/m:1 was denied anonymously; set registry-username and registry-password, or log in with docker/login-action first`,
    )
  })
})

describe('realmProblem', () => {
  it.each([
    ['https://registry.example', 'https://auth.example/token', true, undefined],
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5001/token', true, undefined],
    ['http://127.0.0.1:5000', 'http://127.0.0.2:5001/token', false, undefined],
    [
      'http://127.0.0.1:5000',
      'http://127.0.0.2:5001/token',
      true,
      'the registry asks for tokens from http://127.0.0.2:5001, another host over plain http; credentials go to another host only over https',
    ],
    [
      'https://registry.example',
      'http://auth.example/token',
      false,
      'the registry is served over https but asks for tokens from http://auth.example; refusing to fetch a token over plain http',
    ],
    ['https://registry.example', 'ftp://auth.example/token', false, 'the token realm ftp://auth.example/token is not an http(s) URL'],
  ])('registry %s, realm %s, with credentials: %s', (origin, realm, withCredentials, problem) => {
    expect(realmProblem(origin, new URL(realm), withCredentials)).toBe(problem)
  })
})
