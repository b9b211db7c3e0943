// The CLI as people type it, through the committed bundle: files given the same way to every
// command (a path, `-`, a pipe), help and version, one-line usage errors, exit codes a script can
// trust, --out that never overwrites by surprise, and network failures in words.
import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:https'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runCliBundle, type ProcessRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const cli = runCliBundle
const EXAMPLE = path.join(ROOT, 'examples/schemas.json')
const PAIR = (name: string) => [path.join(ROOT, `test/fixtures/diff/${name}/live.json`), path.join(ROOT, `test/fixtures/diff/${name}/new.json`)] as const
const COG = path.join(ROOT, 'test/fixtures/cog/pydantic-v1.openapi.json')
const DIGEST = `sha256:${'ab'.repeat(32)}`

let dir: string
let bad: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-commands-'))
  bad = path.join(dir, 'bad.json')
  await writeFile(bad, '{"prediction": {"input": {"type": "object", "properties": {}}, "output": {"minLength": -1}}}\n')
})

/** Runs a shell line (bash, for process substitution) with the bundle as `wp`. */
function shell(line: string): Promise<ProcessRun> {
  const child = spawn('bash', ['-c', `wp() { "${process.execPath}" "${path.join(ROOT, 'dist/cli.js')}" "$@"; }; ${line}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('files, given the same way to every command', () => {
  it('validate takes the file as an operand', async () => {
    expect(await cli(['validate', 'examples/schemas.json'])).toEqual({ code: 0, stdout: 'examples/schemas.json: valid\n', stderr: '' })
  })

  it('validate - reads standard input, and names it <stdin>', async () => {
    const good = await cli(['validate', '-'], {}, ROOT, await readFile(EXAMPLE, 'utf8'))
    expect(good).toEqual({ code: 0, stdout: '<stdin>: valid\n', stderr: '' })
    const wrong = await cli(['validate', '--schemas', '-'], {}, ROOT, await readFile(bad, 'utf8'))
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toBe('<stdin>:1:75: error[meta-schema]: "minLength" must be >= 0\n')
  })

  it('diff reads standard input and a pipe from process substitution (/dev/fd)', async () => {
    const [live, next] = PAIR('input-max-length-lowered')
    const piped = await cli(['diff', '-', next], {}, ROOT, await readFile(live, 'utf8'))
    expect(piped.code).toBe(1)
    expect(piped.stdout).toContain('was accepted by <stdin> and is now rejected')
    const substituted = await shell(`wp diff <(cat "${live}") "${next}"`)
    expect(substituted.code, substituted.stderr).toBe(1)
    expect(substituted.stdout).toMatch(
      /^.+:8:11: breaking\[length-tightened\]: input "x": "maxLength" 100 → 10; e\.g\. \{"x":"aaaaaaaaaaa"\} was accepted by \/dev\/fd\/\d+ and is now rejected\n1 breaking change\n$/,
    )
  })

  it('refuses a pipe past the 10 MB limit, with exit 2', async () => {
    const run = await shell('wp validate <(head -c 11000000 /dev/zero | tr "\\0" " ")')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^wriftai-publish: schemas-file: \/dev\/fd\/\d+ is larger than 10 MB, the limit\n$/)
  })
})

describe('help and version', () => {
  it.each([
    [['help'], 'Usage:\n  wriftai-publish validate [FILE]'],
    [['--help'], 'Usage:\n  wriftai-publish validate [FILE]'],
    [[], 'Usage:\n  wriftai-publish validate [FILE]'],
    [['help', 'diff'], 'Usage: wriftai-publish diff BEFORE AFTER [--json] [--api-url URL]\n'],
    [['diff', '--help'], 'Usage: wriftai-publish diff BEFORE AFTER [--json] [--api-url URL]\n'],
    [['import-cog', '-h'], 'Usage: wriftai-publish import-cog (OPENAPI_FILE | - | --image IMAGE [--platform P]) [--out FILE [--force]]\n'],
  ])('%j prints its help on standard output and exits 0', async (args, start) => {
    const run = await cli(args)
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout.startsWith(start)).toBe(true)
    expect(run.stdout).toContain('Exit codes: 0 ok; 1 findings, a failed publish, or (diff) something breaks; 2 usage errors')
  })

  it("a command's help lists only its own flags", async () => {
    const run = await cli(['digest', '--help'])
    expect(run.stdout).toContain('Flags: --platform, --registry-username, --registry-password, --insecure-registry, --timeout-seconds, --max-attempts, --json, --help\n')
  })

  it.each([[['version']], [['--version']]])('%j prints the version', async (args) => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'))
    expect(await cli(args)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })
})

describe('exit codes: 0 ok, 1 findings or a failure, 2 usage, bad values and unreadable files', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox()
  })
  afterAll(async () => sandbox.close())

  const cases: Array<[string, () => string[], number]> = [
    ['validate: a good file', () => ['validate', EXAMPLE], 0],
    ['validate: a file with errors', () => ['validate', bad], 1],
    ['validate: a missing file', () => ['validate', path.join(dir, 'none.json')], 2],
    ['validate: a bad option value', () => ['validate', EXAMPLE, '--drift-check', 'loud'], 2],
    ['diff: nothing breaks', () => ['diff', EXAMPLE, EXAMPLE], 0],
    ['diff: something breaks', () => ['diff', ...PAIR('input-enum-value-removed')], 1],
    ['diff: an invalid file', () => ['diff', EXAMPLE, bad], 2],
    ['diff: a missing file', () => ['diff', EXAMPLE, path.join(dir, 'none.json')], 2],
    ['import-cog: a Cog document', () => ['import-cog', COG], 0],
    ['import-cog: a file that is not JSON', () => ['import-cog', path.join(ROOT, 'README.md')], 1],
    ['import-cog: a missing file', () => ['import-cog', path.join(dir, 'none.json')], 2],
    ['digest: a reference that is not one', () => ['digest', 'Not A Reference'], 2],
    ['digest: a registry that refuses the connection', () => ['digest', '127.0.0.1:9/acme/x:1', '--max-attempts', '1'], 1],
    ['publish: a bad visibility', () => ['publish', '--model', 'acme/x', '--image-digest', DIGEST, '--schemas', EXAMPLE, '--visibility', 'secret'], 2],
  ]
  it.each(cases.map(([name, args, code]) => [`${name} → ${code}`, args, code] as const))('%s', async (_name, args, code) => {
    const run = await cli(args(), { WRIFTAI_ACCESS_TOKEN: sandbox.users[0]!.token })
    expect(run.code, run.stderr).toBe(code)
    // A usage error, a bad value, an unreadable file: one line, naming it.
    if (code === 2) expect(run.stderr).toMatch(/^wriftai-publish: [^\n]+\n$/)
  })

  it('publish: a file with errors is 1, and nothing is written', async () => {
    const run = await cli(['publish', '--model', 'acme/x', '--image-digest', DIGEST, '--schemas', bad, '--api-url', sandbox.url, '--hardware', 'cpu'], {
      WRIFTAI_ACCESS_TOKEN: sandbox.users[0]!.token,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(`wriftai-publish: ${bad} has 1 error; nothing was published\n`)
    expect(sandbox.writes()).toEqual([])
  })
})

describe('import-cog --out', () => {
  it('writes a new file and says so; refuses to replace one without --force', async () => {
    const out = path.join(dir, 'converted.json')
    const first = await cli(['import-cog', COG, '--out', out])
    expect(first).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}\n` })
    const converted = await readFile(out, 'utf8')
    await writeFile(out, '{"edited": "by hand"}\n')
    const refused = await cli(['import-cog', COG, '--out', out])
    expect(refused).toEqual({ code: 2, stdout: '', stderr: `wriftai-publish: --out: ${out} exists; give --force to replace it\n` })
    expect(await readFile(out, 'utf8')).toBe('{"edited": "by hand"}\n')
    const forced = await cli(['import-cog', COG, '--out', out, '--force'])
    expect(forced.code).toBe(0)
    expect(await readFile(out, 'utf8')).toBe(converted)
  })
})

