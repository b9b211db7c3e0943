import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { USER_AGENT, VERSION } from '../../src/version.js'

describe('runtime and version', () => {
  it('runs the tests on Node 24, the runtime action.yml declares', async () => {
    expect(process.versions.node.split('.')[0]).toBe('24')
    expect(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')).toMatch(/^\s+using: node24$/m)
    expect((await readFile(new URL('../../.node-version', import.meta.url), 'utf8')).trim()).toBe('24')
  })

  it('keeps the product version equal to package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
    expect(USER_AGENT).toBe(`wriftai-publish-version/${pkg.version}`)
  })
})
