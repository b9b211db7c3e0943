import { closeSync, constants, existsSync, openSync, writeSync } from 'node:fs'
import { errorMessage, FileError, UserError } from '../errors.js'
import { readInputFile } from '../files.js'
import { formatFinding, oneLine, type Finding } from '../findings.js'
import { defaultPolicy, type HttpLog } from '../http/request.js'
import type { CogConversion } from '../cog/convert.js'
import type { Inputs } from '../pipeline/inputs.js'
import type { ImageResolution } from '../registry/resolve.js'
import { MAX_SCHEMAS_BYTES } from '../schemas/document.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/** Retries on standard error; with RUNNER_DEBUG=1 (a workflow's debug logging) every request too. */
export function cliLog(io: CliIo): HttpLog {
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
export async function printDigest(inputs: Inputs, json: boolean, io: CliIo): Promise<number> {
  const image = await resolveImageInputs(inputs, false, io)
  io.stdout(json ? `${JSON.stringify({ ok: true, ...image }, null, 2)}\n` : `${image.digest}\n`)
  return 0
}

/**
 * The import-cog command: a Cog OpenAPI document (a file, standard input, or the label of an image
 * in a registry) converted to a schemas file, written to --out (never over a file, unless --force)
 * or standard output.
 */
export async function importCog(inputs: Inputs, file: string | undefined, out: { path?: string; force: boolean }, io: CliIo): Promise<number> {
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
    const text = readInputFile(file, source, { input: 'OPENAPI_FILE', limit: MAX_SCHEMAS_BYTES, over: 'refuse' })
    let document: unknown
    try {
      document = JSON.parse(text)
    } catch (error: unknown) {
      throw new UserError(`${source} is not JSON: ${errorMessage(error)}`)
    }
    conversion = convertCogDocument(document, source)
  }
  for (const note of conversion.notes) io.stderr(`note: ${oneLine(note)}\n`)
  if (out.path === undefined) {
    io.stdout(conversion.text)
    return 0
  }
  writeOut(out.path, conversion.text, out.force)
  io.stderr(`wrote ${out.path}\n`)
  return 0
}

/** Writes the converted file: created new unless `force`, so that a hand-edited file is never lost without a word. */
function writeOut(path: string, text: string, force: boolean): void {
  let fd: number
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | (force ? constants.O_TRUNC : constants.O_EXCL), 0o644)
  } catch (error: unknown) {
    const code = (error as { code?: string }).code
    if (code === 'EEXIST') throw new FileError(`--out: ${path} exists; give --force to replace it`)
    throw new FileError(`--out: cannot write ${path}: ${code ?? errorMessage(error)}`)
  }
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

/** Where the diff command reads a side from: a file (or -), a git ref, or a live version. */
export interface DiffOptions {
  json: boolean
  apiUrl?: string
  token?: string
  timeoutSeconds: number
  maxAttempts: number
}

/**
 * The diff command: two schemas compared as the gate compares them. Each side is a file, `-`,
 * `git:REF` or `git:REF:PATH` (the schemas file at a ref of the repository here), or
 * `OWNER/NAME[:N]` (a live version; the latest without `:N`).
 */
export async function runDiff(before: string, after: string, options: DiffOptions, io: CliIo): Promise<number> {
  if (before === '-' && after === '-') throw new FileError('LIVE_SCHEMAS and NEW_SCHEMAS cannot both be standard input')
  const { checkGeneratedSchemas } = await import('../schemas/check.js')
  const { compareSchemas } = await import('../pipeline/comparison.js')
  const defaultPath = [after, before].find((side) => !side.startsWith('git:') && !isLiveSide(side) && side !== '-') ?? 'schemas.json'
  const [liveSide, localSide] = await Promise.all([readSide(before, 'LIVE_SCHEMAS', defaultPath, options, io), readSide(after, 'NEW_SCHEMAS', defaultPath, options, io)])
  // Each side checked as a file is, the pattern engine loaded for the patterns it holds.
  const [live, local] = await Promise.all([checkGeneratedSchemas(liveSide.text, liveSide.name), checkGeneratedSchemas(localSide.text, localSide.name)])
  const invalid = [live, local].flatMap((c) => c.findings.filter((f) => f.severity === 'error'))
  if (!live.schemas || !local.schemas || !local.document) {
    const files = [...new Set(invalid.map((f) => f.file))]
    const why = `${files.join(' and ')} ${files.length > 1 ? 'are' : 'is'} not a valid schemas file`
    if (options.json) io.stdout(`${JSON.stringify({ ok: false, error: why, findings: invalid }, null, 2)}\n`)
    else for (const finding of invalid) io.stdout(`${formatFinding(finding)}\n`)
    // Nothing was compared: a script must not read this as "something breaks".
    throw new FileError(why)
  }
  const changes = await compareSchemas(live.schemas, local.schemas, local.document, liveSide.name, true)
  const breaking = changes.filter((c) => c.change?.breaking).length
  if (options.json) {
    io.stdout(`${JSON.stringify({ breaking, changes: changes.map(changeJson) }, null, 2)}\n`)
  } else {
    for (const change of changes) io.stdout(`${formatChange(change)}\n`)
    io.stdout(
      `${breaking === 0 ? 'no breaking changes' : `${breaking} breaking change${breaking === 1 ? '' : 's'}`}${changes.length > breaking ? `, ${changes.length - breaking} other` : ''}\n`,
    )
  }
  return breaking > 0 ? 1 : 0
}

