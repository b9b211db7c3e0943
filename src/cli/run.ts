import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { errorMessage, UserError } from '../errors.js'
import { readInputFile } from '../files.js'
import { countErrors, formatFinding, oneLine, type Finding } from '../findings.js'
import { readRunContext } from '../github/context.js'
import { readInputs, type Inputs } from '../pipeline/inputs.js'
import { defaultPolicy, type HttpLog } from '../http/request.js'
import type { CogConversion } from '../cog/convert.js'
import type { Outcome } from '../pipeline/run.js'
import type { ImageResolution } from '../registry/resolve.js'
import { formatModelId } from '../wriftai/identifier.js'
import { VERSION } from '../version.js'

const USAGE = `Usage:
  wriftai-publish validate [--schemas FILE] [--image IMAGE [--platform P]] [--json]
  wriftai-publish publish --model OWNER/NAME (--image IMAGE [--platform P] | --image-digest sha256:…)
                          [--hardware ID] [--api-url URL] [--schemas FILE] [--release-notes TEXT]
                          [--release-notes-file FILE] [--create-model true|false] [--visibility private|public]
                          [--description TEXT] [--source-url URL] [--license-url URL] [--paper-url URL]
                          [--timeout-seconds N] [--max-attempts N] [--scan-versions PAGES] [--json]
  wriftai-publish digest IMAGE [--platform OS/ARCH[/VARIANT]] [--json]
  wriftai-publish diff LIVE_SCHEMAS NEW_SCHEMAS [--json]
  wriftai-publish import-cog (OPENAPI_FILE | - | --image IMAGE [--platform P]) [--out schemas.json]

validate and publish also take --schemas-from file|image and --drift-check error|warning|off: with
--image, the schemas come from (or are checked against) the image's Cog label.

Every input of the action is a flag of the same name (--fail-on-breaking true, --sync-metadata true,
--categories a,b, --overview-file F, --summary true, …). Registry options (publish, validate, digest,
import-cog): --registry-username USER, --insecure-registry true; without them the Docker config is
used. Secrets are best left in the environment, where no process list shows them: WRIFTAI_ACCESS_TOKEN
(--token), WRIFTAI_REGISTRY_PASSWORD (--registry-password), GITHUB_TOKEN (--github-token).
Exit codes: 0 ok, 1 failed (for diff: something breaks callers), 2 usage.`

// Every input of the action is a flag of the same name; `--schemas` is a short form of `--schemas-file`.
export const INPUT_FLAGS = [
  'mode',
  'token',
  'model',
  'schemas-file',
  'schemas-from',
  'drift-check',
  'image',
  'platform',
  'registry-username',
  'registry-password',
  'insecure-registry',
  'image-digest',
  'release-notes',
  'release-notes-file',
  'create-model',
  'hardware',
  'visibility',
  'description',
  'source-url',
  'license-url',
  'paper-url',
  'api-url',
  'timeout-seconds',
  'max-attempts',
  'scan-versions',
  'summary',
  'github-token',
  'fail-on-breaking',
  'sync-metadata',
  'categories',
  'overview-file',
] as const

/** Commands and how many operands each takes. */
const COMMANDS: Record<string, number | undefined> = { validate: 0, publish: 0, digest: 1, diff: 2, 'import-cog': 1 }

/** Where a secret is read when its flag is not given: the environment, where no process list shows it. */
const SECRET_ENV: Record<string, string> = { token: 'WRIFTAI_ACCESS_TOKEN', 'registry-password': 'WRIFTAI_REGISTRY_PASSWORD', 'github-token': 'GITHUB_TOKEN' }

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

