import path from 'node:path'
import { errorMessage, UserError } from '../errors.js'
import { countErrors, type Finding } from '../findings.js'
import type { RunContext } from '../github/context.js'
import type { Inputs } from '../github/inputs.js'
import { chooseReleaseNotes, type ReleaseNotes } from '../github/release-notes.js'
import { checkSchemasFile } from '../schemas/check.js'
import type { WriftaiClient } from '../wriftai/client.js'
import { formatModelId, type ModelId } from '../wriftai/identifier.js'
import type { CreateModel, ModelVersionWithDetails, ModelWithDetails, Schemas } from '../wriftai/types.js'
import { findVersionByDigest, sameSchemas } from './published.js'
import type { ImageResolution } from '../registry/resolve.js'
import type { ImageReference } from '../registry/reference.js'
import type { HttpPolicy } from '../http/request.js'

/** What a run would do, decided by reading only. */
export interface Plan {
  mode: 'publish' | 'validate'
  /** The schemas file as shown to the user (workspace-relative when possible). */
  schemasFile: string
  findings: Finding[]
  schemas?: Schemas
  releaseNotes?: ReleaseNotes
  digest?: string
  model?: ModelId
  /** The live model when it exists; publish mode only. */
  existingModel?: ModelWithDetails
  /** The body to create the model with, when it is missing. */
  createModel?: CreateModel
  /** Pages of versions to scan for one with the same digest. */
  scanVersions: number
  /** A version with the same digest and the same schemas: there is nothing to create. */
  published?: ModelVersionWithDetails
  /** A version with the same digest but other schemas: a new version is created beside it. */
  sameDigestVersion?: number
  /** How the image input became the digest, when there is an image input. */
  image?: ImageResolution
  /** Things worth saying that do not fail the run. */
  warnings: string[]
}

export interface PlanDeps {
  /** Absent in validate mode: nothing is sent to WriftAI. */
  client?: WriftaiClient
  /** The HTTP policy for registries (the WriftAI rate limit does not apply to them). */
  registryPolicy: HttpPolicy
  env?: NodeJS.ProcessEnv
}

export async function makePlan(inputs: Inputs, context: RunContext, deps: PlanDeps): Promise<Plan> {
  const schemasFile = displayPath(inputs.schemasFile, context.workspace)
  const { findings, schemas } = await checkSchemasFile(inputs.schemasFile, schemasFile)
  const plan: Plan = {
    mode: inputs.mode,
    schemasFile,
    findings,
    schemas,
    releaseNotes: await chooseReleaseNotes(inputs, context),
    digest: inputs.imageDigest ?? inputs.image?.digest,
    model: inputs.model,
    scanVersions: inputs.scanVersions,
    warnings: [],
  }
  if (countErrors(findings) > 0) return plan
  const imageTask = inputs.image ? resolveImageInput(inputs.image, inputs, deps) : undefined
  if (inputs.mode !== 'publish') {
    // Planning only: a digest that cannot be resolved here (no registry credentials on a pull request) is a warning.
    await imageTask?.then(
      (image) => Object.assign(plan, { image, digest: image.digest }),
      (error: unknown) => plan.warnings.push(`the image digest could not be resolved: ${errorMessage(error)}`),
    )
    return plan
  }
  const { client } = deps
  if (!client || !inputs.model) throw new Error('publishing needs a WriftAI client and a model')

  // The registry and the model are looked up at the same time.
  const [existing, image] = await Promise.all([client.getModel(inputs.model), imageTask])
  plan.existingModel = existing
  if (image) Object.assign(plan, { image, digest: image.digest })
  if (!plan.existingModel) {
    plan.createModel = await planModelCreation(inputs, inputs.model, client)
  } else if (plan.digest) {
    const match = await findVersionByDigest(client, inputs.model, plan.digest, plan.existingModel, inputs.scanVersions)
    if (match && sameSchemas(match.schemas, schemas)) plan.published = match
    else if (match) plan.sameDigestVersion = match.number
  }
  return plan
}

async function planModelCreation(inputs: Inputs, model: ModelId, client: WriftaiClient): Promise<CreateModel> {
  const id = formatModelId(model)
  if (!inputs.createModel) throw new UserError(`model ${id} does not exist and create-model is false; create it first or set create-model: true`)
  if (!inputs.hardware) {
    const hardware = await client.listHardware()
    const choices = hardware.map((h) => h.identifier).join(', ')
    throw new UserError(`hardware: required to create the missing model ${id}${choices ? `; one of: ${choices}` : ''}`)
  }
  const user = await client.getUser()
  if (user.username !== model.owner) {
    throw new UserError(
      `model ${id} does not exist, and it cannot be created: the token belongs to "${user.username}", and models are created under the token's user; use model: ${user.username}/${model.name} or a token of "${model.owner}"`,
    )
  }
  return {
    name: model.name,
    hardware_identifier: inputs.hardware,
    visibility: inputs.visibility,
    ...(inputs.description !== undefined && { description: inputs.description }),
    ...(inputs.sourceUrl !== undefined && { source_url: inputs.sourceUrl }),
    ...(inputs.licenseUrl !== undefined && { license_url: inputs.licenseUrl }),
    ...(inputs.paperUrl !== undefined && { paper_url: inputs.paperUrl }),
  }
}

/** Loaded only when there is an image to resolve, so that a run without one starts faster. */
async function resolveImageInput(image: ImageReference, inputs: Inputs, deps: PlanDeps): Promise<ImageResolution> {
  const { resolveImage } = await import('../registry/resolve.js')
  return resolveImage(image, {
    imageDigest: inputs.imageDigest,
    platform: inputs.platform,
    username: inputs.registryUsername,
    password: inputs.registryPassword,
    insecure: inputs.insecureRegistry,
    policy: deps.registryPolicy,
    env: deps.env,
  })
}

/** Workspace-relative with forward slashes, as GitHub wants annotation paths. */
export function displayPath(file: string, workspace: string | undefined): string {
  const absolute = path.resolve(file)
  const base = workspace ? path.resolve(workspace) : process.cwd()
  const relative = path.relative(base, absolute)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute
}
