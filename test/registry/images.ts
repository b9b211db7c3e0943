// Builds small deterministic images and pushes them to a registry over the distribution API, with
// no Docker daemon: a single OCI image, an OCI index with two platforms and an attestation entry,
// a Docker manifest list, an index nested in an index, and Cog images whose configs carry the model's
// OpenAPI document in the label Cog writes.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'

export interface PushedImages {
  /** An index of linux/arm64 and linux/arm/v7 images only. */
  armOnly: string
  single: string
  index: string
  indexAmd64: string
  indexArm64: string
  attestation: string
  list: string
  listAmd64: string
  listArm64: string
  nested: string
  /** A Cog image: one OCI image whose config carries the pydantic v1 document. */
  cogSingle: string
  /** A Cog image as an index of two platforms, each carrying the pydantic v2 document. */
  cogIndex: string
  cogIndexAmd64: string
}

/** The labels Cog writes into an image config: the OpenAPI document as compact JSON, and its version. */
export function cogLabels(openapi: unknown, version = '0.9.6'): Record<string, string> {
  return { 'run.cog.openapi_schema': JSON.stringify(openapi), 'run.cog.version': version, 'org.opencontainers.image.source': 'https://github.com/acme/model' }
}

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

async function pushBlob(base: string, repo: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = digestOf(bytes)
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' })
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${await start.text()}`)
  const location = new URL(start.headers.get('location')!, base)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } })
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`)
  return { digest, size: bytes.length }
}

async function pushManifest(base: string, repo: string, reference: string | undefined, mediaType: string, body: unknown): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(body))
  const digest = digestOf(bytes)
  const res = await fetch(`${base}/v2/${repo}/manifests/${reference ?? digest}`, { method: 'PUT', body: bytes, headers: { 'content-type': mediaType } })
  if (res.status !== 201) throw new Error(`manifest ${repo}:${reference}: ${res.status} ${await res.text()}`)
  if (res.headers.get('docker-content-digest') !== digest) throw new Error('registry computed another digest')
  return { digest, size: bytes.length }
}

async function image(
  base: string,
  repo: string,
  arch: string,
  variant: string | undefined,
  docker: boolean,
  tag?: string,
  labels?: Record<string, string>,
): Promise<{ digest: string; size: number; mediaType: string }> {
  const layer = await pushBlob(base, repo, Buffer.from(`layer for ${arch}${variant ?? ''}\n`))
  const config = await pushBlob(
    base,
    repo,
    Buffer.from(
      JSON.stringify({
        architecture: arch,
        ...(variant && { variant }),
        os: 'linux',
        ...(labels && { config: { Labels: labels } }),
        rootfs: { type: 'layers', diff_ids: [layer.digest] },
      }),
    ),
  )
  const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  }
  return { ...(await pushManifest(base, repo, tag, mediaType, manifest)), mediaType }
}

/** Index entries for a linux/amd64 and a linux/arm64/v8 image. */
function platformEntries(mediaType: string, amd64: { digest: string; size: number }, arm64: { digest: string; size: number }) {
  return [
    { mediaType, digest: amd64.digest, size: amd64.size, platform: { architecture: 'amd64', os: 'linux' } },
    { mediaType, digest: arm64.digest, size: arm64.size, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
  ]
}

/** The Cog OpenAPI documents of test/fixtures/cog, by file name without `.openapi.json`. */
export function cogDocument(name: string): unknown {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/cog', `${name}.openapi.json`), 'utf8'))
}

/** Pushes every test image into an open (anonymous) registry at `host`. */
export async function pushTestImages(host: string): Promise<PushedImages> {
  const base = `http://${host}`
  const cog = { single: cogDocument('pydantic-v1'), index: cogDocument('pydantic-v2') }
  const cogSingle = await image(base, 'acme/cog-sdxl', 'amd64', undefined, false, '1.0', cogLabels(cog.single))
  const cAmd64 = await image(base, 'acme/cog-llm', 'amd64', undefined, false, undefined, cogLabels(cog.index))
  const cArm64 = await image(base, 'acme/cog-llm', 'arm64', 'v8', false, undefined, cogLabels(cog.index))
  const cogIndex = await pushManifest(base, 'acme/cog-llm', '1.0', OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: platformEntries(OCI_MANIFEST, cAmd64, cArm64) })
  const single = await image(base, 'acme/single', 'amd64', undefined, false, '1.0')
  await image(base, 'public/hello', 'amd64', undefined, false, '1')

  const amd64 = await image(base, 'acme/multi', 'amd64', undefined, false)
  const arm64 = await image(base, 'acme/multi', 'arm64', 'v8', false)
  const attestationLayer = await pushBlob(base, 'acme/multi', Buffer.from('{"_type":"https://in-toto.io/Statement/v0.1"}'))
  const attestationConfig = await pushBlob(base, 'acme/multi', Buffer.from('{"architecture":"unknown","os":"unknown"}'))
  const attestation = await pushManifest(base, 'acme/multi', undefined, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...attestationConfig },
    layers: [{ mediaType: 'application/vnd.in-toto+json', ...attestationLayer }],
  })
  const index = await pushManifest(base, 'acme/multi', '1.0', OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      ...platformEntries(OCI_MANIFEST, amd64, arm64),
      {
        mediaType: OCI_MANIFEST,
        digest: attestation.digest,
        size: attestation.size,
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.digest },
      },
    ],
  })

  const dAmd64 = await image(base, 'acme/dockerlist', 'amd64', undefined, true)
  const dArm64 = await image(base, 'acme/dockerlist', 'arm64', 'v8', true)
  const list = await pushManifest(base, 'acme/dockerlist', '1.0', DOCKER_LIST, {
    schemaVersion: 2,
    mediaType: DOCKER_LIST,
    manifests: platformEntries(DOCKER_MANIFEST, dAmd64, dArm64),
  })

  const nAmd64 = await image(base, 'acme/nested', 'amd64', undefined, false)
  const nArm64 = await image(base, 'acme/nested', 'arm64', 'v8', false)
  const inner = await pushManifest(base, 'acme/nested', undefined, OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: platformEntries(OCI_MANIFEST, nAmd64, nArm64) })
  const nested = await pushManifest(base, 'acme/nested', '1.0', OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_INDEX, ...inner }] })

  // No linux/amd64 image: a config to read labels from cannot be picked without a platform.
  const aArm64 = await image(base, 'acme/armonly', 'arm64', 'v8', false)
  const aArm = await image(base, 'acme/armonly', 'arm', 'v7', false)
  const armOnly = await pushManifest(base, 'acme/armonly', '1.0', OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: aArm64.digest, size: aArm64.size, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      { mediaType: OCI_MANIFEST, digest: aArm.digest, size: aArm.size, platform: { architecture: 'arm', os: 'linux', variant: 'v7' } },
    ],
  })

  return {
    armOnly: armOnly.digest,
    single: single.digest,
    index: index.digest,
    indexAmd64: amd64.digest,
    indexArm64: arm64.digest,
    attestation: attestation.digest,
    list: list.digest,
    listAmd64: dAmd64.digest,
    listArm64: dArm64.digest,
    nested: nested.digest,
    cogSingle: cogSingle.digest,
    cogIndex: cogIndex.digest,
    cogIndexAmd64: cAmd64.digest,
  }
}