/** Runs the CLI and returns its exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error: unknown) {
    io.stderr(`wriftai-publish: ${errorMessage(error)}\n\n${USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.version) {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  const command = positionals[0]
  if (values.help || command === undefined) {
    ;(values.help ? io.stdout : io.stderr)(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  // import-cog reads a file, or with --image no operand at all.
  const operands = command === 'import-cog' && values.image !== undefined ? 0 : COMMANDS[command]
  if (operands === undefined || positionals.length - 1 !== operands) {
    const why = operands === undefined ? `unknown command "${command}"` : `"${command}" takes ${['no arguments', 'one argument', 'two arguments'][operands]}`
    io.stderr(`wriftai-publish: ${why}\n\n${USAGE}\n`)
    return 2
  }

  if (command === 'diff') {
    try {
      return await runDiff(positionals[1]!, positionals[2]!, values.json === true, io)
    } catch (error: unknown) {
      if (values.json) io.stdout(`${JSON.stringify({ ok: false, error: errorMessage(error) }, null, 2)}\n`)
      io.stderr(`wriftai-publish: ${oneLine(errorMessage(error))}\n`)
      return 1
    }
  }
  if (values.out !== undefined && command !== 'import-cog') {
    io.stderr(`wriftai-publish: --out is an option of import-cog only\n\n${USAGE}\n`)
    return 2
  }
  const commandMode = command === 'publish' ? 'publish' : 'validate'
  if (values.mode !== undefined && values.mode !== commandMode && (command === 'publish' || command === 'validate')) {
    io.stderr(`wriftai-publish: --mode ${values.mode} contradicts the ${command} command\n\n${USAGE}\n`)
    return 2
  }
  const flags = new Map<string, string>()
  for (const name of INPUT_FLAGS) {
    const value = values[name]
    if (typeof value === 'string') flags.set(name, value)
  }
  flags.set('mode', commandMode)
  if (command === 'digest') flags.set('image', positionals[1]!)
  if (values.schemas !== undefined && !flags.has('schemas-file')) flags.set('schemas-file', values.schemas)
  try {
    const context = readRunContext()
    const secret = (name: string): string => flags.get(name) ?? (SECRET_ENV[name] ? (process.env[SECRET_ENV[name]] ?? '') : '')
    const inputs = readInputs(secret, { context, requireModel: command === 'publish' })
    if (command === 'digest') return await printDigest(inputs, values.json === true, io)
    if (command === 'import-cog') return await importCog(inputs, positionals[1], values.out, io)
    // Loaded here so that the digest command starts without the schema checker.
    const { runPipeline } = await import('../pipeline/run.js')
    const { githubReleaseSources } = await import('../github/release-sources.js')
    const releaseSources = (warn: (message: string) => void) => githubReleaseSources(context, inputs.githubToken, warn)
    const outcome = await runPipeline(inputs, context, { log: cliLog(io), releaseSources })
    // In a workflow's run step, --summary true writes the job summary as the action does.
    if (values.summary === 'true' && process.env.GITHUB_STEP_SUMMARY) {
      const { renderSummary } = await import('../github/summary.js')
      appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${renderSummary(outcome)}\n`, 'utf8')
    }
    if (values.json) io.stdout(`${JSON.stringify(toJson(outcome), null, 2)}\n`)
    else printHuman(outcome, io)
    return outcome.failure ? 1 : 0
  } catch (error: unknown) {
    if (values.json) io.stdout(`${JSON.stringify({ ok: false, error: errorMessage(error) }, null, 2)}\n`)
    io.stderr(`wriftai-publish: ${oneLine(errorMessage(error))}\n`)
    return 1
  }
}

function parse(argv: string[]) {
  const options = Object.fromEntries(INPUT_FLAGS.map((name) => [name, { type: 'string' as const }])) as Record<(typeof INPUT_FLAGS)[number], { type: 'string' }>
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...options,
      schemas: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  })
}

/** Retries on standard error; with RUNNER_DEBUG=1 (a workflow's debug logging) every request too. */
function cliLog(io: CliIo): HttpLog {
  const line = (text: string) => io.stderr(`${oneLine(text)}\n`)
  return { info: line, ...(process.env.RUNNER_DEBUG === '1' && { debug: line }) }
}

/** The image input resolved as the pipeline resolves it, with the config's labels when asked for. */
async function resolveImageInputs(inputs: Inputs, labels: boolean, io: CliIo): Promise<ImageResolution> {
  const { resolveImageInputs: resolve } = await import('../registry/resolve.js')
  const policy = defaultPolicy({ timeoutMs: inputs.timeoutSeconds * 1000, maxAttempts: inputs.maxAttempts, log: cliLog(io) })
  try {
    return await resolve(inputs, { policy, labels })
  } finally {
    await policy.pool.close()
  }
}

/** The digest command: the pipeline's image step alone. */
async function printDigest(inputs: Inputs, json: boolean, io: CliIo): Promise<number> {
  const image = await resolveImageInputs(inputs, false, io)
  io.stdout(json ? `${JSON.stringify({ ok: true, ...image }, null, 2)}\n` : `${image.digest}\n`)
  return 0
}

/**
 * The import-cog command: a Cog OpenAPI document (a file, standard input, or the label of an image
 * in a registry) converted to a schemas file, written to --out or standard output.
 */
async function importCog(inputs: Inputs, file: string | undefined, out: string | undefined, io: CliIo): Promise<number> {
  const { convertCogDocument, convertCogLabel, COG_SCHEMA_LABEL } = await import('../cog/convert.js')
  let conversion: CogConversion
  if (file === undefined) {
    const image = await resolveImageInputs(inputs, true, io)
    if (image.labelsError !== undefined) throw new UserError(`the config of ${image.reference} could not be read: ${image.labelsError}`)
    const cog = convertCogLabel(image.labels ?? {}, image.reference)
    if (!cog) throw new UserError(`${image.reference} has no "${COG_SCHEMA_LABEL}" label, so it is not an image Cog built`)
    conversion = cog.conversion
  } else {
    const source = file === '-' ? 'standard input' : file
    const { MAX_SCHEMAS_BYTES } = await import('../schemas/document.js')
    const text = file === '-' ? readFileSync(0, 'utf8') : readInputFile(file, file, { input: 'OPENAPI_FILE', limit: MAX_SCHEMAS_BYTES, over: 'refuse' })
    let document: unknown
    try {
      document = JSON.parse(text)
    } catch (error: unknown) {
      throw new UserError(`${source} is not JSON: ${errorMessage(error)}`)
    }
    conversion = convertCogDocument(document, source)
  }
  for (const note of conversion.notes) io.stderr(`note: ${oneLine(note)}\n`)
  if (out === undefined) io.stdout(conversion.text)
  else writeFileSync(out, conversion.text)
  return 0
}

