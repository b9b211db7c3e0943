// A registry token server for tests: issues ES256 JWTs with the signer's certificate in `x5c`, as
// distribution's token auth accepts them. Authenticated users get what they ask for; anonymous
// callers get pull on repositories under `public/`. Records every request it gets.
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TokenRequest {
  account: string
  authorization?: string
  scopes: string[]
  service: string
  /** performance.now() when the request arrived. */
  receivedAt: number
}

export interface TokenServer {
  realm: string
  issuer: string
  requests: TokenRequest[]
  /** Holds every answer this long (ms), to let a test see what a client does meanwhile. */
  delayMs: number
  stop(): Promise<void>
}

export async function startTokenServer(options: { keyFile: string; certFile: string; users: Record<string, string>; service: string }): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(options.keyFile))
  const cert = new X509Certificate(readFileSync(options.certFile))
  const issuer = 'test-issuer'
  const requests: TokenRequest[] = []
  const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

  const server = createServer((req, res) => {
    const receivedAt = performance.now()
    const url = new URL(req.url ?? '/', 'http://token')
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(JSON.stringify(body))
      }, tokenServer.delayMs)
    }
    if (url.pathname !== '/token' || req.method !== 'GET') return reply(404, { error: 'not found' })
    let account = ''
    const authorization = req.headers.authorization
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString()
      const colon = decoded.indexOf(':')
      const [user, pass] = [decoded.slice(0, colon), decoded.slice(colon + 1)]
      if (options.users[user] !== pass) {
        requests.push({ account: `rejected:${user}`, authorization, scopes: [], service: url.searchParams.get('service') ?? '', receivedAt })
        return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }, { 'www-authenticate': 'Basic realm="token"' })
      }
      account = user
    }
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean)
    requests.push({ account, authorization, scopes, service: url.searchParams.get('service') ?? '', receivedAt })
    const access = scopes.flatMap((scope) => {
      // type:name:actions, where the name may hold host:port, so split at the first and last colon
      const first = scope.indexOf(':')
      const last = scope.lastIndexOf(':')
      if (first < 0 || last === first) return []
      const name = scope.slice(first + 1, last)
      const wanted = scope
        .slice(last + 1)
        .split(',')
        .filter(Boolean)
      const actions = account ? wanted : name.startsWith('public/') ? wanted.filter((a) => a === 'pull') : []
      return [{ type: scope.slice(0, first), name, actions }]
    })
    const now = Math.floor(Date.now() / 1000)
    const header = { typ: 'JWT', alg: 'ES256', x5c: [cert.raw.toString('base64')] }
    const claims = { iss: issuer, sub: account, aud: url.searchParams.get('service') ?? '', exp: now + 300, nbf: now - 5, iat: now, jti: randomUUID(), access }
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    const token = `${input}.${b64url(signature)}`
    reply(200, { token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const tokenServer: TokenServer = {
    realm: `http://127.0.0.1:${port}/token`,
    issuer,
    requests,
    delayMs: 0,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return tokenServer
}
