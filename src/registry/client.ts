import { createHash } from 'node:crypto'
import { header, type HttpResponse, type Method } from '../http/request.js'
import { formatPlatform, samePlatform, type Platform } from './platform.js'
import { isDigest, repositoryName, type ImageReference } from './reference.js'
import { RegistryError, RegistrySession, TooManyRequestsError, type RegistryClientOptions } from './session.js'

export { realmProblem, RegistryError, type RegistryClientOptions } from './session.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
/** Every current manifest type, without q-values: a registry answers a missing type with a conversion or a 404. */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ')
const SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+(?:pretty)?jws$|^application\/vnd\.docker\.distribution\.manifest\.v1\+json$/
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
/** An image config carries the labels; Cog's holds the whole OpenAPI document. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024
/** Indexes inside an index: the OCI spec allows them, real images nest one level. */
const MAX_NESTING = 2

export interface ResolvedDigest {
  digest: string
  mediaType?: string
  /** The index the platform's manifest was picked from. */
  index?: string
}

interface Descriptor {
  mediaType?: string
  digest?: string
  platform?: { os?: string; architecture?: string; variant?: string }
  annotations?: Record<string, string>
}

interface Manifest {
  schemaVersion?: number
  mediaType?: string
  manifests?: Descriptor[]
  config?: Descriptor
}

/** Talks to one registry over the distribution API, with its auth flows, for one image's repository. */
/** Reads one image's manifests, indexes and config from its registry, through one session. */
export class RegistryClient {
  readonly #ref: ImageReference
  readonly #session: RegistrySession
  readonly #options: RegistryClientOptions
  /** Manifests read by digest: an index that lists one twice is read once. */
  readonly #manifests = new Map<string, Promise<{ digest: string; manifest: Manifest }>>()

  constructor(ref: ImageReference, options: RegistryClientOptions) {
    this.#ref = ref
    this.#options = options
    this.#session = new RegistrySession(ref, options)
  }

  /** The digest a tag or digest reference points to; with a platform, that platform's manifest in an index. */
  async resolve(reference: string, platform?: Platform): Promise<ResolvedDigest> {
    if (!platform) {
      const head = await this.#manifest('HEAD', reference)
      const digest = header(head.headers, 'docker-content-digest')
      const mediaType = header(head.headers, 'content-type')
      if (digest && !SCHEMA1.test(mediaType ?? '')) return { digest: this.#verified(reference, digest), mediaType }
    }
    const { digest, manifest } = await this.#getManifest(reference)
    if (!platform) return { digest, mediaType: manifest.mediaType }
    return this.#pick(digest, manifest, platform, 0)
  }

  /** Whether the repository holds a manifest with this digest. */
  async exists(digest: string): Promise<boolean> {
    const res = await this.#session.request('HEAD', this.#manifestUrl(digest), MANIFEST_ACCEPT, true)
    if (res.status === 404) return false
    this.#check(res, digest)
    return true
  }

  /**
   * The labels in the image config of a manifest (or, for an index, of the platform's manifest:
   * linux/amd64 unless another is asked for, or the only image in it). The config blob's bytes are
   * checked against the digest the manifest names.
   */
  async labels(reference: string, platform?: Platform): Promise<{ labels: Record<string, string>; digest: string }> {
    const top = await this.#getManifest(reference)
    let { digest, manifest } = top
    if (Array.isArray(manifest.manifests)) {
      const images = manifest.manifests.filter((d) => d.digest && !isAttestation(d))
      const only = images.length === 1 && images[0]!.mediaType !== OCI_INDEX && images[0]!.mediaType !== DOCKER_LIST && isDigest(images[0]!.digest) ? images[0]!.digest! : undefined
      const picked = only ?? (await this.#pick(digest, manifest, platform ?? { os: 'linux', architecture: 'amd64' }, 0)).digest
      ;({ digest, manifest } = await this.#getManifest(picked))
    }
    const config = manifest.config?.digest
    if (!isDigest(config)) throw new RegistryError(`${this.#name(digest)} has no image config to read labels from`)
    const res = await this.#session.request('GET', `${this.#session.origin}/v2/${this.#ref.repository}/blobs/${config}`, '*/*', true, MAX_CONFIG_BYTES)
    this.#check(res, config)
    if (`sha256:${createHash('sha256').update(res.bytes).digest('hex')}` !== config) {
      throw new RegistryError(`${this.#name(digest)}: the registry served an image config whose bytes do not match its digest ${config}`)
    }
    let image: { config?: { Labels?: unknown } }
    try {
      image = JSON.parse(res.text) as typeof image
    } catch {
      throw new RegistryError(`${this.#name(digest)}: the image config is not JSON`)
    }
    const found = image?.config?.Labels
    const labels: Record<string, string> = {}
    if (found && typeof found === 'object' && !Array.isArray(found)) {
      for (const [name, value] of Object.entries(found)) if (typeof value === 'string') labels[name] = value
    }
    return { labels, digest: top.digest }
  }

  async #pick(indexDigest: string, manifest: Manifest, platform: Platform, depth: number): Promise<ResolvedDigest> {
    if (!Array.isArray(manifest.manifests)) {
      await this.#checkSinglePlatform(manifest, platform, indexDigest)
      return { digest: indexDigest, mediaType: manifest.mediaType }
    }
    const usable = manifest.manifests.filter((d) => d.digest && !isAttestation(d))
    // Each entry's digest is fetched, returned or printed below: one that is not a digest refuses the whole index.
    if (usable.some((d) => !isDigest(d.digest))) throw new RegistryError(`${this.#name(indexDigest)} lists a manifest whose digest is not a sha256 digest`)
    const match = usable.find((d) => d.platform && samePlatform(d.platform as Platform, platform))
    const isIndex = (d: Descriptor) => d.mediaType === OCI_INDEX || d.mediaType === DOCKER_LIST
    // An index may list other indexes, with or without a platform of their own: look inside them.
    const inner = match && isIndex(match) ? [match] : match ? [] : usable.filter((d) => isIndex(d) && !d.platform)
    for (const descriptor of inner) {
      if (depth >= MAX_NESTING) break
      const nested = await this.#getManifest(descriptor.digest!)
      const picked = await this.#pick(nested.digest, nested.manifest, platform, depth + 1).catch((error: unknown) => {
        if (error instanceof RegistryError && !(error instanceof TooManyRequestsError) && descriptor !== match) return undefined
        throw error
      })
      if (picked) return { ...picked, index: indexDigest }
    }
    if (match && !isIndex(match)) return { digest: match.digest!, mediaType: match.mediaType, index: indexDigest }
    const offered = usable
      .filter((d) => d.platform)
      .map((d) => formatPlatform(d.platform as Platform))
      .join(', ')
    throw new RegistryError(`${this.#name(indexDigest)} has no ${formatPlatform(platform)} image${offered ? `; it has ${offered}` : ''}`)
  }