/** The diff command: two local schemas files compared as the gate compares them, with no API. */
async function runDiff(livePath: string, localPath: string, json: boolean, io: CliIo): Promise<number> {
  const { checkSchemasFile } = await import('../schemas/check.js')
  const { compareSchemas } = await import('../pipeline/plan.js')
  const [live, local] = await Promise.all([checkSchemasFile(livePath, livePath, 'LIVE_SCHEMAS'), checkSchemasFile(localPath, localPath, 'NEW_SCHEMAS')])
  const invalid = [live, local].flatMap((c) => c.findings.filter((f) => f.severity === 'error'))
  if (!live.schemas || !local.schemas || !local.document) {
    const files = [...new Set(invalid.map((f) => f.file))]
    const why = `${files.join(' and ')} ${files.length > 1 ? 'are' : 'is'} not a valid schemas file`
    if (json) io.stdout(`${JSON.stringify({ ok: false, error: why, findings: invalid }, null, 2)}\n`)
    else for (const finding of invalid) io.stdout(`${formatFinding(finding)}\n`)
    io.stderr(`wriftai-publish: ${why}\n`)
    return 1
  }
  const changes = await compareSchemas(live.schemas, local.schemas, local.document, livePath, true)
  const breaking = changes.filter((c) => c.change?.breaking).length
  if (json) {
    io.stdout(`${JSON.stringify({ breaking, changes: changes.map(changeJson) }, null, 2)}\n`)
  } else {
    for (const change of changes) io.stdout(`${formatChange(change)}\n`)
    io.stdout(
      `${breaking === 0 ? 'no breaking changes' : `${breaking} breaking change${breaking === 1 ? '' : 's'}`}${changes.length > breaking ? `, ${changes.length - breaking} other` : ''}\n`,
    )
  }
  return breaking > 0 ? 1 : 0
}

/** `file:line:col: breaking[rule]: message` (or `info[…]`). */
function formatChange(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.change?.breaking ? 'breaking' : 'info'}[${f.rule}]: ${oneLine(f.message)}`
}

/** A change as the JSON output gives it. */
function changeJson(f: Finding): Record<string, unknown> {
  const { change } = f
  return {
    rule: f.rule,
    breaking: change?.breaking ?? false,
    section: change?.section,
    side: change?.side,
    pointer: f.pointer,
    livePointer: change?.livePointer,
    line: f.line,
    column: f.column,
    message: f.message,
    ...(change && 'was' in change && { was: change.was }),
    ...(change && 'counterexample' in change && { counterexample: change.counterexample }),
    ...(change?.basis && { basis: change.basis }),
  }
}

function printHuman(outcome: Outcome, io: CliIo): void {
  for (const finding of outcome.plan.findings) io.stdout(`${formatFinding(finding)}\n`)
  for (const change of outcome.plan.changes) io.stdout(`${formatChange(change)}\n`)
  for (const warning of outcome.warnings) io.stderr(`warning: ${oneLine(warning)}\n`)
  if (outcome.failure) {
    io.stderr(`wriftai-publish: ${oneLine(outcome.failure)}\n`)
  } else if (outcome.result) {
    const { result } = outcome
    if (result.modelCreated) io.stdout(`Created model ${formatModelId(result.model)}\n`)
    for (const note of result.notes) io.stdout(`${note}\n`)
    io.stdout(
      `${result.versionCreated ? 'Published' : 'Already published'} ${formatModelId(result.model)}:${result.version.number} (${result.version.container_image_digest})\n${outcome.url ?? ''}\n`,
    )
  } else {
    io.stdout(`${outcome.plan.schemasFile}: valid\n`)
  }
}

function toJson(outcome: Outcome): Record<string, unknown> {
  const { result } = outcome
  return {
    ok: !outcome.failure,
    mode: outcome.plan.mode,
    schemasFile: outcome.plan.schemasFile,
    errors: countErrors(outcome.plan.findings),
    findings: outcome.plan.findings,
    ...(outcome.plan.comparedWith && { comparedWith: outcome.plan.comparedWith, breaking: outcome.plan.breaking, changes: outcome.plan.changes.map(changeJson) }),
    warnings: outcome.warnings,
    ...(outcome.failure && { error: outcome.failure }),
    ...(result && {
      model: formatModelId(result.model),
      version: result.version.number,
      versionId: `${formatModelId(result.model)}:${result.version.number}`,
      imageDigest: result.version.container_image_digest,
      modelCreated: result.modelCreated,
      versionCreated: result.versionCreated,
      notes: result.notes,
      url: outcome.url,
    }),
  }
}
