import { UserError } from '../errors.js'
import { isLoopback } from '../http/hosts.js'
import { header, send, type HttpPolicy, type HttpResponse, type Method } from '../http/request.js'
import { USER_AGENT } from '../version.js'
import { parseChallenges, type Challenge } from './challenge.js'
import type { RegistryCredentials } from './credentials.js'
import { hostName, repositoryName, type ImageReference } from './reference.js'

const MAX_REDIRECTS = 5
/** At most this many requests for one resolution: an index that nests or lists without end stops here. */
const MAX_REQUESTS = 64

/** A registry failure the user can act on. */
export class RegistryError extends UserError {
  override name = 'RegistryError'
}

/** The request budget of one resolution is spent: nothing after it may be tried instead. */
export class TooManyRequestsError extends RegistryError {}

export interface RegistryClientOptions {
  credentials?: RegistryCredentials
  /** Allow plain http to a registry that is not on loopback. */
  insecure: boolean
  policy: HttpPolicy
}

/**
 * The HTTP exchange with one registry for one repository: its auth flows (anonymous, Basic, Bearer
 * tokens from the challenge's realm, cached until they expire), redirects followed by hand so that
 * Authorization never reaches another host and https never drops to http, and a budget of requests.
 */
export class RegistrySession {
  readonly origin: string
  readonly #ref: ImageReference
  readonly #options: RegistryClientOptions
  readonly #tokens = new Map<string, { value: string; expiresAt: number }>()
  /** The Authorization value that worked last, reused for the next request. */
  #auth: string | undefined
  #requests = 0

  constructor(ref: ImageReference, options: RegistryClientOptions) {
    this.#ref = ref
    this.#options = options
    const plain = options.insecure || isLoopback(hostName(ref.host))
    this.origin = `${plain ? 'http' : 'https'}://${ref.host}`
  }

  /** Sends with the registry's auth flow: anonymous first, then the challenge's scheme, once more on insufficient_scope. */
  async request(method: Method, url: string, accept: string, authenticate: boolean, maxBodyBytes?: number): Promise<HttpResponse> {
    const scope = `repository:${this.#ref.repository}:pull`
    let res = await this.#follow(method, url, accept, this.#auth, maxBodyBytes)
    // A challenge counts only from the registry itself: a host it redirected to does not get to name a realm for its credentials.
    for (let round = 0; authenticate && res.status === 401 && res.origin === this.origin && round < 2; round++) {
      const challenges = parseChallenges(res.headers['www-authenticate'])
      const bearer = challenges.find((c) => c.scheme === 'bearer')
      const wantsMore = round > 0 && bearer?.params.error === 'insufficient_scope'
      if (round > 0 && !wantsMore) break
      const auth = await this.#authorization(challenges, bearer?.params.scope ?? scope, wantsMore)
      if (!auth) break
      this.#auth = auth
      res = await this.#follow(method, url, accept, auth, maxBodyBytes)
    }
    return res
  }

  async #authorization(challenges: Challenge[], scope: string, fresh: boolean): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === 'bearer')
    if (bearer) return `Bearer ${await this.#token(bearer, scope, fresh)}`
    if (challenges.some((c) => c.scheme === 'basic')) {
      const credentials = this.#options.credentials
      if (!credentials?.password) return undefined
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    return undefined
  }

  /** A bearer token from the challenge's realm, cached until it expires. */
  async #token(challenge: Challenge, scope: string, fresh: boolean): Promise<string> {
    const { realm, service } = challenge.params
    let url: URL
    try {
      url = new URL(realm ?? '')
    } catch {
      throw new RegistryError(`${this.#ref.registry} asked for a token from an invalid realm "${realm ?? ''}"`)
    }
    const credentials = this.#options.credentials
    const refused = realmProblem(this.origin, url, credentials !== undefined)
    if (refused) throw new RegistryError(`${this.#ref.registry}: ${refused}`)
    const key = `${url.href}|${service ?? ''}|${scope}`
    const cached = this.#tokens.get(key)
    if (cached && !fresh && cached.expiresAt > this.#options.policy.now() + 10_000) return cached.value

    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' }
    let method: Method = 'GET'
    let body: string | undefined
    if (credentials?.identityToken) {
      method = 'POST'
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
        service: service ?? '',
        scope,
        client_id: 'wriftai-publish-version',
      }).toString()
    } else {
      if (service) url.searchParams.set('service', service)
      url.searchParams.set('scope', scope)
      if (credentials?.password) headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    const res = await send({ method, url, headers, body, maxBodyBytes: 1024 * 1024 }, this.#options.policy)
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(`the token server ${url.origin} refused the credentials from ${credentials?.source ?? 'an anonymous request'} (HTTP ${res.status})`)
    }
    if (res.status < 200 || res.status >= 300) throw new RegistryError(`the token server ${url.origin} answered HTTP ${res.status}`)
    let answer: { token?: string; access_token?: string; expires_in?: number; issued_at?: string }
    try {
      answer = JSON.parse(res.text) as typeof answer
    } catch {
      throw new RegistryError(`the token server ${url.origin} answered something other than JSON`)
    }
    const value = answer.token || answer.access_token
    if (!value) throw new RegistryError(`the token server ${url.origin} answered without a token`)
    const issued = answer.issued_at ? Date.parse(answer.issued_at) : Number.NaN
    const start = Number.isNaN(issued) ? this.#options.policy.now() : issued
    this.#tokens.set(key, { value, expiresAt: start + (answer.expires_in || 60) * 1000 })
    return value
  }

  /** Follows redirects itself, so that Authorization never reaches another host and https never drops to http. */
  async #follow(method: Method, url: string, accept: string, auth: string | undefined, maxBodyBytes?: number): Promise<HttpResponse & { origin: string }> {
    let target = new URL(url)
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept }
      if (auth && target.origin === this.origin) headers.authorization = auth
      if (++this.#requests > MAX_REQUESTS)
        throw new TooManyRequestsError(`${this.#ref.registry} needed more than ${MAX_REQUESTS} requests to resolve ${repositoryName(this.#ref)}; giving up`)
      const res = await send({ method, url: target, headers, maxBodyBytes }, this.#options.policy)
      const location = header(res.headers, 'location')
      if (res.status < 300 || res.status >= 400 || !location || hop >= MAX_REDIRECTS) return { ...res, origin: target.origin }
      const next = new URL(location, target)
      if (target.protocol === 'https:' && next.protocol !== 'https:') {
        throw new RegistryError(`${this.#ref.registry} redirected from https to ${next.origin}; refusing to follow`)
      }
      target = next
    }
  }
}

/**
 * Why a token realm must not be used: credentials and tokens never travel over a weaker channel than
 * the registry's, and credentials go to a host other than the registry's (its name; a token server on
 * another port of the same host is the registry's own) only over https.
 */
export function realmProblem(registryOrigin: string, realm: URL, withCredentials: boolean): string | undefined {
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') return `the token realm ${realm.href} is not an http(s) URL`
  if (registryOrigin.startsWith('https:') && realm.protocol !== 'https:')
    return `the registry is served over https but asks for tokens from ${realm.origin}; refusing to fetch a token over plain http`
  if (withCredentials && realm.protocol !== 'https:' && realm.hostname !== new URL(registryOrigin).hostname)
    return `the registry asks for tokens from ${realm.origin}, another host over plain http; credentials go to another host only over https`
  return undefined
}
