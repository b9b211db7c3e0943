import { parseArgs } from 'node:util'
import { UserError } from '../errors.js'
import { closest } from '../schemas/keywords.js'

/** A command line that does not say what to do: exit code 2, with a pointer to the command's help. */
export class UsageError extends UserError {
  override name = 'UsageError'
}

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
  'baseline',
  'accept-label',
  'accepted-changes',
  'comment',
  'sync-metadata',
  'categories',
  'overview-file',
] as const

const REGISTRY_FLAGS = ['platform', 'registry-username', 'registry-password', 'insecure-registry', 'timeout-seconds', 'max-attempts'] as const
const BOOLEAN_FLAGS = new Set(['json', 'force', 'help', 'version'])

interface Command {
  /** Its synopsis lines, without the program name. */
  synopsis: string[]
  /** What it does, in a sentence. */
  summary: string
  /** How many operands it takes: at least, at most. */
  operands: [number, number]
  flags: readonly string[]
  /** More lines of its help. */
  details: string[]
}

const SCHEMAS_DETAIL = 'FILE (or --schemas FILE) defaults to schemas.json; - reads standard input, and a pipe such as <(git show HEAD:schemas.json) is read too.'
const EXIT_CODES = 'Exit codes: 0 ok; 1 findings, a failed publish, or (diff) something breaks; 2 usage errors, bad option values and files that cannot be read.'

export const COMMANDS: Record<string, Command> = {
  validate: {
    synopsis: ['validate [FILE] [--image IMAGE [--platform P]] [--model OWNER/NAME] [--json]'],
    summary: 'Checks a schemas file; with --model (and a token) compares it with the live version, with --image with the Cog schema of the image.',
    operands: [0, 1],
    flags: [...INPUT_FLAGS, 'schemas', 'json'],
    details: [
      SCHEMAS_DETAIL,
      'With --model OWNER/NAME and a token (WRIFTAI_ACCESS_TOKEN), the file is compared with the live version for breaking changes; --fail-on-breaking true fails on them.',
      'Every input of the action is a flag of the same name (--drift-check warning, --schemas-from image, …).',
    ],
  },
  publish: {
    synopsis: [
      'publish --model OWNER/NAME (--image IMAGE [--platform P] | --image-digest sha256:…) [--schemas FILE]',
      '        [--hardware ID] [--release-notes TEXT | --release-notes-file FILE] [--json] [any input of the action]',
    ],
    summary: 'Validates, resolves the image digest, creates the model if it is missing, then the new version.',
    operands: [0, 0],
    flags: [...INPUT_FLAGS, 'schemas', 'json'],
    details: ['The token is read from WRIFTAI_ACCESS_TOKEN (or --token). Every input of the action is a flag of the same name.'],
  },
  digest: {
    synopsis: ['digest IMAGE [--platform OS/ARCH[/VARIANT]] [--json]'],
    summary: "Prints the sha256 digest of an image's manifest (or index), read from its registry without a Docker daemon.",
    operands: [1, 1],
    flags: [...REGISTRY_FLAGS, 'json'],
    details: ['Registry credentials come from --registry-username and WRIFTAI_REGISTRY_PASSWORD, else from the Docker config.'],
  },
  diff: {
    synopsis: ['diff BEFORE AFTER [--json] [--api-url URL]'],
    summary: 'Compares two schemas as the gate does: each breaking change with a value that shows it.',
    operands: [2, 2],
    flags: ['json', 'api-url', 'token', 'timeout-seconds', 'max-attempts'],
    details: [
      'Each side is a file, - (standard input), git:REF or git:REF:PATH (the schemas file at a ref of the repository here), or OWNER/NAME[:N] (a live version, the latest without :N; with WRIFTAI_ACCESS_TOKEN, or anonymously for a public model).',
      'wriftai-publish diff git:v1.0.0 schemas.json; wriftai-publish diff acme/sdxl:3 schemas.json',
    ],
  },
  'import-cog': {
    synopsis: ['import-cog (OPENAPI_FILE | - | --image IMAGE [--platform P]) [--out FILE [--force]]'],
    summary: "Converts a Cog model's OpenAPI schema (a file, standard input, or an image's label) into a schemas file.",
    operands: [0, 1],
    flags: ['image', ...REGISTRY_FLAGS, 'out', 'force'],
    details: ['--out refuses to replace an existing file unless --force is given; without --out the file is written to standard output.'],
  },
  help: { synopsis: ['help [COMMAND]'], summary: 'Prints this help, or one command’s.', operands: [0, 1], flags: [], details: [] },
  version: { synopsis: ['version'], summary: 'Prints the version.', operands: [0, 0], flags: [], details: [] },
}

