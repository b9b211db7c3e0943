import { header, send, type HttpPolicy, type HttpResponse, type Method } from '../http/request.js'
import { UserError } from '../errors.js'
import { checkAnswer, checkModel, checkPage, checkTextFields, checkUser, checkVersion, type AnswerCheck } from './answers.js'
import { USER_AGENT } from '../version.js'
import { formatModelId, type ModelId } from './identifier.js'
import type { CreateModel, CreateVersion, Hardware, ModelCategory, ModelVersion, ModelVersionWithDetails, ModelWithDetails, Page, UpdateModel, User } from './types.js'

/** A non-2xx answer from the WriftAI API, as one line the user can act on. */
export class ApiError extends UserError {
  override name = 'ApiError'
  readonly status: number
  readonly requestId: string | undefined
  readonly response: HttpResponse

  constructor(operation: string, response: HttpResponse, hint: string | undefined) {
    const requestId = header(response.headers, 'x-request-id')
    const detail = describeDetail(response.text)
    super(`${operation} failed: HTTP ${response.status}${detail ? `: ${detail}` : ''}${hint ? ` (${hint})` : ''}${requestId ? ` [x-request-id ${requestId}]` : ''}`)
    this.status = response.status
    this.requestId = requestId
    this.response = response
  }
}

export interface WriftaiClientOptions {
  baseUrl: string
  token?: string
  policy: HttpPolicy
}

interface Call {
  operation: string
  method: Method
  path: string
  query?: Record<string, string>
  body?: unknown
  /** Statuses that are an answer, not a failure (e.g. 404 for "missing"). */
  expected?: number[]
}

export class WriftaiClient {
  readonly #base: string
  readonly #token: string | undefined
  readonly #policy: HttpPolicy

