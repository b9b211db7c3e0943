// A WriftAI-compatible API for tests and the demo: real HTTP on 127.0.0.1, state in memory,
// faithful to the public contract (paths, bodies, FastAPI error shapes, cursor pagination).
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SandboxUser {
  username: string
  token: string
}

export interface Fault {
  method?: string
  /** Matched against the path without /v1, e.g. `/models/acme/x/versions`. */
  path: string | RegExp
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /** Wait this long before answering (or before resetting). */
  delayMs?: number
  /** `before`: drop the connection without handling; `after`: handle (commit), then drop. */
  reset?: 'before' | 'after'
  /** Handle the request (its write takes effect) before answering with this fault's status and body. */
  commit?: boolean
  /** Sent as is instead of the JSON of `body`; '' sends an empty body. */
  rawBody?: string
  /** How many matching requests it applies to (default 1). */
  times?: number
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
  /** performance.now() when the request arrived. */
  receivedAt: number
}

interface StoredVersion {
  number: number
  release_notes: string
  created_at: string
  container_image_digest: string
  schemas: unknown
}

interface StoredModel {
  id: string
  name: string
  owner: { id: string; username: string; avatar_url: string }
  created_at: string
  updated_at: string | null
  visibility: 'private' | 'public'
  description: string | null
  overview: string | null
  source_url: string | null
  license_url: string | null
  paper_url: string | null
  hardware: { name: string; identifier: string }
  categories: { name: string; slug: string }[]
  predictions_count: number
  versions: StoredVersion[]
}

export interface SandboxOptions {
  users?: SandboxUser[]
  hardware?: { name: string; identifier: string }[]
  categories?: { name: string; slug: string; description: string }[]
  /** Added to every response, to model a distant server. */
  latencyMs?: number
  /** Enforce the documented rate limit per token: 429 with x-ratelimit-* headers past it. */
  rateLimit?: { perSecond: number; burst: number }
}

export const DIGEST = /^sha256:[a-f0-9]{64}$/
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
const MODEL_FIELDS = ['description', 'overview', 'source_url', 'license_url', 'paper_url'] as const

export class Sandbox {
  readonly requests: RecordedRequest[] = []
  readonly models = new Map<string, StoredModel>()
  readonly users: SandboxUser[]
  readonly hardware: { name: string; identifier: string }[]
  readonly categories: { name: string; slug: string; description: string }[]
  latencyMs: number
  /** Requests answered 429 by the rate limit (not by injected faults). */
  rateLimited = 0
  #rateLimit: { perSecond: number; burst: number } | undefined
  #buckets = new Map<string, { tokens: number; at: number }>()
  #faults: Fault[] = []
  #server = createServer((req, res) => void this.#handle(req, res))
  #ids = new Map<string, string>()
  #requestCount = 0

  constructor(options: SandboxOptions = {}) {
    this.users = options.users ?? [{ username: 'acme', token: 'wai_test_acme_token' }]
    this.hardware = options.hardware ?? [
      { name: 'CPU', identifier: 'cpu' },
      { name: 'Nvidia L40S GPU', identifier: 'gpu-l40s' },
    ]
    this.categories = options.categories ?? [{ name: 'Text generation', slug: 'text-generation', description: 'Models that write text' }]
    this.latencyMs = options.latencyMs ?? 0
    this.#rateLimit = options.rateLimit
  }