/** The whole usage: every command's synopsis. */
export function usage(): string {
  const lines = ['Usage:']
  for (const command of Object.values(COMMANDS)) {
    for (const [i, line] of command.synopsis.entries()) lines.push(i === 0 ? `  wriftai-publish ${line}` : `  ${' '.repeat('wriftai-publish '.length)}${line}`)
  }
  lines.push('', "Run 'wriftai-publish help COMMAND' for a command's flags.", EXIT_CODES)
  return lines.join('\n')
}

/** One command's help: its synopsis, what it does, its flags. */
export function commandHelp(name: string): string {
  const command = COMMANDS[name]!
  const flags = command.flags.map((f) => `--${f}`)
  return [
    ...command.synopsis.map((line, i) => `${i === 0 ? 'Usage: wriftai-publish ' : '                       '}${line}`),
    '',
    command.summary,
    ...command.details,
    ...(flags.length > 0 ? ['', `Flags: ${flags.join(', ')}, --help`] : []),
    '',
    EXIT_CODES,
  ].join('\n')
}

export interface CommandLine {
  command: string
  operands: string[]
  /** Flags by name: a string, or true for a boolean flag. */
  flags: Map<string, string | true>
}

/** Parses a command line; a command line that does not say what to do is a UsageError, in one line. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const all = new Set<string>(Object.values(COMMANDS).flatMap((c) => c.flags))
  const options = Object.fromEntries(
    [...all, 'help', 'version'].map((name) => [name, { type: BOOLEAN_FLAGS.has(name) ? ('boolean' as const) : ('string' as const), ...(name === 'help' && { short: 'h' }) }]),
  )
  let tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>
  try {
    tokens = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true }).tokens!
  } catch (error: unknown) {
    throw new UsageError(String((error as Error).message).split('\n')[0]!)
  }
  const operands: string[] = []
  const given: Array<{ name: string; value: string | true; raw: string }> = []
  for (const token of tokens) {
    if (token.kind === 'positional') operands.push(token.value)
    else if (token.kind === 'option') given.push({ name: token.name, value: token.value ?? true, raw: token.rawName })
  }
  // `--version` and `--help` before a command stand for the version and help commands.
  const command = operands.shift()
  if (command === undefined && given.some((g) => g.name === 'version')) return { command: 'version', operands: [], flags: new Map() }
  if (command === undefined) return { command: 'help', operands: [], flags: new Map() }
  if (!COMMANDS[command]) {
    const near = closest(command, Object.keys(COMMANDS))
    throw new UsageError(`unknown command "${command}"; ${near ? `did you mean "${near}"? ` : ''}run 'wriftai-publish help' for the commands`)
  }
  const spec = COMMANDS[command]!
  const flags = new Map<string, string | true>()
  const help = `run 'wriftai-publish ${command} --help'`
  for (const { name, value, raw } of given) {
    if (name === 'help') return { command: 'help', operands: [command], flags: new Map() }
    if (!all.has(name) && name !== 'version') {
      const near = closest(name, spec.flags)
      throw new UsageError(`unknown flag ${raw}${near ? `; did you mean --${near}?` : ''} (${help})`)
    }
    if (!spec.flags.includes(name)) throw new UsageError(`${command} does not take ${raw} (${help})`)
    if (flags.has(name)) throw new UsageError(`${raw} is given twice; it takes one value (${help})`)
    if (BOOLEAN_FLAGS.has(name) !== (value === true)) throw new UsageError(BOOLEAN_FLAGS.has(name) ? `${raw} takes no value (${help})` : `${raw} needs a value (${help})`)
    flags.set(name, value)
  }
  const [min, max] = spec.operands
  // import-cog reads a file, or with --image no operand at all.
  const [least, most] = command === 'import-cog' ? (flags.has('image') ? [0, 0] : [1, 1]) : [min, max]
  if (operands.length < least || operands.length > most) {
    const count = (n: number) => ['no arguments', 'one argument', 'two arguments'][n]!
    const expected = least === most ? count(least) : `at most ${count(most)}`
    throw new UsageError(`"${command}" takes ${expected}, not ${operands.length} (${help})`)
  }
  return { command, operands, flags }
}
