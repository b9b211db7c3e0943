import path from 'node:path'
import { errorMessage, UserError } from '../errors.js'
import { countErrors, type Finding } from '../findings.js'
import type { RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import { chooseReleaseNotes, type ReleaseNotes, type ReleaseSources } from './release-notes.js'
import { NetworkError, type HttpPolicy } from '../http/request.js'
import type { ImageResolution } from '../registry/resolve.js'
import { checkGeneratedSchemas, checkSchemasFile, type SchemasCheck } from '../schemas/check.js'
import type { SourceDocument } from '../schemas/document.js'
import { ApiError, type WriftaiClient } from '../wriftai/client.js'
import type { ModelId } from '../wriftai/identifier.js'
import type { CreateModel, ModelVersionWithDetails, ModelWithDetails, Schemas, UpdateModel } from '../wriftai/types.js'
import { decideBaseline, type BaselineSource } from './baseline.js'
import { compareWithBaseline, gate } from './comparison.js'
import type { SemverCheck } from './release-gate.js'
import type { Bump } from './semver.js'
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
  /** How many of the changes break callers and are not accepted. */
  breaking: number
  /** How many breaking changes the label or the accepted-changes file accepted. */
  accepted: number
  /** What the schemas were compared with: "git:1a2b3c4 (base of #7)", "acme/sdxl:3". */
  comparedWith?: string
  /** Why a comparison that was asked for could not be made (with fail-on-breaking, the run fails). */
  notCompared?: string
  /** Why there was nothing to compare with (a new model, a file new at the base): no failure. */
  nothingToCompare?: string
  /** With a git baseline, the changes since the live version too: information, for the reviewer. */
  liveChanges?: { version: string; changes: Finding[] }
  /** Whether unaccepted breaking changes fail this run (fail-on-breaking, with semver decided). */
  failOnBreaking: boolean
  /** What a version must bump for the changes; undefined when nothing was compared. */
  requiredBump?: Bump
  /** fail-on-breaking: semver on a version tag: the previous release, the bump, and why it is too small. */
  semver?: SemverCheck
  /** What changed for callers, as Markdown (Breaking, Added, Changed, Deprecated, Removed). */
  changelog?: string
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
  /** Things worth knowing, less than warnings (a tag semver cannot read). */
  notices: string[]
  /** Where the schemas came from, and whether they were checked against the image's Cog schema. */
  source: SchemasSource
  /** Lines for the debug log only. */
  debug: string[]
}

export interface SchemasSource {
  from: 'file' | 'image'
  /** The image whose Cog label the schemas came from or were checked against. */
  image?: string
  /** The label's Cog version (run.cog.version). */
  cogVersion?: string
  /** For schemas from the file: whether they were compared with the image's Cog schema, and if not, why. */
  drift?: 'checked' | 'off' | 'no-image' | 'not-cog' | 'unreadable'
}

export interface PlanDeps {
  /** Present when there is a token: validate mode then reads the live model, and never writes. */
  client?: WriftaiClient
  /** The HTTP policy for registries (the WriftAI rate limit does not apply to them). */
  registryPolicy: HttpPolicy
  env?: NodeJS.ProcessEnv
  /** Where release notes come from besides the inputs (the front's: GitHub's Release and tag); none by default. */
  releaseSources?: (warn: (message: string) => void) => ReleaseSources
  /** Reads the schemas file at a git ref, for a git baseline (the front's). */
  baselineSource?: BaselineSource
  /** Today, YYYY-MM-DD (UTC): what an accepted change's `expires` is compared with. */
  today?: string
  /** The repository's tags, for the previous release of a version tag (the front's). */
  releaseTags?: () => Promise<string[]>
}