  /** Base URL of the API, including /v1. */
  url = ''

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`
    return this
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  inject(fault: Fault): void {
    this.#faults.push({ times: 1, ...fault })
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => WRITE_METHODS.has(r.method))
  }

  /** Seeds a model owned by `owner`, optionally with versions. */
  addModel(owner: string, name: string, options: { visibility?: 'private' | 'public'; versions?: Omit<StoredVersion, 'number' | 'created_at'>[] } = {}): StoredModel {
    const now = new Date().toISOString()
    const model: StoredModel = {
      id: randomUUID(),
      name,
      owner: { id: this.#userId(owner), username: owner, avatar_url: `https://avatars.example/${owner}.png` },
      created_at: now,
      updated_at: null,
      visibility: options.visibility ?? 'private',
      description: null,
      overview: null,
      source_url: null,
      license_url: null,
      paper_url: null,
      hardware: this.hardware[0]!,
      categories: [],
      predictions_count: 0,
      versions: [],
    }
    for (const version of options.versions ?? []) model.versions.push({ ...version, number: model.versions.length + 1, created_at: now })
    this.models.set(`${owner}/${name}`, model)
    return model
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now()
    const url = new URL(req.url ?? '/', 'http://sandbox')
    const raw = await readBody(req)
    let body: unknown = raw
    try {
      body = raw === '' ? undefined : JSON.parse(raw)
    } catch {
      // kept as text: the handler answers 422
    }
    const path = url.pathname.replace(/^\/v1/, '')
    this.requests.push({ method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, receivedAt })
    const requestId = `req-${++this.#requestCount}`
    if (this.latencyMs > 0) await sleep(this.latencyMs)

    const fault = this.#takeFault(req.method ?? 'GET', path)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (fault?.reset === 'before') {
      req.socket.destroy()
      return
    }
    const limited = this.#overLimit(req.headers.authorization ?? 'anonymous')
    if (limited !== undefined) {
      this.rateLimited++
      send(res, 429, JSON.stringify({ detail: 'Rate limit exceeded' }), { 'x-request-id': requestId, ...limited })
      return
    }
    const injected = fault?.status !== undefined
    if (!injected || fault.commit) {
      const answer = url.pathname.startsWith('/v1/') ? this.#route(req.method ?? 'GET', path, url.searchParams, body, this.#userFor(req)) : notFound()
      if (fault?.reset === 'after') {
        req.socket.destroy()
        return
      }
      if (!injected) return send(res, answer.status, JSON.stringify(answer.body), { 'x-request-id': requestId })
    }
    const text = fault.rawBody ?? JSON.stringify(fault.body ?? { detail: `injected ${fault.status}` })
    send(res, fault.status!, text, { 'x-request-id': requestId, ...fault.headers })
  }

  /** Token-bucket accounting per credential; the 429 headers when this request is over the limit. */
  #overLimit(key: string): Record<string, string> | undefined {
    if (!this.#rateLimit) return undefined
    const { perSecond, burst } = this.#rateLimit
    const now = Date.now()
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)
    bucket.at = now
    this.#buckets.set(key, bucket)
    // A little slack for timer granularity on the client's side.
    if (bucket.tokens >= 0.95) {
      bucket.tokens -= 1
      return undefined
    }
    const reset = Math.ceil((now + ((1 - bucket.tokens) * 1000) / perSecond) / 1000)
    return { 'x-ratelimit-limit': String(perSecond), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }
  }

  #takeFault(method: string, path: string): Fault | undefined {
    const index = this.#faults.findIndex((f) => (!f.method || f.method === method) && (typeof f.path === 'string' ? f.path === path : f.path.test(path)))
    if (index === -1) return undefined
    const fault = this.#faults[index]!
    fault.times = (fault.times ?? 1) - 1
    if (fault.times <= 0) this.#faults.splice(index, 1)
    return fault
  }

  #userFor(req: IncomingMessage): SandboxUser | null | undefined {
    const header = req.headers.authorization
    if (header === undefined) return undefined
    const token = /^Bearer (.+)$/.exec(header)?.[1]
    return this.users.find((u) => u.token === token) ?? null
  }

  #route(method: string, path: string, query: URLSearchParams, body: unknown, user: SandboxUser | null | undefined): Answer {
    // A token that was sent but is not known is refused everywhere; no token is anonymous.
    if (user === null) return { status: 401, body: { detail: 'Invalid authentication credentials' } }
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent)
    const [first, owner, name, sub, number, ...rest] = segments
    if (method === 'GET' && path === '/user') return user ? { status: 200, body: this.#user(user.username) } : unauthorized()
    if (method === 'GET' && path === '/hardware')
      return paginate(
        this.hardware.map((h) => ({ ...h, gpus: 0, cpus: 4, ram_per_gpu_gb: 0, ram_gb: 16, created_at: '2026-01-01T00:00:00Z' })),
        query,
      )
    if (method === 'GET' && path === '/model_categories') return paginate(this.categories, query)
    if (method === 'POST' && path === '/models') return user ? this.#createModel(user, body) : unauthorized()
    if (first !== 'models' || !owner || !name || rest.length > 0) return notFound()

    const model = this.models.get(`${owner}/${name}`)
    const visible = model && (model.visibility === 'public' || model.owner.username === user?.username)
    if (!model || !visible) return { status: 404, body: { detail: 'Model not found' } }
    const owned = model.owner.username === user?.username
    if (sub === undefined) {
      if (method === 'GET') return { status: 200, body: this.#modelBody(model) }
      if (method === 'PATCH') return !user ? unauthorized() : !owned ? forbidden() : this.#updateModel(model, body)
      return methodNotAllowed()
    }
    if (sub !== 'versions') return notFound()
    if (number === undefined) {
      if (method === 'GET') return paginate([...model.versions].reverse().map(versionSummary), query)
      if (method === 'POST') return !user ? unauthorized() : !owned ? forbidden() : this.#createVersion(model, body)
      return methodNotAllowed()
    }
    const version = /^\d+$/.test(number) ? model.versions.find((v) => v.number === Number(number)) : undefined
    if (method !== 'GET') return methodNotAllowed()
    return version ? { status: 200, body: version } : { status: 404, body: { detail: 'Model version not found' } }
  }

  #createModel(user: SandboxUser, body: unknown): Answer {
    const b = (body ?? {}) as Record<string, unknown>
    const errors: ValidationError[] = []
    if (typeof b.name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(b.name))
      errors.push(fieldError('name', 'Name must be 1-100 letters, digits, ".", "_" or "-"', 'value_error'))
    const hardware = this.hardware.find((h) => h.identifier === b.hardware_identifier)
    if (!hardware) errors.push(fieldError('hardware_identifier', 'Unknown hardware identifier', 'value_error'))
    if (b.visibility !== undefined && b.visibility !== 'private' && b.visibility !== 'public')
      errors.push(fieldError('visibility', "Input should be 'private' or 'public'", 'enum'))
    const categories: StoredModel['categories'] = []
    for (const slug of Array.isArray(b.category_slugs) ? b.category_slugs : []) {
      const category = this.categories.find((c) => c.slug === slug)
      if (category) categories.push({ name: category.name, slug: category.slug })
      else errors.push(fieldError('category_slugs', `Unknown category ${String(slug)}`, 'value_error'))
    }
    if (errors.length > 0) return { status: 422, body: { detail: errors } }
    if (this.models.has(`${user.username}/${b.name}`)) return { status: 409, body: { detail: 'A model with this name already exists' } }
    const model = this.addModel(user.username, b.name as string, { visibility: (b.visibility as 'private' | 'public' | undefined) ?? 'private' })
    model.hardware = hardware!
    model.categories = categories
    for (const field of MODEL_FIELDS) if (typeof b[field] === 'string') model[field] = b[field] as string
    return { status: 201, body: this.#modelBody(model) }
  }

  #updateModel(model: StoredModel, body: unknown): Answer {
    const b = (body ?? {}) as Record<string, unknown>
    const categories: StoredModel['categories'] = []
    for (const slug of Array.isArray(b.category_slugs) ? b.category_slugs : []) {
      const category = this.categories.find((c) => c.slug === slug)
      if (!category) return { status: 422, body: { detail: [fieldError('category_slugs', `Unknown category ${String(slug)}`, 'value_error')] } }
      categories.push({ name: category.name, slug: category.slug })
    }
    if (Array.isArray(b.category_slugs)) model.categories = categories
    for (const field of MODEL_FIELDS) if (field in b) model[field] = (b[field] as string | null) ?? null
    if (b.visibility === 'private' || b.visibility === 'public') model.visibility = b.visibility
    model.updated_at = new Date().toISOString()
    return { status: 200, body: this.#modelBody(model) }
  }

  #createVersion(model: StoredModel, body: unknown): Answer {
    const b = (body ?? {}) as Record<string, unknown>
    const errors: ValidationError[] = []
    if (typeof b.release_notes !== 'string') errors.push(fieldError('release_notes', 'Field required', 'missing'))
    else if ([...b.release_notes].length > 255) errors.push(fieldError('release_notes', 'String should have at most 255 characters', 'string_too_long'))
    if (typeof b.container_image_digest !== 'string' || !DIGEST.test(b.container_image_digest)) {
      errors.push(fieldError('container_image_digest', "String should match pattern '^sha256:[a-f0-9]{64}$'", 'string_pattern_mismatch'))
    }
    const prediction = (b.schemas as { prediction?: { input?: unknown; output?: unknown } } | undefined)?.prediction
    if (!isObject(prediction) || !isObject(prediction.input) || !isObject(prediction.output)) {
      errors.push(fieldError('schemas', 'schemas.prediction.input and schemas.prediction.output must be objects', 'model_type'))
    }
    if (errors.length > 0) return { status: 422, body: { detail: errors } }
    const version: StoredVersion = {
      number: model.versions.length + 1,
      release_notes: b.release_notes as string,
      created_at: new Date().toISOString(),
      container_image_digest: b.container_image_digest as string,
      schemas: b.schemas,
    }
    model.versions.push(version)
    return { status: 201, body: version }
  }

  #modelBody(model: StoredModel): unknown {
    const { versions, ...rest } = model
    return { ...rest, latest_version: versions.at(-1) ?? null }
  }

  #user(username: string): unknown {
    return {
      id: this.#userId(username),
      username,
      avatar_url: `https://avatars.example/${username}.png`,
      name: null,
      bio: null,
      location: null,
      company: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: null,
      urls: [],
    }
  }

  #userId(username: string): string {
    if (!this.#ids.has(username)) this.#ids.set(username, randomUUID())
    return this.#ids.get(username)!
  }
}