  constructor(options: WriftaiClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '')
    this.#token = options.token
    this.#policy = options.policy
  }

  /** The model, or undefined when it does not exist (or the token cannot see it). */
  async getModel(id: ModelId): Promise<ModelWithDetails | undefined> {
    const res = await this.#call({ operation: `get model ${formatModelId(id)}`, method: 'GET', path: modelPath(id), expected: [404] })
    return res.status === 404 ? undefined : parse<ModelWithDetails>(res, `get model ${formatModelId(id)}`, checkModel)
  }

  /** The created model; undefined when the server answered success without a body. */
  async createModel(body: CreateModel): Promise<ModelWithDetails | undefined> {
    return parseOptional(await this.#call({ operation: `create model ${body.name}`, method: 'POST', path: '/models', body }), `create model ${body.name}`, checkModel)
  }

  async updateModel(id: ModelId, body: UpdateModel): Promise<ModelWithDetails> {
    return parse(await this.#call({ operation: `update model ${formatModelId(id)}`, method: 'PATCH', path: modelPath(id), body }), `update model ${formatModelId(id)}`, checkModel)
  }

  async getUser(): Promise<User> {
    return parse(await this.#call({ operation: 'get the token user', method: 'GET', path: '/user' }), 'get the token user', checkUser)
  }

  async listHardware(pageCap = 10): Promise<Hardware[]> {
    return collect(this.#items<Hardware>({ operation: 'list hardware', method: 'GET', path: '/hardware' }, pageCap, checkTextFields('identifier')))
  }

  async listModelCategories(pageCap = 10): Promise<ModelCategory[]> {
    return collect(this.#items<ModelCategory>({ operation: 'list model categories', method: 'GET', path: '/model_categories' }, pageCap, checkTextFields('slug')))
  }

  /** Versions, newest first, reading at most `pageCap` pages. */
  async listVersions(id: ModelId, pageCap: number): Promise<ModelVersion[]> {
    return collect(this.versions(id, pageCap))
  }

  /** Versions, newest first, one page at a time, so a search can stop early. */
  versions(id: ModelId, pageCap: number): AsyncGenerator<ModelVersion> {
    return this.#items<ModelVersion>({ operation: `list versions of ${formatModelId(id)}`, method: 'GET', path: `${modelPath(id)}/versions` }, pageCap, checkVersion)
  }

  async getVersion(id: ModelId, number: number): Promise<ModelVersionWithDetails | undefined> {
    const res = await this.#call({
      operation: `get version ${formatModelId(id)}:${number}`,
      method: 'GET',
      path: `${modelPath(id)}/versions/${number}`,
      expected: [404],
    })
    return res.status === 404 ? undefined : parse<ModelVersionWithDetails>(res, `get version ${formatModelId(id)}:${number}`, checkVersion)
  }

  /** The created version; undefined when the server answered success without a body. */
  async createVersion(id: ModelId, body: CreateVersion): Promise<ModelVersionWithDetails | undefined> {
    const res = await this.#call({
      operation: `create version of ${formatModelId(id)}`,
      method: 'POST',
      path: `${modelPath(id)}/versions`,
      body,
    })
    return parseOptional(res, `create version of ${formatModelId(id)}`, checkVersion)
  }

  async *#items<T>(call: Call, pageCap: number, item: AnswerCheck): AsyncGenerator<T> {
    let cursor: string | null = null
    for (let page = 0; page < pageCap; page++) {
      const query: Record<string, string> = { page_size: '50', ...(cursor ? { cursor } : {}) }
      const body = parse<Page<T>>(await this.#call({ ...call, query }), call.operation, checkPage(item))
      yield* body.items
      cursor = body.next_cursor
      if (!cursor) break
    }
  }

  async #call(call: Call): Promise<HttpResponse> {
    const url = new URL(this.#base + call.path)
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value)
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' }
    if (this.#token) headers.authorization = `Bearer ${this.#token}`
    if (call.body !== undefined) headers['content-type'] = 'application/json'
    const res = await send({ method: call.method, url, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) }, this.#policy)
    if ((res.status >= 200 && res.status < 300) || call.expected?.includes(res.status)) return res
    throw new ApiError(call.operation, res, hintFor(res.status, Boolean(this.#token)))
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

function modelPath(id: ModelId): string {
  return `/models/${encodeURIComponent(id.owner)}/${encodeURIComponent(id.name)}`
}

/** The answer's JSON, once its shape has passed `check`: no field the action uses is taken unchecked. */
function parse<T>(res: HttpResponse, operation: string, check: AnswerCheck): T {
  let body: unknown
  try {
    body = JSON.parse(res.text)
  } catch {
    throw new UserError(`the WriftAI API answered HTTP ${res.status} with a body that is not JSON`)
  }
  return checkAnswer<T>(operation, body, check)
}

function parseOptional<T>(res: HttpResponse, operation: string, check: AnswerCheck): T | undefined {
  return res.text.trim() === '' ? undefined : parse<T>(res, operation, check)
}

function hintFor(status: number, hasToken: boolean): string | undefined {
  if (status === 401) return hasToken ? 'check the token input: it was rejected' : 'set the token input or WRIFTAI_ACCESS_TOKEN'
  if (status === 403) return "the token's user does not own this model"
  if (status === 404) return 'check the model and its owner'
  if (status === 422) return 'the API rejected a field'
  if (status >= 300 && status < 400) return 'check api-url: redirects are not followed'
  return undefined
}

/** Turns an error body (FastAPI `detail` string or list, or `{error}`) into one short line. */
export function describeDetail(text: string): string {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return text.trim().replace(/\s+/g, ' ').slice(0, 300)
  }
  const detail = (body as { detail?: unknown; error?: unknown } | null)?.detail ?? (body as { error?: unknown } | null)?.error
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail)) {
    return detail
      .map((item: { loc?: unknown[]; msg?: unknown }) => {
        const loc = Array.isArray(item?.loc) ? item.loc.filter((part) => part !== 'body').join('.') : ''
        return loc ? `${loc}: ${String(item?.msg ?? '')}` : String(item?.msg ?? JSON.stringify(item))
      })
      .join('; ')
  }
  return body === null || body === undefined ? '' : JSON.stringify(body).slice(0, 300)
}
