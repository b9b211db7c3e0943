import path from 'node:path'
import { errorMessage } from '../errors.js'
import { countErrors, type Finding } from '../findings.js'
import type { RunContext } from '../github/context.js'
import type { Inputs } from '../github/inputs.js'
import { chooseReleaseNotes, type ReleaseNotes } from '../github/release-notes.js'
import { githubReleaseSources } from '../github/release-sources.js'
import { NetworkError, type HttpPolicy } from '../http/request.js'
import type { ImageReference } from '../registry/reference.js'
import type { ImageResolution } from '../registry/resolve.js'
import { checkSchemasFile } from '../schemas/check.js'
import type { SourceDocument } from '../schemas/document.js'
import { ApiError, type WriftaiClient } from '../wriftai/client.js'
import type { ModelId } from '../wriftai/identifier.js'
import type { CreateModel, ModelVersionWithDetails, ModelWithDetails, Schemas, UpdateModel } from '../wriftai/types.js'
import { planMetadataSync, planModelCreation } from './model-metadata.js'
import { findVersionByDigest, sameSchemas } from './published.js'

/** What a run would do, decided by reading only. */
export interface Plan {
  mode: 'publish' | 'validate'
  /** The schemas file as shown to the user (workspace-relative when possible). */
  schemasFile: string
  /** Validation findings of the schemas file. */
  findings: Finding[]
  /** Changes against the live version, on the local file's lines (breaking ones first). */
  changes: Finding[]
  /** How many of the changes break callers. */
  breaking: number
  /** The live version the schemas were compared with, e.g. "acme/sdxl:3". */
  comparedWith?: string
  schemas?: Schemas
  releaseNotes?: ReleaseNotes
  digest?: string
  model?: ModelId
  /** The live model; undefined when it does not exist or could not be read (validate mode without a token). */
  existingModel?: ModelWithDetails
  /** Whether the model's existence is known (publish mode, or validate mode with a token). */
  modelChecked: boolean
  /** The body to create the model with, when it is missing. */
  createModel?: CreateModel
  /** Metadata fields to update on the existing model (sync-metadata). */
  metadataPatch?: UpdateModel
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
  /** Present when there is a token: validate mode then reads the live model, and never writes. */
  client?: WriftaiClient
  /** The HTTP policy for registries (the WriftAI rate limit does not apply to them). */
  registryPolicy: HttpPolicy
  env?: NodeJS.ProcessEnv
}

export async function makePlan(inputs: Inputs, context: RunContext, deps: PlanDeps): Promise<Plan> {
  const schemasFile = displayPath(inputs.schemasFile, context.workspace)
  const warnings: string[] = []
  // The release notes (a GitHub API call, a git process) are found while the schemas are checked.
  const [{ findings, schemas, document }, releaseNotes] = await Promise.all([
    checkSchemasFile(inputs.schemasFile, schemasFile, 'schemas-file', inputs.fileRoot),
    chooseReleaseNotes(inputs, context, githubReleaseSources(context, inputs.githubToken, (w) => warnings.push(w))),
  ])
  const plan: Plan = {
    mode: inputs.mode,
    schemasFile,
    findings,
    changes: [],
    breaking: 0,
    schemas,
    releaseNotes,
    digest: inputs.imageDigest ?? inputs.image?.digest,
    model: inputs.model,
    modelChecked: false,
    scanVersions: inputs.scanVersions,
    warnings,
  }
  if (countErrors(findings) > 0) return plan
  const publishing = inputs.mode === 'publish'
  const { client } = deps
  const model = inputs.model

  // The registry and the model are looked up at the same time.
  const imageTask = inputs.image ? resolveImageInput(inputs.image, inputs, deps) : undefined
  const modelTask = client && model ? readModel(client, model, publishing, warnings) : undefined
  const [image, existing] = await Promise.all([
    // Planning only, a digest that cannot be resolved (no registry credentials on a pull request) is a warning.
    publishing ? imageTask : imageTask?.catch((error: unknown) => void warnings.push(`the image digest could not be resolved: ${errorMessage(error)}`)),
    modelTask,
  ])
  if (image) Object.assign(plan, { image, digest: image.digest })
  if (modelTask) Object.assign(plan, { existingModel: existing ?? undefined, modelChecked: existing !== null })
  if (plan.existingModel && schemas && document) await compareWithLive(plan, plan.existingModel, schemas, document, inputs.failOnBreaking)
  if (!publishing) return plan
  if (!client || !model) throw new Error('publishing needs a WriftAI client and a model')

  if (!plan.existingModel) {
    plan.createModel = await planModelCreation(inputs, model, client)
    return plan
  }
  if (inputs.syncMetadata) plan.metadataPatch = await planMetadataSync(inputs, plan.existingModel, client)
  if (plan.digest) {
    const match = await findVersionByDigest(client, model, plan.digest, plan.existingModel, inputs.scanVersions)
    if (match && sameSchemas(match.schemas, schemas)) plan.published = match
    else if (match) plan.sameDigestVersion = match.number
  }
  return plan
}

/** The live model; undefined when missing; null when it could not be read in validate mode (which only warns). */
async function readModel(client: WriftaiClient, model: ModelId, publishing: boolean, warnings: string[]): Promise<ModelWithDetails | undefined | null> {
  if (publishing) return client.getModel(model)
  try {
    return await client.getModel(model)
  } catch (error: unknown) {
    if (!(error instanceof ApiError) && !(error instanceof NetworkError)) throw error
    warnings.push(`the live model could not be read, so breaking changes were not checked: ${error.message}`)
    return null
  }
}

/** Annotates what the local schemas change against the live version, breaking changes first. */
async function compareWithLive(plan: Plan, live: ModelWithDetails, schemas: Schemas, document: SourceDocument, failOnBreaking: boolean): Promise<void> {
  const liveSchemas = live.latest_version?.schemas
  if (!liveSchemas) return
  const version = `${live.owner.username}/${live.name}:${live.latest_version!.number}`
  plan.changes = await compareSchemas(liveSchemas, schemas, document, version, failOnBreaking)
  plan.breaking = plan.changes.filter((c) => c.change?.breaking).length
  plan.comparedWith = version
}

/**
 * The changes from `live` to `local` as findings on the local file's lines, breaking ones first.
 * Breaking changes are errors when they fail the run, warnings otherwise; the rest are notices.
 */
export async function compareSchemas(live: Schemas, local: Schemas, document: SourceDocument, liveName: string, failOnBreaking: boolean): Promise<Finding[]> {
  // Loaded only when there is a live version to compare with: a first publish and a plain validate never need it.
  const { diffSchemas } = await import('../schemas/diff/index.js')
  const changes = diffSchemas(live, local, { live: liveName })
  const findings = changes.map((change): Finding => {
    const at = document.locate(change.pointer)
    const { rule, breaking, message, pointer, section, side, livePointer, was, counterexample, basis } = change
    return {
      severity: breaking ? (failOnBreaking ? 'error' : 'warning') : 'notice',
      rule,
      // A counterexample already names the version it was checked against.
      message: counterexample === undefined ? `${message} (compared with ${liveName})` : message,
      pointer,
      file: document.file,
      line: at.line,
      column: at.column,
      change: { section, side, breaking, livePointer, ...('was' in change && { was }), ...(basis && { basis }), ...('counterexample' in change && { counterexample }) },
    }
  })
  const rank = (f: Finding) => (f.severity === 'notice' ? 1 : 0)
  return findings.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column)
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
