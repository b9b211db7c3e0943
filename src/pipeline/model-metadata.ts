import { UserError } from '../errors.js'
import { MAX_OVERVIEW_BYTES, readInputFile } from '../files.js'
import type { Inputs } from './inputs.js'
import type { WriftaiClient } from '../wriftai/client.js'
import { formatModelId, type ModelId } from '../wriftai/identifier.js'
import type { CreateModel, ModelWithDetails, UpdateModel } from '../wriftai/types.js'

/**
 * The metadata the inputs set, as the API names it; fields whose input is empty are left out.
 * Defaults (a private model, the repository as its source) apply to a model being created only:
 * the runner passes an input's default as if the user had set it, so none is declared in action.yml.
 */
export async function metadataFromInputs(inputs: Inputs, creating: boolean): Promise<UpdateModel> {
  const sourceUrl = inputs.sourceUrl ?? (creating ? inputs.defaultSourceUrl : undefined)
  const visibility = inputs.visibility ?? (creating ? 'private' : undefined)
  return {
    ...(visibility !== undefined && { visibility }),
    ...(inputs.description !== undefined && { description: inputs.description }),
    ...(sourceUrl !== undefined && { source_url: sourceUrl }),
    ...(inputs.licenseUrl !== undefined && { license_url: inputs.licenseUrl }),
    ...(inputs.paperUrl !== undefined && { paper_url: inputs.paperUrl }),
    ...(inputs.categories !== undefined && { category_slugs: inputs.categories }),
    ...(inputs.overviewFile !== undefined && {
      overview: readInputFile(inputs.overviewFile, inputs.overviewFile, { input: 'overview-file', limit: MAX_OVERVIEW_BYTES, over: 'refuse', root: inputs.fileRoot }),
    }),
  }
}

/** The body to create the missing model with, after checking every value the API would refuse. */
export async function planModelCreation(inputs: Inputs, model: ModelId, client: WriftaiClient): Promise<CreateModel> {
  const id = formatModelId(model)
  if (!inputs.createModel) throw new UserError(`model ${id} does not exist and create-model is false; create it first or set create-model: true`)
  const [hardware, user] = await Promise.all([client.listHardware(), client.getUser()])
  const known = hardware.map((h) => h.identifier)
  if (!inputs.hardware) throw new UserError(`hardware: required to create the missing model ${id}${known.length ? `; one of: ${known.join(', ')}` : ''}`)
  if (known.length > 0 && !known.includes(inputs.hardware)) throw new UserError(`hardware: "${inputs.hardware}" is not a WriftAI hardware identifier; one of: ${known.join(', ')}`)
  if (user.username !== model.owner) {
    throw new UserError(
      `model ${id} does not exist, and it cannot be created: the token belongs to "${user.username}", and models are created under the token's user; use model: ${user.username}/${model.name} or a token of "${model.owner}"`,
    )
  }
  await checkCategories(inputs.categories, client)
  return { name: model.name, hardware_identifier: inputs.hardware, visibility: 'private', ...(await metadataFromInputs(inputs, true)) }
}

/** Only the metadata fields the user set whose value differs from the live model: what sync-metadata patches. */
export async function planMetadataSync(inputs: Inputs, live: ModelWithDetails, client: WriftaiClient): Promise<UpdateModel> {
  const wanted = await metadataFromInputs(inputs, false)
  const patch: UpdateModel = {}
  for (const [field, value] of Object.entries(wanted) as [keyof UpdateModel, unknown][]) {
    const current = field === 'category_slugs' ? (live.categories ?? []).map((c) => c.slug) : live[field as keyof ModelWithDetails]
    const same = Array.isArray(value) && Array.isArray(current) ? [...value].sort().join('\n') === [...current].sort().join('\n') : (current ?? null) === (value ?? null)
    if (!same) Object.assign(patch, { [field]: value })
  }
  if (patch.category_slugs) await checkCategories(patch.category_slugs, client)
  return patch
}

async function checkCategories(slugs: string[] | undefined, client: WriftaiClient): Promise<void> {
  if (!slugs?.length) return
  const known = (await client.listModelCategories()).map((c) => c.slug)
  const unknown = slugs.filter((slug) => !known.includes(slug))
  if (unknown.length > 0)
    throw new UserError(`categories: ${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length === 1 ? 'is not a' : 'are not'} WriftAI category; one of: ${known.join(', ')}`)
}
