import type { Dispatcher } from 'undici'
import { isLoopback } from './hosts.js'
import type { TokenBucket } from './rate-limit.js'

/**
 * The connection pool, made on the first request: a run that sends nothing (validate mode without
 * a token) never loads undici. Copies of a policy share it.
 */
export class ConnectionPool {
  readonly #dispatchers = new Map<'direct' | 'environment', Promise<Dispatcher>>()

  /**
   * The pool for a request to `url`: a loopback host is never reached through a proxy (a plain http
   * API on loopback would hand its token to the proxy in clear), whatever NO_PROXY says; any other
   * goes as the proxy variables say.
   */
  get(url: URL): Promise<Dispatcher> {
    const route = isLoopback(url.hostname) ? 'direct' : 'environment'
    let dispatcher = this.#dispatchers.get(route)
    if (!dispatcher) {
      dispatcher = import('./transport.js').then(({ createDispatcher }) => createDispatcher({ keepAliveTimeout: 4_000 }, route === 'direct' ? {} : process.env))
      this.#dispatchers.set(route, dispatcher)
    }
    return dispatcher
  }

  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()]
    this.#dispatchers.clear()
    await Promise.all(dispatchers.map(async (dispatcher) => (await dispatcher).close()))
  }
}

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface HttpRequest {
  method: Method
  url: URL
  headers?: Record<string, string>
  body?: string
  /** Refuse a larger response body (default 16 MiB). */
  maxBodyBytes?: number
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The body exactly as received. */
  bytes: Buffer
  text: string
}

/** The one retry and timeout policy that every HTTP client of the product shares. */
export interface HttpPolicy {
  pool: ConnectionPool
  /** Per attempt, from sending the request to the last byte of the body. */
  timeoutMs: number
  /** Attempts per request, the first included. */
  maxAttempts: number
  /** No retry starts after this moment (epoch ms): the overall deadline. */
  deadline: number
  /** Holds requests to the server's rate limit, when it has one. */
  limiter?: TokenBucket
  sleep: (ms: number) => Promise<void>
  now: () => number
  /** Where retries are told (always) and each request is traced (debug only). */
  log?: HttpLog
}

export interface HttpLog {
  /** A line every user sees: each retry, with its reason and wait. */
  info(line: string): void
  /** Set only when debug logging is on: one line per request. */
  debug?: (line: string) => void
  /** Hides a secret met on the way (a registry password from a credential helper) from every later line. */
  mask?: (secret: string) => void
}

/** A request that got no HTTP answer: refused, reset or timed out. */
export class NetworkError extends Error {
  override name = 'NetworkError'
  /** What happened, without the request it happened to: "timed out after 30s", "failed: ECONNRESET". */
  readonly reason: string
  /** A failure no retry heals: a host name that does not resolve, a certificate that is not trusted. */
  readonly permanent: boolean

  constructor(operation: string, reason: string, permanent = false) {
    super(`${operation} ${reason}`)
    this.reason = reason
    this.permanent = permanent
  }
}

/** The method, origin and path of a request: a query string or user info never reaches a message or the log. */
function operationOf(req: HttpRequest): string {
  return `${req.method} ${req.url.origin}${req.url.pathname}`
}

/** Answers that say "try again": the request was not (or may not have been) carried out. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const IDEMPOTENT = new Set<Method>(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])
/** The longest a single wait may be; a server asking for more gets a failure instead. */
export const MAX_WAIT_MS = 60_000
const DEFAULT_DEADLINE_MS = 10 * 60_000

export function defaultPolicy(overrides: Partial<HttpPolicy> = {}): HttpPolicy {
  const now = overrides.now ?? Date.now
  return {
    pool: overrides.pool ?? new ConnectionPool(),
    timeoutMs: overrides.timeoutMs ?? 30_000,
    maxAttempts: overrides.maxAttempts ?? 4,
    deadline: overrides.deadline ?? now() + DEFAULT_DEADLINE_MS,
    limiter: overrides.limiter,
    ...(overrides.log && { log: overrides.log }),
    sleep: overrides.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now,
  }
}

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status)
}

/** Counts attempts of one operation and waits between them, within the policy's limits. */
export class Retries {
  readonly #policy: HttpPolicy
  #attempt = 1

  constructor(policy: HttpPolicy) {
    this.#policy = policy
  }