describe('network failures in words', () => {
  it('a closed port: connection refused, retried as asked', async () => {
    const run = await cli(['digest', '127.0.0.1:9/acme/x:1', '--max-attempts', '2'])
    expect(run.code).toBe(1)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /^HEAD http:\/\/127\.0\.0\.1:9\/v2\/acme\/x\/manifests\/1: failed: connection refused by 127\.0\.0\.1:9 \(ECONNREFUSED\); retrying in \d\.\d s \(attempt 2 of 2\)$/,
    )
    expect(lines[1]).toBe('wriftai-publish: HEAD http://127.0.0.1:9/v2/acme/x/manifests/1 failed: connection refused by 127.0.0.1:9 (ECONNREFUSED)')
  })

  it('a host name that does not resolve: said once, not retried', async () => {
    // Straight to the resolver: no proxy in between.
    const run = await cli(['digest', 'registry.invalid/acme/x:1'], { HTTPS_PROXY: '', HTTP_PROXY: '' })
    expect(run.code).toBe(1)
    expect(run.stderr).not.toContain('retrying')
    // Without a reachable DNS server the resolver answers "try again" instead: that one is retried.
    if (!run.stderr.includes('EAI_AGAIN')) {
      expect(run.stderr).toBe('wriftai-publish: HEAD https://registry.invalid/v2/acme/x/manifests/1 failed: cannot resolve host registry.invalid (ENOTFOUND)\n')
    }
  })

  it('a self-signed certificate: names it and NODE_EXTRA_CA_CERTS, not retried', async () => {
    const keys = await mkdtemp(path.join(tmpdir(), 'tls-'))
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', path.join(keys, 'key.pem'), '-out', path.join(keys, 'cert.pem')],
      {
        stdio: 'ignore',
      },
    )
    let requests = 0
    const server = createServer({ key: await readFile(path.join(keys, 'key.pem')), cert: await readFile(path.join(keys, 'cert.pem')) }, (_req, res) => {
      requests++
      res.end('{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
    try {
      const run = await cli(['publish', '--model', 'acme/x', '--image-digest', DIGEST, '--schemas', EXAMPLE, '--api-url', url], { WRIFTAI_ACCESS_TOKEN: 'wai_test' })
      expect(run.code).toBe(1)
      expect(run.stderr).toBe(
        `wriftai-publish: GET ${url.replace('/v1', '')}/v1/models/acme/x failed: the TLS certificate of 127.0.0.1 is not trusted here (DEPTH_ZERO_SELF_SIGNED_CERT); a private CA is added with NODE_EXTRA_CA_CERTS=/path/to/ca.pem\n`,
      )
      expect(requests).toBe(0)
    } finally {
      server.close()
    }
  })
})
