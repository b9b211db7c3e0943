import { InputError } from '../errors.js'
import { isLoopback } from '../http/hosts.js'
import { parsePlatform, type Platform } from '../registry/platform.js'
import type { ImageInputs } from '../registry/resolve.js'
import { DIGEST_PATTERN, parseImageReference, type ImageReference } from '../registry/reference.js'
import { parseModelId, type ModelId } from '../wriftai/identifier.js'
import type { Visibility } from '../wriftai/types.js'
import { repositoryUrl, type RunContext } from './context.js'

export type Mode = 'auto' | 'publish' | 'validate'

/** Every input, checked; the image inputs are the registry's own ImageInputs. */
export interface Inputs extends ImageInputs {
  /** publish or validate, with `auto` already decided from the run context. */
  mode: 'publish' | 'validate'
  token?: string
  model?: ModelId
  schemasFile: string
  /** Where the schemas come from: the schemas file, or the Cog label of the image. */
  schemasFrom: 'file' | 'image'
  /** What a difference between the schemas file and the image's Cog schema is. */
  driftCheck: 'error' | 'warning' | 'off'
  releaseNotes?: string
  releaseNotesFile?: string
  createModel: boolean
  hardware?: string
  /** Set only when the input is; a created model is private otherwise. */
  visibility?: Visibility
  description?: string
  /** Set only when the input is. */
  sourceUrl?: string
  /** The source URL a created model gets when source-url is not set: the repository's URL. */
  defaultSourceUrl?: string
  licenseUrl?: string
  paperUrl?: string
  apiUrl: URL
  timeoutSeconds: number
  maxAttempts: number
  scanVersions: number
  summary: boolean
  githubToken?: string
  /** true, false, or semver: breaking changes need a major version tag (on a pull request, they fail). */
  failOnBreaking: boolean | 'semver'
  /** What the schemas are compared with for breaking changes. */
  baseline: { kind: 'auto' | 'live' | 'none' } | { kind: 'git'; ref: string }
  /** A pull request carrying this label passes the breaking-change check. */
  acceptLabel: string
  /** The accepted-changes file, read when it exists. */
  acceptedChanges: string
  /** Whether to keep one pull-request comment. */
  comment: 'auto' | 'always' | 'off'
  syncMetadata: boolean
  /** Category slugs; undefined when the input is not set. */
  categories?: string[]
  overviewFile?: string
  /** The folder that file inputs must resolve into (the action's workspace); the CLI reads any regular file. */
  fileRoot?: string
}

/** Reads one input by its action.yml name; '' when it is not set. */
export type InputSource = (name: string) => string

export const DEFAULT_API_URL = 'https://api.wrift.ai/v1'

export interface ReadInputsOptions {
  context: RunContext
  env?: NodeJS.ProcessEnv
  /** The action always needs `model`; the CLI's validate command does not. */
  requireModel?: boolean
  /** The folder that schemas-file, release-notes-file and overview-file must resolve into. */
  fileRoot?: string
}

