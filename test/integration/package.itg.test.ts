// The CLI installed as a user installs it without cloning: the repository packed (what
// `npm install -g github:wriftai/publish-version` fetches), then installed into an empty prefix
// with no registry at all. The bundle is self-contained, so nothing else is downloaded.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runNode } from '../helpers/run-action.js'

describe('the packed package', () => {
  it('holds only what runs, installs offline, and validates from its bin', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'pack-'))
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })) as Array<{
      filename: string
      files: Array<{ path: string }>
    }>
    const files = packed[0]!.files.map((f) => f.path)
    expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'action.yml', 'package.json'])
    expect(files).toContain('dist/cli.js')
    const prefix = path.join(work, 'prefix')
    // No registry: an install that needed a dependency would fail here.
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(work, packed[0]!.filename)], {
      cwd: work,
      env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
      stdio: 'ignore',
    })
    const installed = path.join(prefix, 'lib/node_modules/publish-version')
    expect((await readdir(path.join(installed, 'node_modules')).catch(() => [])).length).toBe(0)
    const bin = path.join(prefix, 'bin/wriftai-publish')
    const run = await runNode([bin, 'validate', path.join(ROOT, 'examples/schemas.json')], { cwd: work, env: { PATH: process.env.PATH ?? '' } })
    expect(run).toEqual({ code: 0, stdout: `${path.join(ROOT, 'examples/schemas.json')}: valid\n`, stderr: '' })
  })
})