const LIVE_SIDE = /^([A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*)(?::(\d+))?$/

/** OWNER/NAME or OWNER/NAME:N, and no file of that name here. */
function isLiveSide(side: string): boolean {
  return LIVE_SIDE.test(side) && !existsSync(side)
}

/** One side's text and the name it is shown by. */
async function readSide(side: string, input: string, defaultPath: string, options: DiffOptions, io: CliIo): Promise<{ text: string; name: string }> {
  if (side.startsWith('git:')) {
    const [ref, file] = splitGitSide(side.slice(4), defaultPath)
    const { gitBaselineSource } = await import('../github/git-baseline.js')
    let text: string | undefined
    try {
      text = await gitBaselineSource({}, undefined).readAt(ref, file)
    } catch (error: unknown) {
      throw new FileError(`${input}: ${side} cannot be read: ${errorMessage(error)}`)
    }
    if (text === undefined) throw new FileError(`${input}: ${file} does not exist at ${ref}`)
    return { text, name: side }
  }
  const live = isLiveSide(side) ? LIVE_SIDE.exec(side) : null
  if (live) return { text: await readLiveSide(live[1]!, live[2], input, options, io), name: side }
  const name = side === '-' ? '<stdin>' : side
  return { text: readInputFile(side, name, { input, limit: MAX_SCHEMAS_BYTES, over: 'refuse' }), name }
}

/** `REF` or `REF:PATH` (a ref has no colon; the path is the other side's file, else schemas.json). */
function splitGitSide(rest: string, defaultPath: string): [string, string] {
  const colon = rest.indexOf(':')
  return colon < 0 ? [rest, defaultPath] : [rest.slice(0, colon), rest.slice(colon + 1)]
}

/** A live version's schemas as text: with WRIFTAI_ACCESS_TOKEN, or anonymously for a public model. */
async function readLiveSide(id: string, number: string | undefined, input: string, options: DiffOptions, io: CliIo): Promise<string> {
  const { WriftaiClient } = await import('../wriftai/client.js')
  const { parseModelId } = await import('../wriftai/identifier.js')
  const model = parseModelId(id)
  if (typeof model === 'string') throw new FileError(`${input}: ${model}`)
  const policy = defaultPolicy({ timeoutMs: options.timeoutSeconds * 1000, maxAttempts: options.maxAttempts, log: cliLog(io) })
  try {
    const client = new WriftaiClient({ baseUrl: options.apiUrl ?? 'https://api.wrift.ai/v1', token: options.token, policy })
    const version = number === undefined ? (await client.getModel(model))?.latest_version : await client.getVersion(model, Number(number))
    if (!version?.schemas)
      throw new FileError(
        `${input}: ${id}${number === undefined ? ' has no version' : `:${number} was not found`}${options.token ? '' : ' (without a token, only public models are read)'}`,
      )
    return JSON.stringify(version.schemas, null, 2)
  } finally {
    await policy.pool.close()
  }
}

/** `file:line:col: breaking[rule]: message` (or `info[…]`). */
export function formatChange(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.change?.breaking ? 'breaking' : 'info'}[${f.rule}]: ${oneLine(f.message)}`
}

/** A change as the JSON output gives it. */
export function changeJson(f: Finding): Record<string, unknown> {
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
    ...(change && { fingerprint: change.fingerprint }),
    ...(change?.accepted && { accepted: change.accepted }),
  }
}