/** Reads and checks every input at once; throws one InputError naming each bad input. */
export function readInputs(source: InputSource, options: ReadInputsOptions): Inputs {
  const env = options.env ?? process.env
  const problems: string[] = []
  const text = (name: string): string | undefined => source(name).trim() || undefined
  const problem = (name: string, message: string): undefined => {
    problems.push(`${name}: ${message}`)
    return undefined
  }

  const modeText = text('mode') ?? 'auto'
  const mode = oneOf(modeText, ['auto', 'publish', 'validate'] as const) ?? problem('mode', `"${modeText}" is not one of auto, publish, validate`)
  const decidedMode = mode === 'auto' ? (options.context.ref?.startsWith('refs/tags/') ? 'publish' : 'validate') : (mode ?? 'validate')
  const publishing = decidedMode === 'publish'

  const modelText = text('model')
  let model: ModelId | undefined
  if (modelText) {
    const parsed = parseModelId(modelText)
    model = typeof parsed === 'string' ? problem('model', parsed) : parsed
  } else if (options.requireModel ?? true) {
    problem('model', 'required (owner/name)')
  }

  const token = text('token') ?? (env.WRIFTAI_ACCESS_TOKEN?.trim() || undefined)
  if (publishing && !token) problem('token', 'required to publish; set the token input or WRIFTAI_ACCESS_TOKEN')
  // A secret is never echoed: say only what is wrong with it.
  for (const [name, value] of [
    ['token', token],
    ['registry-password', text('registry-password')],
    ['github-token', text('github-token')],
  ] as const) {
    if (value && /[\u0000-\u001f\u007f]/.test(value)) problem(name, 'contains a line break or another control character; check the secret')
  }

  const imageText = text('image')
  let image: ImageReference | undefined
  if (imageText) {
    const parsed = parseImageReference(imageText)
    image = typeof parsed === 'string' ? problem('image', parsed) : parsed
  }
  const imageDigest = text('image-digest')
  if (imageDigest !== undefined && !DIGEST_PATTERN.test(imageDigest)) {
    problem('image-digest', `"${imageDigest}" is not sha256: followed by 64 lower-case hex characters`)
  } else if (image?.digest && imageDigest && image.digest !== imageDigest) {
    problem('image-digest', `${imageDigest} differs from the digest in image (${image.digest})`)
  }
  if (publishing && !imageText && !imageDigest) problem('image-digest', 'required to publish: set image-digest or image (repository@sha256:…)')

  const schemasFromText = text('schemas-from') ?? 'file'
  const schemasFrom = oneOf(schemasFromText, ['file', 'image'] as const) ?? problem('schemas-from', `"${schemasFromText}" is not one of file, image`)
  if (schemasFrom === 'image' && !imageText) problem('schemas-from', 'image needs the image input: the schemas are read from its Cog label')
  const driftText = text('drift-check') ?? 'error'
  const driftCheck = oneOf(driftText, ['error', 'warning', 'off'] as const) ?? problem('drift-check', `"${driftText}" is not one of error, warning, off`)

  const platformText = text('platform')
  let platform: Platform | undefined
  if (platformText) {
    const parsed = parsePlatform(platformText)
    platform = typeof parsed === 'string' ? problem('platform', parsed) : parsed
    if (platform && !image) problem('platform', 'needs the image input: a platform is picked from the image index')
  }
  const registryUsername = text('registry-username')
  const registryPassword = text('registry-password')
  if (registryUsername && !registryPassword) problem('registry-password', 'required with registry-username')
  if (registryPassword && !registryUsername) problem('registry-username', 'required with registry-password')

  const visibilityText = text('visibility')
  const visibility =
    visibilityText === undefined ? undefined : (oneOf(visibilityText, ['private', 'public'] as const) ?? problem('visibility', `"${visibilityText}" is not one of private, public`))

  const apiUrl = parseApiUrl(text('api-url') ?? (env.WRIFTAI_API_BASE_URL?.trim() || DEFAULT_API_URL), problem)

  const timeoutText = text('timeout-seconds') ?? '30'
  const timeoutSeconds = Number(timeoutText)
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || timeoutSeconds <= 0 || timeoutSeconds > 600) {
    problem('timeout-seconds', `"${timeoutText}" is not a number of seconds between 0 and 600`)
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name) ?? String(fallback)
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problem(name, `"${value}" is not a whole number from ${min} to ${max}`)
      return fallback
    }
    return Number(value)
  }

  const urlInput = (name: string, fallback?: string): string | undefined => {
    const value = text(name) ?? fallback
    if (value !== undefined && !isHttpUrl(value)) return problem(name, `"${redactUrl(value)}" is not an http(s) URL`)
    return value
  }

  const inputs: Inputs = {
    mode: decidedMode,
    token,
    model,
    schemasFile: text('schemas-file') ?? 'schemas.json',
    schemasFrom: schemasFrom ?? 'file',
    driftCheck: driftCheck ?? 'error',
    image,
    imageDigest,
    platform,
    registryUsername,
    registryPassword,
    insecureRegistry: booleanInput('insecure-registry', text('insecure-registry'), false, problem),
    releaseNotes: text('release-notes'),
    releaseNotesFile: text('release-notes-file'),
    createModel: booleanInput('create-model', text('create-model'), true, problem),
    hardware: text('hardware'),
    ...(visibility !== undefined && { visibility }),
    description: text('description'),
    sourceUrl: urlInput('source-url'),
    defaultSourceUrl: repositoryUrl(options.context),
    licenseUrl: urlInput('license-url'),
    paperUrl: urlInput('paper-url'),
    apiUrl: apiUrl ?? new URL(DEFAULT_API_URL),
    timeoutSeconds,
    maxAttempts: integer('max-attempts', 4, 1, 10),
    scanVersions: integer('scan-versions', 50, 0, 1000),
    summary: booleanInput('summary', text('summary'), true, problem),
    githubToken: text('github-token'),
    failOnBreaking: text('fail-on-breaking') === 'semver' ? 'semver' : booleanInput('fail-on-breaking', text('fail-on-breaking'), 'semver', problem, 'true, false or semver'),
    baseline: baselineInput(text('baseline') ?? 'auto', problem),
    acceptLabel: text('accept-label') ?? 'breaking-change-accepted',
    acceptedChanges: text('accepted-changes') ?? '.github/accepted-changes.json',
    comment: oneOf(text('comment') ?? 'auto', ['auto', 'always', 'off'] as const) ?? problem('comment', `"${text('comment')}" is not one of auto, always, off`) ?? 'off',
    syncMetadata: booleanInput('sync-metadata', text('sync-metadata'), false, problem),
    categories: text('categories') === undefined ? undefined : parseList(source('categories')),
    overviewFile: text('overview-file'),
    ...(options.fileRoot !== undefined && { fileRoot: options.fileRoot }),
  }
  if (problems.length > 0) throw new InputError(problems)
  return inputs
}

