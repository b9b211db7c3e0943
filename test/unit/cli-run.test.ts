// The CLI in this process (the integration tests run the bundle): its parsing, help, exit codes
// and commands, with the output collected.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { commandHelp, parseCommandLine, usage } from '../../src/cli/args.js'
import { runCli } from '../../src/cli/run.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const EXAMPLE = path.join(ROOT, 'examples/schemas.json')

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) })
  return { code, stdout, stderr }
}

describe('parseCommandLine', () => {
  it('reads a command, its operands and its flags', () => {
    const line = parseCommandLine(['validate', 'a.json', '--json', '--drift-check', 'off'])
    expect(line).toEqual({
      command: 'validate',
      operands: ['a.json'],
      flags: new Map<string, string | true>([
        ['json', true],
        ['drift-check', 'off'],
      ]),
    })
  })

  it.each([
    [['--version'], 'version'],
    [[], 'help'],
    [['diff', '-h'], 'help'],
  ])('%j is the %s command', (args, command) => {
    expect(parseCommandLine(args).command).toBe(command)
  })

  it.each([
    [['validate', '--schema', 'x'], 'unknown flag --schema; did you mean --schemas?'],
    [['digest', 'x', '--model', 'a/b'], 'digest does not take --model'],
    [['validate', '--json', '--json'], '--json is given twice'],
    [['import-cog'], '"import-cog" takes one argument, not 0'],
    [['import-cog', 'a', '--image', 'x'], '"import-cog" takes no arguments, not 1'],
    [['publish', 'x'], '"publish" takes no arguments, not 1'],
  ])('refuses %j', (args, message) => {
    expect(() => parseCommandLine(args)).toThrow(message)
  })

  it('has help for every command, and a usage naming each', () => {
    for (const name of ['validate', 'publish', 'digest', 'diff', 'import-cog', 'help', 'version']) {
      expect(commandHelp(name)).toMatch(new RegExp(`^Usage: wriftai-publish ${name}`))
      expect(usage()).toContain(`wriftai-publish ${name}`)
    }
  })
})

describe('runCli', () => {
  it('validates, with 0 for a good file and 2 for a missing one', async () => {
    expect(await cli(['validate', EXAMPLE, '--baseline', 'none'])).toEqual({ code: 0, stdout: `${path.relative(process.cwd(), EXAMPLE)}: valid\n`, stderr: '' })
    const missing = await cli(['validate', path.join(tmpdir(), 'none-such.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^wriftai-publish: schemas-file: cannot read .*none-such\.json: no such file\n$/)
  })

  it('prints JSON with notices apart from findings', async () => {
    const run = await cli(['validate', EXAMPLE, '--json', '--baseline', 'none'])
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, mode: 'validate', errors: 0, findings: [], notices: [] })
  })

  it('diffs two files: 1 when something breaks, with fingerprints in JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-run-'))
    const next = JSON.parse(await readFile(EXAMPLE, 'utf8'))
    next.prediction.input.properties.max_new_tokens.maximum = 1024
    await writeFile(path.join(dir, 'new.json'), JSON.stringify(next, null, 2))
    const run = await cli(['diff', EXAMPLE, path.join(dir, 'new.json'), '--json'])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).changes).toEqual([expect.objectContaining({ rule: 'maximum-lowered', fingerprint: '799b6143cb56', basis: 'counterexample' })])
  })

  it('imports a Cog document, refusing to replace a file without --force', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cli-run-'))
    const out = path.join(dir, 'schemas.json')
    const cog = path.join(ROOT, 'test/fixtures/cog/pydantic-v2.openapi.json')
    expect(await cli(['import-cog', cog, '--out', out])).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}\n` })
    const again = await cli(['import-cog', cog, '--out', out])
    expect(again).toEqual({ code: 2, stdout: '', stderr: `wriftai-publish: --out: ${out} exists; give --force to replace it\n` })
    expect((await cli(['import-cog', cog, '--out', out, '--force'])).code).toBe(0)
  })

  it('answers help and version, and refuses a contradicting --mode with 2', async () => {
    expect((await cli(['help', 'diff'])).stdout).toBe(`${commandHelp('diff')}\n`)
    expect((await cli(['version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
    expect(await cli(['help', 'nope'])).toEqual({ code: 2, stdout: '', stderr: 'wriftai-publish: unknown command "nope"; run \'wriftai-publish help\' for the commands\n' })
    const mode = await cli(['validate', EXAMPLE, '--mode', 'publish'])
    expect(mode.code).toBe(2)
  })
})