  /** A plain manifest names one platform in its config; say so when it is not the one asked for. */
  async #checkSinglePlatform(manifest: Manifest, platform: Platform, digest: string): Promise<void> {
    const config = manifest.config?.digest
    if (!config) return
    const res = await this.#session.request('GET', `${this.#session.origin}/v2/${this.#ref.repository}/blobs/${config}`, '*/*', false, MAX_MANIFEST_BYTES)
    this.#check(res, config)
    let image: { os?: string; architecture?: string; variant?: string }
    try {
      image = JSON.parse(res.text) as typeof image
    } catch {
      return
    }
    if (image.os && image.architecture && !samePlatform({ os: image.os, architecture: image.architecture, variant: image.variant }, platform)) {
      const has = formatPlatform({ os: image.os, architecture: image.architecture, variant: image.variant })
      throw new RegistryError(`${this.#name(digest)} is a single ${has} image, not ${formatPlatform(platform)}`)
    }
  }

  async #manifest(method: Method, reference: string): Promise<HttpResponse> {
    const res = await this.#session.request(method, this.#manifestUrl(reference), MANIFEST_ACCEPT, true, MAX_MANIFEST_BYTES)
    this.#check(res, reference)
    return res
  }

  #getManifest(reference: string): Promise<{ digest: string; manifest: Manifest }> {
    if (!isDigest(reference)) return this.#readManifest(reference)
    let read = this.#manifests.get(reference)
    if (!read) {
      read = this.#readManifest(reference)
      this.#manifests.set(reference, read)
    }
    return read
  }

  async #readManifest(reference: string): Promise<{ digest: string; manifest: Manifest }> {
    const res = await this.#manifest('GET', reference)
    // The digest of the exact bytes served, as the registry computes it.
    const digest = this.#verified(reference, `sha256:${createHash('sha256').update(res.bytes).digest('hex')}`)
    let manifest: Manifest
    try {
      manifest = JSON.parse(res.text) as Manifest
    } catch {
      throw new RegistryError(`${this.#name(reference)}: the registry served a manifest that is not JSON`)
    }
    const mediaType = manifest.mediaType ?? header(res.headers, 'content-type')
    if (manifest.schemaVersion === 1 || SCHEMA1.test(mediaType ?? '')) {
      throw new RegistryError(`${this.#name(reference)} is a Docker schema 1 image, which has no stable digest; push it again with a current Docker or buildx`)
    }
    return { digest, manifest: { ...manifest, mediaType } }
  }

  /** A digest from the registry must be one (it is printed, written to the outputs and sent to WriftAI), and a by-digest reference must come back with that digest. */
  #verified(reference: string, digest: string): string {
    if (!isDigest(digest)) throw new RegistryError(`${this.#name(reference)}: the registry answered with a Docker-Content-Digest that is not a sha256 digest`)
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(`${this.#name(reference)}: the registry answered with ${digest}, not the digest asked for`)
    }
    return digest
  }

  #check(res: HttpResponse, reference: string): void {
    if (res.status >= 200 && res.status < 300) return
    const name = this.#name(reference)
    if (res.status === 404) throw new RegistryError(`${name} was not found in the registry`)
    if (res.status === 401 || res.status === 403) {
      const source = this.#options.credentials ? ` with the credentials from ${this.#options.credentials.source}` : ' anonymously'
      throw new RegistryError(`access to ${name} was denied${source}; set registry-username and registry-password, or log in with docker/login-action first`)
    }
    if (res.status === 429) {
      if (this.#ref.registry === 'docker.io') {
        throw new RegistryError(
          `Docker Hub's pull rate limit was reached while resolving ${name}; log in (registry-username/registry-password or docker/login-action) for a higher limit, or retry later`,
        )
      }
      throw new RegistryError(`the registry rate-limited the request for ${name} (HTTP 429); retry later`)
    }
    throw new RegistryError(`the registry answered HTTP ${res.status} for ${name}${registryErrorCode(res)}`)
  }

  #name(reference: string): string {
    const sep = reference.startsWith('sha256:') ? '@' : ':'
    return `${repositoryName(this.#ref)}${sep}${reference}`
  }

  #manifestUrl(reference: string): string {
    return `${this.#session.origin}/v2/${this.#ref.repository}/manifests/${reference}`
  }
}

function isAttestation(d: Descriptor): boolean {
  return (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown') || d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
}

function registryErrorCode(res: HttpResponse): string {
  try {
    const code = (JSON.parse(res.text) as { errors?: { code?: string }[] }).errors?.[0]?.code
    return code ? ` (${code})` : ''
  } catch {
    return ''
  }
}
