import { Agent, request, type Dispatcher } from 'undici'

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface HttpRequest {
  method: Method
  url: URL
  headers?: Record<string, string>
  body?: string
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** The one retry and timeout policy that every HTTP client of the product shares. */
export interface HttpPolicy {
  dispatcher: Dispatcher
  /** Per attempt, from sending the request to the last byte of the body. */
  timeoutMs: number
  /** Attempts for idempotent requests; non-idempotent requests are sent once. */
  maxAttempts: number
  sleep: (ms: number) => Promise<void>
}

/** A request that got no HTTP answer: refused, reset or timed out. */
export class NetworkError extends Error {
  override name = 'NetworkError'
}

const RETRY_STATUSES = new Set([429, 502, 503, 504])
const IDEMPOTENT = new Set<Method>(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])
const MAX_WAIT_MS = 60_000

export function defaultPolicy(overrides: Partial<HttpPolicy> = {}): HttpPolicy {
  return {
    dispatcher: overrides.dispatcher ?? new Agent({ keepAliveTimeout: 4_000 }),
    timeoutMs: overrides.timeoutMs ?? 30_000,
    maxAttempts: overrides.maxAttempts ?? 4,
    sleep: overrides.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  }
}

export async function send(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  const attempts = IDEMPOTENT.has(req.method) ? Math.max(1, policy.maxAttempts) : 1
  for (let attempt = 1; ; attempt++) {
    let response: HttpResponse | undefined
    let failure: NetworkError | undefined
    try {
      response = await sendOnce(req, policy)
    } catch (error: unknown) {
      if (!(error instanceof NetworkError)) throw error
      failure = error
    }
    const retryable = failure !== undefined || (response !== undefined && RETRY_STATUSES.has(response.status))
    if (!retryable || attempt >= attempts) {
      if (failure) throw failure
      return response as HttpResponse
    }
    await policy.sleep(retryDelayMs(attempt, response))
  }
}

async function sendOnce(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: policy.dispatcher,
      signal: AbortSignal.timeout(policy.timeoutMs),
      headersTimeout: policy.timeoutMs,
      bodyTimeout: policy.timeoutMs,
    })
    const text = await res.body.text()
    return { status: res.statusCode, headers: res.headers, text }
  } catch (error: unknown) {
    throw new NetworkError(describeNetworkError(error, req, policy.timeoutMs))
  }
}

function describeNetworkError(error: unknown, req: HttpRequest, timeoutMs: number): string {
  const where = `${req.method} ${req.url.origin}${req.url.pathname}`
  const name = error instanceof Error ? error.name : ''
  const code = (error as { code?: unknown } | null)?.code
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `${where} timed out after ${timeoutMs / 1000}s`
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause
  const detail = typeof code === 'string' ? code : typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error)
  return `${where} failed: ${detail}`
}

/** Exponential backoff with jitter; a server's Retry-After or x-ratelimit-reset wins when it says more. */
export function retryDelayMs(attempt: number, response: HttpResponse | undefined, now = Date.now()): number {
  const backoff = Math.min(MAX_WAIT_MS, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)
  const told = response ? serverWaitMs(response.headers, now) : undefined
  return Math.min(MAX_WAIT_MS, told ?? backoff)
}

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

export function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}
