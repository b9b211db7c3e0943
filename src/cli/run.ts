import { appendFileSync } from 'node:fs'
import { errorMessage, FileError, InputError } from '../errors.js'
import { countErrors, formatFinding, oneLine } from '../findings.js'
import { readRunContext } from '../github/context.js'
import { readInputs } from '../pipeline/inputs.js'
import type { Outcome } from '../pipeline/run.js'
import { formatModelId } from '../wriftai/identifier.js'
import { VERSION } from '../version.js'
import { COMMANDS, commandHelp, INPUT_FLAGS, parseCommandLine, usage, UsageError, type CommandLine } from './args.js'
import { changeJson, cliLog, formatChange, importCog, printDigest, runDiff, type CliIo } from './commands.js'

export { INPUT_FLAGS } from './args.js'
export type { CliIo } from './commands.js'

/** Where a secret is read when its flag is not given: the environment, where no process list shows it. */
const SECRET_ENV: Record<string, string> = { token: 'WRIFTAI_ACCESS_TOKEN', 'registry-password': 'WRIFTAI_REGISTRY_PASSWORD', 'github-token': 'GITHUB_TOKEN' }

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

/**
 * Runs the CLI and returns its exit code: 0 ok; 1 findings, a failed publish or (diff) a breaking
 * change; 2 a usage error, a bad option value or a file that cannot be read.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let line: CommandLine
  try {
    line = parseCommandLine(argv)
  } catch (error: unknown) {
    io.stderr(`wriftai-publish: ${oneLine(errorMessage(error))}\n`)
    return 2
  }
  const { command, operands, flags } = line
  const json = flags.get('json') === true
  if (command === 'version') {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  if (command === 'help') {
    const about = operands[0]
    if (about !== undefined && !COMMANDS[about]) {
      io.stderr(`wriftai-publish: unknown command "${about}"; run 'wriftai-publish help' for the commands\n`)
      return 2
    }
    io.stdout(`${about === undefined ? usage() : commandHelp(about)}\n`)
    return 0
  }
  try {
    if (command === 'diff') {
      const { readInputs } = await import('../pipeline/inputs.js')
      // The flags diff takes are checked as the action's inputs of the same names.
      const given = (name: string) => (typeof flags.get(name) === 'string' ? (flags.get(name) as string) : name === 'token' ? (process.env.WRIFTAI_ACCESS_TOKEN ?? '') : '')
      const inputs = readInputs(given, { context: {}, requireModel: false })
      return await runDiff(
        operands[0]!,
        operands[1]!,
        { json, apiUrl: inputs.apiUrl.href, token: inputs.token, timeoutSeconds: inputs.timeoutSeconds, maxAttempts: inputs.maxAttempts },
        io,
      )
    }
    return await runWithInputs(line, io)
  } catch (error: unknown) {
    if (json) io.stdout(`${JSON.stringify({ ok: false, error: errorMessage(error) }, null, 2)}\n`)
    io.stderr(`wriftai-publish: ${oneLine(errorMessage(error))}\n`)
    return error instanceof UsageError || error instanceof InputError || error instanceof FileError ? 2 : 1
  }
}

/** The commands that read the action's inputs: validate, publish, digest, import-cog. */
async function runWithInputs({ command, operands, flags }: CommandLine, io: CliIo): Promise<number> {
  const json = flags.get('json') === true
  const commandMode = command === 'publish' ? 'publish' : 'validate'
  const mode = flags.get('mode')
  if (mode !== undefined && mode !== commandMode) throw new UsageError(`--mode ${mode} contradicts the ${command} command (run 'wriftai-publish ${command} --help')`)
  const values = new Map<string, string>()
  for (const name of INPUT_FLAGS) {
    const value = flags.get(name)
    if (typeof value === 'string') values.set(name, value)
  }
  values.set('mode', commandMode)
  if (command === 'digest') values.set('image', operands[0]!)
  const schemas = flags.get('schemas') ?? operands[0]
  if (command === 'validate' && operands[0] !== undefined && (flags.has('schemas') || flags.has('schemas-file'))) {
    throw new UsageError(`validate takes the schemas file once: as FILE or as --schemas, not both (run 'wriftai-publish validate --help')`)
  }
  if (typeof schemas === 'string' && !values.has('schemas-file')) values.set('schemas-file', schemas)
  const context = readRunContext()
  const secret = (name: string): string => values.get(name) ?? (SECRET_ENV[name] ? (process.env[SECRET_ENV[name]] ?? '') : '')
  const inputs = readInputs(secret, { context, requireModel: command === 'publish' })
  if (command === 'digest') return await printDigest(inputs, json, io)
  if (command === 'import-cog') return await importCog(inputs, operands[0], { path: flags.get('out') as string | undefined, force: flags.get('force') === true }, io)
  // Loaded here so that the digest command starts without the schema checker.
  const { runPipeline } = await import('../pipeline/run.js')
  const { githubReleaseSources } = await import('../github/release-sources.js')
  const releaseSources = (warn: (message: string) => void) => githubReleaseSources(context, inputs.githubToken, warn)
  const { gitBaselineSource, gitReleaseTags } = await import('../github/git-baseline.js')
  const outcome = await runPipeline(inputs, context, {
    log: cliLog(io),
    releaseSources,
    baselineSource: gitBaselineSource(context, inputs.githubToken),
    releaseTags: gitReleaseTags(context, inputs.githubToken),
  })
  // In a workflow's run step, --summary true writes the job summary as the action does.
  if (values.get('summary') === 'true' && process.env.GITHUB_STEP_SUMMARY) {
    const { renderSummary } = await import('../github/summary.js')
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${renderSummary(outcome)}\n`, 'utf8')
  }
  if (json) io.stdout(`${JSON.stringify(toJson(outcome), null, 2)}\n`)
  else printHuman(outcome, io)
  return outcome.failure ? 1 : 0
}

function printHuman(outcome: Outcome, io: CliIo): void {
  for (const finding of outcome.plan.findings) io.stdout(`${formatFinding(finding)}\n`)
  for (const change of outcome.plan.changes) io.stdout(`${formatChange(change)}\n`)
  for (const notice of outcome.plan.notices) io.stderr(`notice: ${oneLine(notice)}\n`)
  for (const warning of outcome.warnings) io.stderr(`warning: ${oneLine(warning)}\n`)
  if (outcome.failure) {
    if (outcome.toAccept) io.stderr(`To accept these breaking changes on the record, add to the accepted-changes file, each with its reason:\n${outcome.toAccept}\n`)
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
    ...(outcome.plan.comparedWith && {
      comparedWith: outcome.plan.comparedWith,
      breaking: outcome.plan.breaking,
      accepted: outcome.plan.accepted,
      changes: outcome.plan.changes.map(changeJson),
    }),
    ...(outcome.plan.notCompared && { notCompared: { reason: outcome.plan.notCompared } }),
    ...(outcome.plan.nothingToCompare && { nothingToCompare: outcome.plan.nothingToCompare }),
    ...(outcome.toAccept && { toAccept: outcome.toAccept }),
    ...(outcome.plan.requiredBump && { requiredBump: outcome.plan.requiredBump }),
    ...(outcome.plan.changelog && { changelog: outcome.plan.changelog }),
    ...(outcome.plan.semver && { semver: outcome.plan.semver }),
    ...(outcome.plan.notices.length > 0 && { runNotes: outcome.plan.notices }),
    // About the run itself (an image that could not be read, notes cut short), apart from the findings' warning severity.
    notices: outcome.warnings,
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
