// The slice of the GitHub REST API the action reads (a release by tag), on 127.0.0.1, for the
// GitHub context only: runs point GITHUB_API_URL at it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeGitHub {
  url: string
  requests: { path: string; authorization?: string }[]
  releases: Map<string, { body: string; html_url: string }>
  close(): Promise<void>
}

export async function startGitHubApi(): Promise<FakeGitHub> {
  const requests: FakeGitHub['requests'] = []
  const releases = new Map<string, { body: string; html_url: string }>()
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization })
    const match = /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/([^/?]+)$/.exec(req.url ?? '')
    const release = match ? releases.get(decodeURIComponent(match[3]!)) : undefined
    res.writeHead(release ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(release ? { id: 1, tag_name: match![3], draft: false, ...release } : { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    releases,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
