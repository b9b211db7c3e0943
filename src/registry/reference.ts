/** The only digest algorithm WriftAI records. */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/

/** Whether a value is a sha256 digest as WriftAI records it. */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_PATTERN.test(value)
}

const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_API = 'registry-1.docker.io'
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const MAX_NAME = 255

export interface ImageReference {
  /** As the user wrote it. */
  text: string
  /** The registry as named, normalized: `docker.io`, `ghcr.io`, `127.0.0.1:5000`, `[::1]:5000`. */
  registry: string
  /** The host to connect to (`registry-1.docker.io` for Docker Hub), with its port. */
  host: string
  /** The repository path inside the registry, e.g. `library/ubuntu`. */
  repository: string
  tag?: string
  digest?: string
}

/** `registry/repository` — how the image is named without a tag or digest. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`
}

/** The tag or digest to ask the registry for: the digest wins when both are given. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest'
}

/**
 * Parses `[registry/]repository[:tag][@digest]` the way Docker does; returns a reason instead
 * when it is not a valid reference.
 */
export function parseImageReference(text: string): ImageReference | string {
  const bad = (why: string): string => `"${text}" is not a valid image reference: ${why}`
  if (text.trim() !== text || text === '') return bad('it is empty or has surrounding spaces')

  const at = text.indexOf('@')
  const nameAndTag = at === -1 ? text : text.slice(0, at)
  const digest = at === -1 ? undefined : text.slice(at + 1)
  if (digest !== undefined && !DIGEST_PATTERN.test(digest)) return bad('the digest must be sha256: followed by 64 lower-case hex characters')

  // A colon after the last slash starts the tag; one before it belongs to host:port.
  const lastSlash = nameAndTag.lastIndexOf('/')
  const colon = nameAndTag.lastIndexOf(':')
  const hasTag = colon > lastSlash
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined
  if (tag !== undefined && !TAG.test(tag)) return bad(`the tag "${tag}" must be 1-128 letters, digits, "_", "." or "-", not starting with "." or "-"`)

  const slash = name.indexOf('/')
  const first = slash === -1 ? name : name.slice(0, slash)
  const isRegistry = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))
  let registry = isRegistry ? first : DOCKER_HUB
  let repository = isRegistry ? name.slice(slash + 1) : name

  if (isRegistry) {
    const problem = checkRegistry(first)
    if (problem) return bad(problem)
    if (registry === 'index.docker.io' || registry === DOCKER_HUB_API) registry = DOCKER_HUB
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`
  if (repository === '') return bad('the repository is empty')
  for (const component of repository.split('/')) {
    if (component !== component.toLowerCase()) return bad('repository names must be lower-case')
    if (!PATH_COMPONENT.test(component)) return bad(`"${component}" is not a valid path component (lower-case letters, digits and single separators)`)
  }
  if (`${registry}/${repository}`.length > MAX_NAME) return bad(`the name is longer than ${MAX_NAME} characters`)

  return { text, registry, host: registry === DOCKER_HUB ? DOCKER_HUB_API : registry, repository, tag: tag ?? (digest ? undefined : 'latest'), digest }
}

function checkRegistry(registry: string): string | undefined {
  const ipv6 = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(registry)
  if (registry.startsWith('[')) return ipv6 ? undefined : `"${registry}" is not a valid IPv6 registry address`
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::(\d{1,5}))?$/.exec(registry)
  if (!match) return `"${registry}" is not a valid registry host`
  if (match[2] !== undefined && Number(match[2]) > 65535) return `the port in "${registry}" is out of range`
  return undefined
}

/** The registry's host name without port or brackets, e.g. to tell loopback addresses. */
export function hostName(host: string): string {
  const ipv6 = /^\[([^\]]+)\]/.exec(host)
  if (ipv6) return ipv6[1]!
  return host.replace(/:\d+$/, '')
}
