// Every check of a file a pull request can hold ends, through the bundle: patterns that backtrack
// (however the key is written, with or without nested groups, with escapes RE2 spells otherwise),
// references that fan out, samples of any size, a registry that nests index after index, a notes
// file that makes Markdown parsers slow, and a Cog document with tens of thousands of components.
// How long each takes is measured in `npm run bench -- hostile`; here, that it ends with its finding.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runAction, runCliBundle, tagPushEnv } from '../helpers/run-action.js'
import { startNestedIndexRegistry, type NestedIndexRegistry } from '../registry/nested-index.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const DIGEST = `sha256:${'3c'.repeat(32)}`

/** A schemas file with one input written as `property` (JSON text, so that keys keep their escapes). */
const withInput = (property: string, extra = '') => `{"prediction": {"input": {"type": "object", "properties": {"s": ${property}}${extra}}, "output": {"type": "string"}}}`

async function validate(text: string): Promise<{ code: number | null; out: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bounded-'))
  await writeFile(path.join(dir, 'schemas.json'), text)
  const r = await runCliBundle(['validate', '--schemas', 'schemas.json'], {}, dir)
  return { code: r.code, out: r.stdout + r.stderr }
}

describe('patterns that backtrack', () => {
  const attack = `${'a'.repeat(40)}!`
  it.each([
    ['a key written with an escape', `{"\\u0070attern": "^(a+)+$", "default": "${attack}"}`],
    ['no nested group', `{"pattern": "^${'a*'.repeat(12)}$", "default": "${'a'.repeat(60)}!"}`],
    ['\\u{61} beside a nested quantifier', `{"pattern": "^(\\\\u{61}+)+$", "default": "${attack}"}`],
    ['\\cJ beside a nested quantifier', `{"pattern": "^(a+\\\\cJ?)+$", "default": "${attack}"}`],
    ['[\\b] beside a nested quantifier', `{"pattern": "^(a+[\\\\b]?)+$", "default": "${attack}"}`],
    ['\\p{Script=Latin} beside a nested quantifier', `{"pattern": "^(\\\\p{Script=Latin}+)+$", "default": "${attack}"}`],
  ])('runs %s on RE2, and the default is refused as JavaScript would', async (_name, property) => {
    const r = await validate(withInput(`{"type": "string", ${property.slice(1)}`))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/error\[default-mismatch\]: default "a{20,}\S* does not match its schema: must match pattern/)
  })

  it('checks the names of required properties against a patternProperties key with no nested group', async () => {
    const required = Array.from({ length: 30 }, (_, i) => `"${'a'.repeat(60)}${i}!"`).join(', ')
    const r = await validate(withInput('{"type": "string"}', `, "patternProperties": {"^${'a*'.repeat(12)}$": {"type": "string"}}, "required": [${required}]`))
    expect(r.code).toBe(1)
    expect(r.out.match(/error\[required-unknown\]/g)).toHaveLength(30)
  })
})

describe('references that fan out', () => {
  // L0 … L40, each an allOf of two references to the next: 2^40 paths in about 4 KB.
  const fanOut = (withDefault: boolean) => {
    const defs: Record<string, unknown> = { L40: { type: 'string' } }
    for (let i = 0; i < 40; i++) defs[`L${i}`] = { allOf: [{ $ref: `#/$defs/L${i + 1}` }, { $ref: `#/$defs/L${i + 1}` }] }
    const property = { $ref: '#/$defs/L0', ...(withDefault && { default: 'x' }) }
    return JSON.stringify({ prediction: { input: { type: 'object', properties: { p: property }, $defs: defs }, output: { type: 'string' } } })
  }

  it('leaves the default unchecked with a warning, instead of visiting every path', async () => {
    const r = await validate(fanOut(true))
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      'schemas.json:1:55: warning[too-complex]: the values here are not checked: through its references, checking one value would visit more than 100,123 subschemas',
    )
  })

  it('does not compare such a side, and says so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bounded-'))
    await writeFile(path.join(dir, 'live.json'), fanOut(false))
    await writeFile(path.join(dir, 'new.json'), fanOut(true))
    const r = await runCliBundle(['diff', 'live.json', 'new.json'], {}, dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      'new.json:1:16: info[compatibility-not-proven]: the input schema of live.json was not compared: through its references, checking one value would visit more than 100,000 subschemas beyond its own',
    )
  })
})

