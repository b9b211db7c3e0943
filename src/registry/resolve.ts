import type { HttpPolicy } from '../http/request.js'
import { RegistryClient, RegistryError } from './client.js'
import { findCredentials } from './credentials.js'
import { formatPlatform, type Platform } from './platform.js'
import { manifestReference, repositoryName, type ImageReference } from './reference.js'

export interface ImageResolution {
  /** `registry/repository@digest`, the reference WriftAI's digest can be pulled by. */
  reference: string
  digest: string
  /** How the digest was found. */
  how: 'resolved' | 'verified'
  platform?: string
  /** The multi-platform index the digest was picked from. */
  index?: string
  /** The image config's labels, when they were asked for. */
  labels?: Record<string, string>
  /** Why the labels could not be read, when they were asked for and the digest resolved anyway. */
  labelsError?: string
}

export interface ResolveImageOptions {
  /** The image-digest input, checked against the image's repository. */
  imageDigest?: string
  platform?: Platform
  username?: string
  password?: string
  insecure: boolean
  policy: HttpPolicy
  env?: NodeJS.ProcessEnv
  /** Also read the image config's labels (one more request: the config blob). */
  labels?: boolean
}

/** The image inputs, as the action and the CLI read them (the pipeline's Inputs hold them under these names). */
export interface ImageInputs {
  image?: ImageReference
  /** The image-digest input (a digest pinned in image stays in image.digest). */
  imageDigest?: string
  platform?: Platform
  registryUsername?: string
  registryPassword?: string
  insecureRegistry: boolean
}

/** `resolveImage` for the image inputs (image must be set), as both the pipeline and the CLI's commands call it. */
export function resolveImageInputs(inputs: ImageInputs, options: { policy: HttpPolicy; env?: NodeJS.ProcessEnv; labels: boolean }): Promise<ImageResolution> {
  return resolveImage(inputs.image!, {
    imageDigest: inputs.imageDigest,
    platform: inputs.platform,
    username: inputs.registryUsername,
    password: inputs.registryPassword,
    insecure: inputs.insecureRegistry,
    ...options,
  })
}

/**
 * Turns the image input into the digest WriftAI records, with no Docker daemon: a tag is resolved
 * (an index stays an index unless a platform is asked for), and a digest is checked to exist, so
 * that no version records a digest nobody can pull.
 */
export async function resolveImage(image: ImageReference, options: ResolveImageOptions): Promise<ImageResolution> {
  const credentials = await findCredentials(image.registry, { username: options.username, password: options.password }, options.env)
  // A secret from the Docker config or a credential helper is masked like the inputs' own.
  for (const secret of [credentials?.password, credentials?.identityToken]) if (secret) options.policy.log?.mask?.(secret)
  const client = new RegistryClient(image, { credentials, insecure: options.insecure, policy: options.policy })
  const repository = repositoryName(image)

  // The config's labels are asked for beside the digest; an image whose config cannot be read (an
  // index without the platform, a config that is not JSON) still resolves, and says why in labelsError.
  let labelsError: string | undefined
  const readLabels = async (reference: string): Promise<{ labels: Record<string, string>; digest: string } | undefined> => {
    try {
      return await client.labels(reference, options.platform)
    } catch (error: unknown) {
      if (!(error instanceof RegistryError)) throw error
      labelsError = error.message
      return undefined
    }
  }

  const pinned = options.imageDigest ?? (options.platform ? undefined : image.digest)
  if (pinned) {
    // Reading the manifest for its labels proves it exists, as the HEAD below would.
    const read = options.labels ? await readLabels(pinned) : undefined
    if (!read && !(await client.exists(pinned))) {
      throw new RegistryError(`${repository}@${pinned} does not exist; a version must record a digest that can be pulled`)
    }
    return { reference: `${repository}@${pinned}`, digest: pinned, how: 'verified', ...labelsOf(read, labelsError) }
  }
  if (options.labels && !options.platform) {
    // The manifest's own bytes give its digest: a GET instead of the HEAD, then the config blob.
    const read = await readLabels(manifestReference(image))
    if (read) return { reference: `${repository}@${read.digest}`, digest: read.digest, how: 'resolved', labels: read.labels }
  }
  const resolved = await client.resolve(manifestReference(image), options.platform)
  const read = options.labels && labelsError === undefined ? await readLabels(resolved.digest) : undefined
  return {
    ...labelsOf(read, labelsError),
    reference: `${repository}@${resolved.digest}`,
    digest: resolved.digest,
    how: 'resolved',
    ...(options.platform && { platform: formatPlatform(options.platform) }),
    ...(resolved.index && { index: resolved.index }),
  }
}

function labelsOf(read: { labels: Record<string, string> } | undefined, error: string | undefined): Pick<ImageResolution, 'labels' | 'labelsError'> {
  return read ? { labels: read.labels } : error !== undefined ? { labelsError: error } : {}
}
