// Runs the committed bundle the way the GitHub runner does: `node dist/index.js` with INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the workspace as the working directory.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const BUNDLE = path.join(ROOT, 'dist/index.js')

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  workspace: string
}

export interface RunActionOptions {
  /** By their action.yml names, e.g. `schemas-file`. */
  inputs: Record<string, string>
  /** Files to write into the workspace first, by relative path. */
  files?: Record<string, string>
  env?: Record<string, string>
  workspace?: string
}

/** The env a tag push gives a step. */
export function tagPushEnv(tag = 'v1.2.0'): Record<string, string> {
  return {
    GITHUB_REF: `refs/tags/${tag}`,
    GITHUB_REF_NAME: tag,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/hello-world',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  }
}

/** Each input action.yml declares, in its order, with its `default:` when it has one. */
export async function actionInputs(): Promise<{ name: string; default?: string }[]> {
  const text = await readFile(path.join(ROOT, 'action.yml'), 'utf8')
  const inputs = text.slice(text.indexOf('\ninputs:\n'), text.indexOf('\noutputs:\n'))
  return [...inputs.matchAll(/^ {2}([a-z-]+):\n((?: {4}.*\n)*)/gm)].map(([, name, body]) => {
    const value = /^ {4}default: (.*)$/m.exec(body!)?.[1]
    return { name: name!, ...(value !== undefined && { default: value.replace(/^(["'])(.*)\1$/, '$2') }) }
  })
}

let defaults: Record<string, string> | undefined

/** The `default:` of each input in action.yml, which the runner passes to the action as the input's value. */
export async function actionDefaults(): Promise<Record<string, string>> {
  // An expression (github-token's `${{ github.token }}`) is the runner's to fill in; the tests give the GitHub context themselves.
  defaults ??= Object.fromEntries((await actionInputs()).flatMap((input) => (input.default !== undefined && !input.default.includes('${{') ? [[input.name, input.default]] : [])))
  return defaults
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const workspace = options.workspace ?? (await mkdtemp(path.join(tmpdir(), 'publish-version-')))
  for (const [file, content] of Object.entries(options.files ?? {})) await writeFile(path.join(workspace, file), content)
  const outputFile = path.join(workspace, '.github_output')
  const summaryFile = path.join(workspace, '.github_step_summary')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workspace,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: workspace,
    ...NO_INTERNET,
    ...options.env,
  }
  // As the runner does: every input with a default in action.yml arrives set, unless the step sets it.
  for (const [name, value] of Object.entries({ ...(await actionDefaults()), ...options.inputs })) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

  const { code, stdout, stderr } = await runNode([BUNDLE], { cwd: workspace, env })
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    workspace,
  }
}

/**
 * Tests reach loopback only: a run that would talk to another host (the default api-url, a
 * registry on the internet) goes to a proxy on a closed local port instead, and fails there. A
 * test that needs another proxy, or none, sets its own.
 */
export const NO_INTERNET: Record<string, string> = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' }

export interface ProcessRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a script on this Node (the tests' Node 24) and collects what it prints. */
export function runNode(args: string[], options: { cwd?: string; env: Record<string, string>; input?: string }): Promise<ProcessRun> {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
  if (options.input !== undefined) child.stdin!.end(options.input)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** Runs the committed CLI bundle as a user would, with only PATH (and `env`) in its environment. */
export function runCliBundle(args: string[], env: Record<string, string> = {}, cwd = ROOT, input?: string): Promise<ProcessRun> {
  return runNode([path.join(ROOT, 'dist/cli.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...NO_INTERNET, ...env }, ...(input !== undefined && { input }) })
}

/** Reads the `name<<delimiter … delimiter` records that @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (match) {
      const [, name, delimiter] = match as unknown as [string, string, string]
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!)
      outputs[name] = value.join('\n')
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=')
      outputs[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1)
    }
  }
  return outputs
}

/**
 * Where a secret shows up in what a run leaves behind: stdout (beyond the runner's own mask
 * commands), stderr, the job summary and the outputs file. Empty when it shows up nowhere.
 */
export function secretLeaks(run: ActionRun, secrets: readonly string[]): string[] {
  const places: Record<string, string> = {
    stdout: run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
  }
  return secrets.flatMap((secret) =>
    Object.entries(places)
      .filter(([, text]) => text.includes(secret))
      .map(([place]) => `${place} contains ${secret.slice(0, 4)}…`),
  )
}
