import { UserError } from '../errors.js'
import { isTransientStatus, NetworkError, Retries, type HttpPolicy } from '../http/request.js'
import { ApiError, type WriftaiClient } from '../wriftai/client.js'
import { formatModelId, type ModelId } from '../wriftai/identifier.js'
import type { CreateModel, CreateVersion, ModelVersion } from '../wriftai/types.js'
import type { Plan } from './plan.js'
import { findVersionByDigest, sameSchemas } from './published.js'

export interface PublishResult {
  model: ModelId
  modelCreated: boolean
  version: ModelVersion
  versionCreated: boolean
  /** Why the run did what it did, when that is not the plain "created a version". */
  notes: string[]
  /** Metadata fields updated on the existing model (sync-metadata). */
  metadataUpdated: string[]
}

/** Carries out a publish plan: the only place that writes to WriftAI. Nothing is ever deleted. */
export async function applyPlan(plan: Plan, client: WriftaiClient, policy: HttpPolicy): Promise<PublishResult> {
  const { model, schemas, digest, releaseNotes } = plan
  if (!model || !schemas || !digest || !releaseNotes) throw new Error('a publish plan needs a model, schemas, a digest and release notes')
  const id = formatModelId(model)
  const notes: string[] = []
  const metadataUpdated = Object.keys(plan.metadataPatch ?? {})
  if (plan.metadataPatch && metadataUpdated.length > 0) {
    await client.updateModel(model, plan.metadataPatch)
    notes.push(`updated the model's ${metadataUpdated.join(', ')}`)
  }

  if (plan.published) {
    const version = plan.published
    notes.push(`${id}:${version.number} already has this image digest and these schemas; nothing was created`)
    return { model, modelCreated: false, version, versionCreated: false, notes, metadataUpdated }
  }
  if (plan.sameDigestVersion !== undefined) {
    notes.push(`${id}:${plan.sameDigestVersion} has this image digest but other schemas, so a new version was created`)
  }

  let modelCreated = false
  if (plan.createModel) {
    modelCreated = await createModelUnlessTaken(client, plan.createModel, policy)
    if (!modelCreated) {
      // Another run created the model first; it may have published this very digest too.
      const found = await findPublished(plan, client)
      if (found) {
        notes.push(`a concurrent run created ${id} and published this digest as version ${found.number}; nothing was created`)
        return { model, modelCreated, version: found, versionCreated: false, notes, metadataUpdated }
      }
    }
  }

  const body: CreateVersion = { release_notes: releaseNotes.text, schemas, container_image_digest: digest }
  const version = await createVersionOnce(plan, client, body, policy)
  return { model, modelCreated, version, versionCreated: true, notes, metadataUpdated }
}

/** Creates the model; false when it already exists (409), as when two runs race to create it. */
async function createModelUnlessTaken(client: WriftaiClient, body: CreateModel, policy: HttpPolicy): Promise<boolean> {
  return retryWrite(policy, `create model ${body.name}`, async () => {
    try {
      await client.createModel(body)
      return true
    } catch (error: unknown) {
      if (error instanceof ApiError && error.status === 409) return false
      throw error
    }
  })
}

/**
 * Posts the version. A POST whose answer was lost (reset, timeout, 5xx) may still have been carried
 * out, so before posting again it looks for the version by digest and schemas and takes it if found.
 */
async function createVersionOnce(plan: Plan, client: WriftaiClient, body: CreateVersion, policy: HttpPolicy): Promise<ModelVersion> {
  const model = plan.model!
  const post = async () => {
    const created = await client.createVersion(model, body)
    const version = created ?? (await client.getModel(model))?.latest_version
    if (!version) throw new UserError(`create version of ${formatModelId(model)} succeeded, but the new version could not be read back`)
    return version
  }
  return retryWrite(policy, `create version of ${formatModelId(model)}`, post, () => findPublished(plan, client))
}

/**
 * A write with the shared retry policy: tried again on transient failures only, and, when
 * `alreadyDone` is given, only after it found that the lost attempt did not take effect.
 */
async function retryWrite<T>(policy: HttpPolicy, operation: string, write: () => Promise<T>, alreadyDone?: () => Promise<T | undefined>): Promise<T> {
  const retries = new Retries(policy)
  // A lost write may have been carried out: it is looked for before it is sent again.
  const then = alreadyDone ? 'checking whether it was created, then retrying' : 'retrying'
  for (;;) {
    try {
      return await write()
    } catch (error: unknown) {
      const failure = error instanceof ApiError ? { response: error.response } : { error: error instanceof Error ? error.message : String(error) }
      if (!isTransient(error) || !(await retries.next(operation, failure, then))) throw error
      const done = await alreadyDone?.()
      if (done !== undefined) return done
    }
  }
}

/** The version with the plan's digest and schemas, when the model has one now. */
async function findPublished(plan: Plan, client: WriftaiClient): Promise<ModelVersion | undefined> {
  const live = await client.getModel(plan.model!)
  if (!live) return undefined
  const found = await findVersionByDigest(client, plan.model!, plan.digest!, live, plan.scanVersions)
  return found && sameSchemas(found.schemas, plan.schemas) ? found : undefined
}

function isTransient(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && isTransientStatus(error.status))
}