interface Answer {
  status: number
  body: unknown
}

interface ValidationError {
  loc: (string | number)[]
  msg: string
  type: string
}

function fieldError(field: string, msg: string, type: string): ValidationError {
  return { loc: ['body', field], msg, type }
}

function paginate(items: unknown[], query: URLSearchParams): Answer {
  const pageSize = Number(query.get('page_size') ?? '25')
  if (!Number.isInteger(pageSize) || pageSize < 5 || pageSize > 50) {
    return { status: 422, body: { detail: [{ loc: ['query', 'page_size'], msg: 'Input should be between 5 and 50', type: 'value_error' }] } }
  }
  const cursor = query.get('cursor')
  const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString())
  if (!Number.isInteger(offset) || offset < 0) return { status: 422, body: { detail: [{ loc: ['query', 'cursor'], msg: 'Invalid cursor', type: 'value_error' }] } }
  const end = offset + pageSize
  const next = end < items.length ? Buffer.from(String(end)).toString('base64url') : null
  const previous = offset > 0 ? Buffer.from(String(Math.max(0, offset - pageSize))).toString('base64url') : null
  return {
    status: 200,
    body: { items: items.slice(offset, end), next_cursor: next, previous_cursor: previous, next_url: next && `?cursor=${next}`, previous_url: previous && `?cursor=${previous}` },
  }
}

function versionSummary(version: StoredVersion): unknown {
  const { schemas: _schemas, ...summary } = version
  return summary
}

const notFound = (): Answer => ({ status: 404, body: { detail: 'Not Found' } })
const unauthorized = (): Answer => ({ status: 401, body: { detail: 'Not authenticated' } })
const forbidden = (): Answer => ({ status: 403, body: { detail: 'You do not have permission to modify this model' } })
const methodNotAllowed = (): Answer => ({ status: 405, body: { detail: 'Method Not Allowed' } })

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return new Sandbox(options).listen()
}