describe('samples of any size', () => {
  it('proves a huge minimum with the smallest value, and says a huge maximum is not proven, building neither', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bounded-'))
    const file = (xs: string, s: string) =>
      `{"prediction": {"input": {"type": "object", "properties": {"xs": {"type": "array"${xs}}, "s": {"type": "string"${s}}}}, "output": {"type": "string"}}}`
    await writeFile(path.join(dir, 'live.json'), file(', "maxItems": 400000000', ', "maxLength": 500000000'))
    await writeFile(path.join(dir, 'new.json'), file(', "maxItems": 200000000, "minItems": 200000000', ', "maxLength": 400000000, "minLength": 400000000'))
    const r = await runCliBundle(['diff', 'live.json', 'new.json'], {}, dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('breaking[length-tightened]: input "xs": "minItems" added (200000000); e.g. {"xs":[]} was accepted by live.json and is now rejected')
    expect(r.stdout).toContain('breaking[length-tightened]: input "s": "minLength" added (400000000); e.g. {"s":""} was accepted by live.json and is now rejected')
    expect(r.stdout).toContain(
      'info[compatibility-not-proven]: input "xs": "maxItems" 400000000 → 200000000; a value that shows it would be over 10,000 long, larger than any value checked here, so compatibility is not proven',
    )
  })
})

describe('a registry that nests index after index', () => {
  let registry: NestedIndexRegistry
  beforeEach(async () => {
    registry = await startNestedIndexRegistry()
  })
  afterEach(async () => registry.close())

  it('gives up after 64 requests with one line, and publishes nothing', async () => {
    const sandbox: Sandbox = await startSandbox()
    const { host } = registry
    try {
      const r = await runAction({
        inputs: { token: 'wai_test_acme_token', model: 'acme/hello-world', hardware: 'cpu', 'api-url': sandbox.url, image: `${host}/acme/fan:1.0`, platform: 'linux/amd64' },
        files: { 'schemas.json': await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8') },
        env: tagPushEnv(),
      })
      expect(r.code).toBe(1)
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([`::error::${host} needed more than 64 requests to resolve ${host}/acme/fan; giving up`])
      expect(registry.requests()).toBeLessThanOrEqual(64)
      expect(sandbox.writes()).toEqual([])
    } finally {
      await sandbox.close()
    }
  })
})

describe('release notes that make Markdown slow', () => {
  it('reads a heading of 4,078 spaces as its text', async () => {
    const sandbox = await startSandbox()
    try {
      const r = await runAction({
        inputs: { token: 'wai_test_acme_token', model: 'acme/hello-world', hardware: 'cpu', 'api-url': sandbox.url, 'image-digest': DIGEST, 'release-notes-file': 'NOTES.md' },
        files: { 'schemas.json': await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8'), 'NOTES.md': `#${' '.repeat(4078)}a` },
        env: tagPushEnv(),
      })
      expect(r.code, r.stdout).toBe(0)
      expect(sandbox.models.get('acme/hello-world')!.versions[0]!.release_notes).toBe('a')
    } finally {
      await sandbox.close()
    }
  })
})

describe('a Cog document with 80,000 components', () => {
  it('converts every component the roots reach', async () => {
    const components: Record<string, unknown> = {
      Input: { type: 'object', properties: { c: { $ref: '#/components/schemas/C0' } } },
      Output: { type: 'string' },
    }
    for (let i = 0; i < 80_000; i++) components[`C${i}`] = i < 79_999 ? { type: 'object', properties: { next: { $ref: `#/components/schemas/C${i + 1}` } } } : { type: 'string' }
    const dir = await mkdtemp(path.join(tmpdir(), 'bounded-'))
    await writeFile(path.join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.0.2', components: { schemas: components } }))
    const r = await runCliBundle(['import-cog', 'openapi.json', '--out', 'schemas.json'], {}, dir)
    expect(r.code, r.stderr).toBe(0)
    const written = JSON.parse(await readFile(path.join(dir, 'schemas.json'), 'utf8'))
    expect(Object.keys(written.prediction.input.$defs)).toHaveLength(80_000)
    expect(written.prediction.input.$defs.C79998.properties.next).toEqual({ $ref: '#/$defs/C79999' })
  })
})
