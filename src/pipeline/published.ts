import { canonicalJson } from '../schemas/canonical.js'
import type { WriftaiClient } from '../wriftai/client.js'
import type { ModelId } from '../wriftai/identifier.js'
import type { ModelVersionWithDetails, ModelWithDetails, Schemas } from '../wriftai/types.js'

export function sameSchemas(a: Schemas | undefined, b: Schemas | undefined): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null)
}

/** The API has answered digests with and without the `sha256:` prefix; compare them as one form. */
export function normalizeDigest(digest: string | undefined): string | undefined {
  if (!digest) return undefined
  const lower = digest.toLowerCase()
  return lower.startsWith('sha256:') ? lower : `sha256:${lower}`
}

/**
 * The newest version of the model recorded with `digest`, with its schemas: the model's latest
 * version first, then up to `pageCap` pages of the version list.
 */
export async function findVersionByDigest(
  client: WriftaiClient,
  model: ModelId,
  digest: string,
  live: Pick<ModelWithDetails, 'latest_version'>,
  pageCap: number,
): Promise<ModelVersionWithDetails | undefined> {
  const wanted = normalizeDigest(digest)
  const latest = live.latest_version
  if (latest && normalizeDigest(latest.container_image_digest) === wanted) return latest
  if (!latest || pageCap <= 0) return undefined
  for await (const version of client.versions(model, pageCap)) {
    if (normalizeDigest(version.container_image_digest) === wanted) return client.getVersion(model, version.number)
  }
  return undefined
}