  /**
   * Waits before the next attempt; false when attempts, the deadline or the server's patience run
   * out. Each wait is a log line: what failed (`operation`, the status and request id, or `error`),
   * how long the wait is, and which attempt comes next; `then` says what follows the wait.
   */
  async next(operation: string, failure: { response?: HttpResponse; error?: string }, then = 'retrying'): Promise<boolean> {
    if (this.#attempt >= this.#policy.maxAttempts) return false
    const { response } = failure
    const told = response ? serverWaitMs(response.headers, this.#policy.now()) : undefined
    if (told !== undefined && told > MAX_WAIT_MS) return false
    const wait = told ?? backoffMs(this.#attempt)
    if (this.#policy.now() + wait > this.#policy.deadline) return false
    this.#attempt++
    const reason = response ? `HTTP ${response.status}${requestIdOf(response)}` : (failure.error ?? 'failed')
    this.#policy.log?.info(`${operation}: ${reason}; ${then} in ${(wait / 1000).toFixed(1)} s (attempt ${this.#attempt} of ${this.#policy.maxAttempts})`)
    await this.#policy.sleep(wait)
    return true
  }
}

/** Sends a request; idempotent ones are retried on network errors and transient statuses. */
export async function send(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  const retries = new Retries(IDEMPOTENT.has(req.method) ? policy : { ...policy, maxAttempts: 1 })
  const operation = operationOf(req)
  for (;;) {
    let response: HttpResponse
    try {
      response = await sendOnce(req, policy)
    } catch (error: unknown) {
      if (error instanceof NetworkError && !error.permanent && (await retries.next(operation, { error: error.reason }))) continue
      throw error
    }
    if (isTransientStatus(response.status) && (await retries.next(operation, { response }))) continue
    return response
  }
}

async function sendOnce(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  await policy.limiter?.take()
  const dispatcher = await policy.pool.get(req.url)
  const { dispatchRequest } = await import('./transport.js')
  const trace = policy.log?.debug
  const started = trace ? performance.now() : 0
  try {
    const res = await dispatchRequest(dispatcher, req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(policy.timeoutMs),
      headersTimeout: policy.timeoutMs,
      bodyTimeout: policy.timeoutMs,
    })
    const bytes = await readCapped(res.body, req.maxBodyBytes ?? DEFAULT_MAX_BODY, req)
    const response = { status: res.statusCode, headers: res.headers, bytes, text: bytes.toString('utf8') }
    trace?.(`${operationOf(req)} → ${response.status} in ${Math.round(performance.now() - started)} ms${requestIdOf(response)}`)
    return response
  } catch (error: unknown) {
    if (error instanceof BodyTooLargeError) throw error
    const { reason, permanent } = networkFailure(error, policy.timeoutMs, req.url)
    const failure = new NetworkError(operationOf(req), reason, permanent)
    trace?.(`${failure.message} after ${Math.round(performance.now() - started)} ms`)
    throw failure
  }
}

/** A response body over the request's limit; the rest of it is not read. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError'
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number, req: HttpRequest): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > max) {
      body.destroy()
      throw new BodyTooLargeError(`${operationOf(req)} answered more than ${max} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** TLS verification failures: the certificate chain does not lead to a CA this system trusts, or names another host. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** Why a request got no answer, in words, as the end of a message that starts with the request; and whether a retry could help. */
function networkFailure(error: unknown, timeoutMs: number, url: URL): { reason: string; permanent: boolean } {
  const name = error instanceof Error ? error.name : ''
  const code = (error as { code?: unknown } | null)?.code
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { reason: `timed out after ${timeoutMs / 1000}s`, permanent: false }
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause
  const detail = typeof code === 'string' ? code : typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error)
  const host = url.hostname
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  if (detail === 'ENOTFOUND') return { reason: `failed: cannot resolve host ${host} (ENOTFOUND)`, permanent: true }
  if (detail === 'ECONNREFUSED') return { reason: `failed: connection refused by ${host}:${port} (ECONNREFUSED)`, permanent: false }
  if (UNTRUSTED_CERTIFICATE.has(detail)) {
    return {
      reason: `failed: the TLS certificate of ${host} is not trusted here (${detail}); a private CA is added with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`,
      permanent: true,
    }
  }
  return { reason: `failed: ${detail}`, permanent: false }
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s … */
function backoffMs(attempt: number): number {
  return Math.min(MAX_WAIT_MS, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)
}

/** What the server asked for: Retry-After (seconds or a date), else x-ratelimit-reset (Unix seconds). */
function serverWaitMs(headers: HttpResponse['headers'], now: number): number | undefined {
  const retryAfter = header(headers, 'retry-after')
  if (retryAfter !== undefined) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(0, at - now)
  }
  const reset = header(headers, 'x-ratelimit-reset')
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now)
  return undefined
}

/** ` (x-request-id …)` when the answer names one, so a retry or a trace can be matched with the server's logs. */
function requestIdOf(response: HttpResponse): string {
  const id = header(response.headers, 'x-request-id')
  return id && /^[\w.:-]{1,100}$/.test(id) ? ` (x-request-id ${id})` : ''
}

export function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}
