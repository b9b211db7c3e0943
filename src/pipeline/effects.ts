import { UserError } from '../errors.js'
import type { WriftaiClient } from '../wriftai/client.js'
import { formatModelId, type ModelId } from '../wriftai/identifier.js'
import type { ModelVersion } from '../wriftai/types.js'
import type { Plan } from './plan.js'

export interface PublishResult {
  model: ModelId
  modelCreated: boolean
  version: ModelVersion
  versionCreated: boolean
}

/** Carries out a publish plan: the only place that writes to WriftAI. */
export async function applyPlan(plan: Plan, client: WriftaiClient): Promise<PublishResult> {
  const { model, schemas, digest, releaseNotes } = plan
  if (!model || !schemas || !digest || !releaseNotes) throw new Error('a publish plan needs a model, schemas, a digest and release notes')

  let modelCreated = false
  if (plan.createModel) {
    await client.createModel(plan.createModel)
    modelCreated = true
  }
  const created = await client.createVersion(model, {
    release_notes: releaseNotes.text,
    schemas,
    container_image_digest: digest,
  })
  const version = created ?? (await client.getModel(model))?.latest_version
  if (!version) throw new UserError(`create version of ${formatModelId(model)} succeeded, but the new version could not be read back`)
  return { model, modelCreated, version, versionCreated: true }
}
