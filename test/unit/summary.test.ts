import { describe, expect, it } from 'vitest'
import { renderSummary, schemasHash } from '../../src/github/summary.js'
import type { Plan } from '../../src/pipeline/plan.js'
import type { Schemas } from '../../src/wriftai/types.js'

describe('schemasHash', () => {
  it('is the CRC-32 of the canonical JSON, whatever the key order', () => {
    // zlib.crc32 of {"prediction":{"input":{"type":"object"},"output":{"type":"string"}}}, computed by Python's zlib.
    const schemas = { prediction: { output: { type: 'string' }, input: { type: 'object' } } } as unknown as Schemas
    expect(schemasHash(schemas)).toBe('crc32:1c3afd5f')
  })

  it('changes when a schema changes', () => {
    const a = { prediction: { input: { type: 'object' }, output: { type: 'string' } } } as unknown as Schemas
    const b = { prediction: { input: { type: 'object' }, output: { type: 'integer' } } } as unknown as Schemas
    expect(schemasHash(a)).not.toBe(schemasHash(b))
  })
})

describe('renderSummary', () => {
  const schemas = {
    prediction: { input: { type: 'object', properties: { stop: { type: 'array', default: ['</s>', 'a|b'], description: 'Stops' } } }, output: { type: 'string' } },
  } as unknown as Schemas
  const plan = (extra: Partial<Plan> = {}): Plan => ({
    mode: 'validate',
    schemasFile: 'schemas.json',
    findings: [],
    changes: [],
    breaking: 0,
    accepted: 0,
    failOnBreaking: false,
    notices: [],
    schemas,
    modelChecked: false,
    scanVersions: 50,
    warnings: [],
    debug: [],
    source: { from: 'file', drift: 'no-image' },
    releaseNotes: { text: 'Release of commit 0123456', source: 'commit' },
    ...extra,
  })

  it('shows values in code spans as written: no HTML entities, no escaped brackets', () => {
    const text = renderSummary({ plan: plan(), warnings: [] })
    expect(text).toContain('| `stop` | array |  | `["</s>","a\\|b"]` | Stops |')
    expect(text).not.toContain('&lt;')
  })

  it('heads a plan with breaking changes apart from a clean one', () => {
    expect(renderSummary({ plan: plan(), warnings: [] })).toMatch(/^## ✅ Plan: schemas.json\n/)
    const breaking = renderSummary({ plan: plan({ breaking: 2, comparedWith: 'acme/llm:3' }), warnings: [] })
    expect(breaking).toMatch(/^## ⚠️ Plan: schemas.json\n\n2 breaking changes against acme\/llm:3: callers may fail once this is published.\n/)
  })

  it('on a pull request, says where the release notes will come from instead of a commit', () => {
    const text = renderSummary({ plan: plan(), warnings: [] })
    expect(text).toContain("| Release notes | set when a tag is pushed: the release-notes input, the tag's GitHub Release, its message, or `Release <tag>` |")
    expect(text).not.toContain('Release of commit')
    expect(renderSummary({ plan: plan({ releaseNotes: { text: 'Adds LoRA', source: 'release-notes' } }), warnings: [] })).toContain('| Release notes | Adds LoRA |')
  })
})
