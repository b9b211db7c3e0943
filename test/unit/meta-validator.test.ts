import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { GENERATED, metaValidatorSource } from '../../scripts/generate-meta-validator.ts'

describe('the ahead-of-time meta-schema validator', () => {
  it('matches what the installed ajv generates (run scripts/generate-meta-validator.ts when not)', async () => {
    expect(await readFile(GENERATED, 'utf8')).toBe(metaValidatorSource())
  })
})
