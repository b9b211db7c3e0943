// The slice of the GitHub REST API the action uses (a release by tag, a file's contents at a ref,
// a pull request's comments), on 127.0.0.1, for the GitHub context only: runs point
// GITHUB_API_URL at it. It records every request.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeComment {
  id: number
  body: string
}

export interface FakeGitHub {
  url: string
  requests: { path: string; authorization?: string }[]
  /** Every request with its method and body. */
  calls: { method: string; path: string; body?: unknown }[]
  releases: Map<string, { body: string; html_url: string }>
  /** Comments by pull request number. */
  comments: Map<number, FakeComment[]>
  /** Files by `ref:path`, for the contents API. */
  contents: Map<string, string>
  /** The repository's tag names, newest first as GitHub lists them. */
  tags: string[]
  /** Answer comment writes with 403, as a token without pull-requests: write gets. */
  forbidComments: boolean
  close(): Promise<void>
}

export async function startGitHubApi(): Promise<FakeGitHub> {
  const fake: Omit<FakeGitHub, 'url' | 'close'> = { requests: [], calls: [], releases: new Map(), comments: new Map(), contents: new Map(), tags: [], forbidComments: false }
  let nextId = 1000
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const body = raw ? (JSON.parse(raw) as unknown) : undefined
      fake.requests.push({ path: req.url ?? '', authorization: req.headers.authorization })
      fake.calls.push({ method: req.method ?? 'GET', path: url.pathname, ...(body !== undefined && { body }) })
      const send = (status: number, value: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type })
        res.end(typeof value === 'string' && type !== 'application/json' ? value : JSON.stringify(value))
      }
      const notFound = () => send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
      const release = /^\/repos\/[^/]+\/[^/]+\/releases\/tags\/([^/]+)$/.exec(url.pathname)
      if (release) {
        const found = fake.releases.get(decodeURIComponent(release[1]!))
        return found ? send(200, { id: 1, tag_name: release[1], draft: false, ...found }) : notFound()
      }
      if (/^\/repos\/[^/]+\/[^/]+\/tags$/.test(url.pathname)) {
        const page = Number(url.searchParams.get('page') ?? 1)
        const per = Number(url.searchParams.get('per_page') ?? 30)
        return send(
          200,
          fake.tags.slice((page - 1) * per, page * per).map((name) => ({ name, commit: { sha: '0'.repeat(40) } })),
        )
      }
      const contents = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(url.pathname)
      if (contents) {
        const text = fake.contents.get(`${url.searchParams.get('ref')}:${decodeURIComponent(contents[1]!)}`)
        return text === undefined ? notFound() : send(200, text, 'application/vnd.github.raw; charset=utf-8')
      }
      const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname)
      if (list) {
        const number = Number(list[1])
        if (req.method === 'GET')
          return send(
            200,
            (fake.comments.get(number) ?? []).map((c) => ({ ...c, user: { login: 'github-actions[bot]' } })),
          )
        if (fake.forbidComments) return send(403, { message: 'Resource not accessible by integration', status: '403' })
        const comment = { id: nextId++, body: (body as { body: string }).body }
        fake.comments.set(number, [...(fake.comments.get(number) ?? []), comment])
        return send(201, comment)
      }
      const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname)
      if (one && req.method === 'PATCH') {
        if (fake.forbidComments) return send(403, { message: 'Resource not accessible by integration', status: '403' })
        for (const comments of fake.comments.values()) {
          const comment = comments.find((c) => c.id === Number(one[1]))
          if (comment) {
            comment.body = (body as { body: string }).body
            return send(200, comment)
          }
        }
      }
      notFound()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(fake as FakeGitHub, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