export async function makePlan(inputs: Inputs, context: RunContext, deps: PlanDeps): Promise<Plan> {
  const warnings: string[] = []
  const debug: string[] = []
  const fromImage = inputs.schemasFrom === 'image'
  const driftCheck = !fromImage && inputs.driftCheck !== 'off'
  // With schemas from the image, the image is read first: its label is the schemas file.
  const imageTask = inputs.image ? resolveImageInput(inputs, deps, fromImage || driftCheck) : undefined
  // Awaited below, after the schemas check; a failure before then must not count as unhandled.
  imageTask?.catch(() => undefined)
  const source: SchemasSource = fromImage ? { from: 'image' } : { from: 'file', ...(!driftCheck ? { drift: 'off' } : !inputs.image && { drift: 'no-image' }) }
  // The release notes (a GitHub API call, a git process) are found while the schemas are checked.
  const [{ findings, schemas, document, file: schemasFile }, releaseNotes] = await Promise.all([
    fromImage ? schemasFromImage(imageTask!, source, warnings) : schemasFromFile(inputs, displayPath(inputs.schemasFile, context.workspace)),
    chooseReleaseNotes(
      inputs,
      context,
      deps.releaseSources?.((w) => warnings.push(w)),
    ),
  ])
  const plan: Plan = {
    mode: inputs.mode,
    schemasFile,
    source,
    debug,
    findings,
    changes: [],
    breaking: 0,
    accepted: 0,
    failOnBreaking: inputs.failOnBreaking !== false,
    schemas,
    releaseNotes,
    digest: inputs.imageDigest ?? inputs.image?.digest,
    model: inputs.model,
    modelChecked: false,
    scanVersions: inputs.scanVersions,
    warnings,
    notices: [],
  }
  if (countErrors(findings) > 0) return plan
  const publishing = inputs.mode === 'publish'
  const { client } = deps
  const model = inputs.model

  // The registry and the model are looked up at the same time.
  const modelTask = client && model ? readModel(client, model, publishing) : undefined
  const [image, existing] = await Promise.all([
    // Planning only, a digest that cannot be resolved (no registry credentials on a pull request) is a warning.
    publishing
      ? imageTask
      : imageTask?.catch((error: unknown) => {
          warnings.push(`the image digest could not be resolved${driftCheck ? ', nor the schemas file compared with it' : ''}: ${errorMessage(error)}`)
          if (driftCheck) source.drift = 'unreadable'
        }),
    modelTask,
  ])
  if (image) {
    const { labels, labelsError, ...resolution } = image
    Object.assign(plan, { image: resolution, digest: image.digest })
    if (driftCheck && labelsError !== undefined) {
      warnings.push(`the schemas file was not compared with the image: its config could not be read: ${labelsError}`)
      source.drift = 'unreadable'
    } else if (driftCheck && schemas && document) {
      await checkDrift(plan, labels ?? {}, schemas, document, inputs.driftCheck === 'error' ? 'error' : 'warning')
    }
  }
  const liveError = typeof existing === 'string' ? existing : undefined
  if (modelTask && liveError === undefined) {
    // Read without a token, a private model looks missing: its existence is then not known.
    Object.assign(plan, { existingModel: existing ?? undefined, modelChecked: Boolean(inputs.token) || existing !== undefined || publishing })
  }
  if (schemas && document) {
    await compareWithBaseline(plan, decideBaseline(inputs, context), inputs, context, deps, { schemas, document, liveError })
    await gate(plan, inputs, context, deps, schemas)
  }
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

/** The schemas file checked, with the path it is shown by. */
async function schemasFromFile(inputs: Inputs, file: string): Promise<SchemasCheck & { file: string }> {
  return { ...(await checkSchemasFile(inputs.schemasFile, file, 'schemas-file', inputs.fileRoot)), file }
}

/** The schemas converted from the image's Cog label, checked as a schemas file would be. */
async function schemasFromImage(imageTask: Promise<ImageResolution>, source: SchemasSource, warnings: string[]): Promise<SchemasCheck & { file: string }> {
  const image = await imageTask.catch((error: unknown) => {
    throw new UserError(`schemas-from: image: the image could not be read: ${errorMessage(error)}`)
  })
  if (image.labelsError !== undefined) throw new UserError(`schemas-from: image: the config of ${image.reference} could not be read: ${image.labelsError}`)
  const { convertCogLabel, COG_SCHEMA_LABEL } = await import('../cog/convert.js')
  const cog = convertCogLabel(image.labels ?? {}, image.reference)
  if (!cog)
    throw new UserError(
      `schemas-from: image: ${image.reference} has no "${COG_SCHEMA_LABEL}" label, so it is not a Cog image; publish its schemas from a file (schemas-from: file)`,
    )
  Object.assign(source, { image: image.reference, ...(cog.cogVersion && { cogVersion: cog.cogVersion }) })
  const file = `${image.reference} (${COG_SCHEMA_LABEL})`
  for (const note of cog.conversion.notes) warnings.push(`the image's Cog schema: ${note}`)
  return { ...(await checkGeneratedSchemas(cog.conversion.text, file)), file }
}

/** Compares the schemas file with the Cog schema the image carries, when it carries one. */
async function checkDrift(plan: Plan, labels: Record<string, string>, schemas: Schemas, document: SourceDocument, severity: 'error' | 'warning'): Promise<void> {
  const image = plan.image!.reference
  const { convertCogLabel, COG_SCHEMA_LABEL } = await import('../cog/convert.js')
  let converted: Schemas
  try {
    const cog = convertCogLabel(labels, image)
    if (!cog) {
      plan.source.drift = 'not-cog'
      plan.debug.push(`${image} has no "${COG_SCHEMA_LABEL}" label (not a Cog image): the schemas file was not compared with it`)
      return
    }
    Object.assign(plan.source, { image, ...(cog.cogVersion && { cogVersion: cog.cogVersion }) })
    converted = cog.conversion.schemas
  } catch (error: unknown) {
    if (!(error instanceof UserError)) throw error
    plan.warnings.push(`the schemas file was not compared with the image: ${error.message}`)
    return
  }
  const { driftFindings } = await import('../cog/drift.js')
  plan.findings.push(...(await driftFindings(schemas, document, converted, { file: plan.schemasFile }, severity)))
  plan.findings.sort((a, b) => a.line - b.line || a.column - b.column)
  plan.source.drift = 'checked'
}

/** The live model; undefined when missing; in validate mode, why it could not be read instead of a failure. */
async function readModel(client: WriftaiClient, model: ModelId, publishing: boolean): Promise<ModelWithDetails | undefined | string> {
  if (publishing) return client.getModel(model)
  try {
    return await client.getModel(model)
  } catch (error: unknown) {
    if (!(error instanceof ApiError) && !(error instanceof NetworkError)) throw error
    return error.message
  }
}

/** Loaded only when there is an image to resolve, so that a run without one starts faster. */
async function resolveImageInput(inputs: Inputs, deps: PlanDeps, labels: boolean): Promise<ImageResolution> {
  const { resolveImageInputs } = await import('../registry/resolve.js')
  return resolveImageInputs(inputs, { policy: deps.registryPolicy, env: deps.env, labels })
}

/** Workspace-relative with forward slashes, as GitHub wants annotation paths. */
export function displayPath(file: string, workspace: string | undefined): string {
  // Standard input, as the CLI reads it with `-`.
  if (file === '-') return '<stdin>'
  const absolute = path.resolve(file)
  const base = workspace ? path.resolve(workspace) : process.cwd()
  const relative = path.relative(base, absolute)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute
}