/** `auto`, `live`, `none` or `git:<ref>` (a ref git can name: no spaces, no leading dash). */
function baselineInput(value: string, problem: (n: string, m: string) => undefined): Inputs['baseline'] {
  if (value === 'auto' || value === 'live' || value === 'none') return { kind: value }
  const ref = value.startsWith('git:') ? value.slice(4) : undefined
  if (ref && /^[^\s-][^\s~^:?*[\\]*(?:[~^]\d*)*$/.test(ref) && !ref.includes('..')) return { kind: 'git', ref }
  problem('baseline', `"${value}" is not auto, live, none or git:<ref>`)
  return { kind: 'auto' }
}

/** A list input: one item per line or comma, blanks dropped. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean)
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined
}

// The YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them.
function booleanInput<T = boolean>(
  name: string,
  value: string | undefined,
  fallback: boolean | T,
  problem: (n: string, m: string) => undefined,
  expected = 'true or false',
): boolean | T {
  if (value === undefined) return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  problem(name, `"${value}" is not ${expected}`)
  return fallback
}

function parseApiUrl(value: string, problem: (n: string, m: string) => undefined): URL | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return problem('api-url', `"${redactUrl(value)}" is not a URL`)
  }
  // Before anything echoes the URL: credentials in it would be printed, and sent on every request.
  if (url.username || url.password) return problem('api-url', 'must not carry credentials (user:password@); the token input is the only credential the API gets')
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return problem('api-url', `"${url.protocol}//${url.host}${url.pathname}" must use https (plain http only for a loopback host)`)
  }
  if (url.search || url.hash) return problem('api-url', 'must not carry a query or a fragment')
  return url
}

/** A URL as it may be shown: any `user:password@` replaced and any query or fragment (`?api_key=…`) left out, whether or not the text parses. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/[^/?#\s]*@/g, '//***@').replace(/[?#][\s\S]*$/, '')
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
