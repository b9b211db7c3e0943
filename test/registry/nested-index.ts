// A hostile registry: its tag is an index of 50 distinct indexes, each listing the 50 of the next
// level, five deep, with no linux/amd64 image at the bottom. Every served digest matches its bytes,
// so only a bound on nesting and requests stops a client that walks it (50^5 paths).
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface NestedIndexRegistry {
  host: string
  /** Requests answered so far. */
  requests(): number
  close(): Promise<void>
}

export async function startNestedIndexRegistry(): Promise<NestedIndexRegistry> {
  const documents = new Map<string, string>()
  const put = (doc: unknown): string => {
    const text = JSON.stringify(doc)
    const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`
    documents.set(digest, text)
    return digest
  }
  let level = [put({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: `sha256:${'0'.repeat(64)}` }, layers: [] })]
  for (let depth = 0; depth < 5; depth++) {
    const manifests = level.map((digest) => ({
      mediaType: `application/vnd.oci.image.${depth === 0 ? 'manifest' : 'index'}.v1+json`,
      digest,
      size: 1,
      ...(depth === 0 && { platform: { os: 'linux', architecture: 'arm64' } }),
    }))
    level = Array.from({ length: 50 }, (_, i) => put({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests, annotations: { n: `${depth}-${i}` } }))
  }
  const top = level[0]!
  let requests = 0
  const server = createServer((req, res) => {
    requests++
    const reference = req.url!.split('/manifests/')[1] ?? ''
    const digest = reference === '1.0' ? top : reference
    const text = documents.get(digest)
    if (!text) return res.writeHead(req.url === '/v2/' ? 200 : 404).end('{}')
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', 'docker-content-digest': digest }).end(req.method === 'HEAD' ? undefined : text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
