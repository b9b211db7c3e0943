import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src/findings.js'
import { changelog, decideGate, firstVersionNotes, notesFromChanges, requiredBump } from '../../src/pipeline/release-gate.js'
import { bumpAllows, bumpOf, compareVersions, nextBreakingVersion, parseVersion, previousRelease } from '../../src/pipeline/semver.js'
import type { Schemas } from '../../src/wriftai/types.js'

function change(rule: string, message: string, breaking = false): Finding {
  return {
    severity: breaking ? 'warning' : 'notice',
    rule,
    message,
    pointer: '/p',
    file: 'schemas.json',
    line: 1,
    column: 1,
    change: { section: 'prediction', side: 'input', breaking, livePointer: '/p', fingerprint: '000000000000' },
  }
}

describe('semantic versions', () => {
  it('reads tags with and without v, and orders pre-releases first', () => {
    expect(parseVersion('v1.4.0')).toEqual({ major: 1, minor: 4, patch: 0 })
    expect(parseVersion('2.0.0-rc.1')).toEqual({ major: 2, minor: 0, patch: 0, prerelease: 'rc.1' })
    expect(parseVersion('release-2026-12')).toBeUndefined()
    expect(parseVersion('v01.2.3')).toBeUndefined()
    expect(compareVersions(parseVersion('2.0.0-rc.1')!, parseVersion('2.0.0')!)).toBeLessThan(0)
  })

  it('finds the previous release: the highest version below, pre-releases and other tags left out', () => {
    const tags = ['v1.0.0', 'v1.3.0', 'v1.3.1-beta', 'v2.0.0', 'latest', 'v1.2.9']
    expect(previousRelease(parseVersion('v1.4.0')!, tags)?.tag).toBe('v1.3.0')
    expect(previousRelease(parseVersion('v1.0.0')!, tags)).toBeUndefined()
  })

  it.each([
    ['v1.3.0', 'v2.0.0', 'major', 'major', true],
    ['v1.3.0', 'v1.4.0', 'minor', 'major', false],
    ['v0.3.0', 'v0.4.0', 'minor', 'major', true],
    ['v0.3.0', 'v0.3.1', 'patch', 'major', false],
    ['v1.3.0', 'v1.3.1', 'patch', 'minor', false],
    ['v1.3.0', 'v1.4.0', 'minor', 'minor', true],
  ] as const)('%s → %s is a %s bump; allows %s: %s', (from, to, bump, required, allowed) => {
    const a = parseVersion(from)!
    expect(bumpOf(a, parseVersion(to)!)).toBe(bump)
    expect(bumpAllows(a, bump, required)).toBe(allowed)
  })

  it('names the next version that may break', () => {
    expect(nextBreakingVersion(parseVersion('v1.3.0')!, 'v')).toBe('v2.0.0')
    expect(nextBreakingVersion(parseVersion('0.3.2')!, '')).toBe('0.4.0')
  })
})

describe('requiredBump', () => {
  it.each([
    ['major', [change('enum-value-removed', 'm', true)], false],
    ['minor', [change('input-added', 'new input "lora_scale"')], false],
    ['minor', [change('deprecated-input-removed', 'input "seed" was removed')], false],
    ['patch', [change('default-changed', 'input "steps": default 30 → 40')], false],
    ['patch', [], false],
    ['none', [], true],
  ] as const)('%s', (bump, changes, equal) => {
    expect(requiredBump(changes, equal)).toBe(bump)
  })

  it('does not count an accepted break', () => {
    const accepted = change('enum-value-removed', 'm', true)
    accepted.change!.accepted = { by: 'label', label: 'ok' }
    expect(requiredBump([accepted], false)).toBe('patch')
  })
})

describe('decideGate', () => {
  const tag = (t: string) => ({ ref: `refs/tags/${t}` })
  it('needs no lookup of the previous release for a patch', async () => {
    let asked = false
    const gate = await decideGate({ failOnBreaking: 'semver', mode: 'publish' }, tag('v1.4.0'), 'patch', async () => ((asked = true), []))
    expect(gate).toEqual({ failOnBreaking: false, semver: { tag: 'v1.4.0' } })
    expect(asked).toBe(false)
  })

  it('warns of a patch tag that adds inputs, and reads a failed tag lookup as a first release', async () => {
    expect((await decideGate({ failOnBreaking: 'semver', mode: 'publish' }, tag('v1.3.1'), 'minor', async () => ['v1.3.0'])).warning).toBe(
      'v1.3.1 is a patch release after v1.3.0, but inputs or outputs were added or retired: that makes a minor release',
    )
    const failed = await decideGate({ failOnBreaking: 'semver', mode: 'publish' }, tag('v1.4.0'), 'major', async () => {
      throw new Error('no remote')
    })
    expect(failed).toEqual({
      failOnBreaking: false,
      semver: { tag: 'v1.4.0' },
      warning: 'the previous release could not be found, so v1.4.0 is checked as a first release: no remote',
    })
  })

  it('fails on a pull request, and keeps true and false as they are', async () => {
    expect(await decideGate({ failOnBreaking: 'semver', mode: 'validate' }, {}, 'major')).toEqual({ failOnBreaking: true })
    expect(await decideGate({ failOnBreaking: true, mode: 'publish' }, tag('v1.0.0'), 'major')).toEqual({ failOnBreaking: true })
    expect(await decideGate({ failOnBreaking: false, mode: 'validate' }, {}, 'major')).toEqual({ failOnBreaking: false })
    expect((await decideGate({ failOnBreaking: 'semver', mode: 'publish' }, {}, 'major')).notice).toMatch(/applies to a version tag/)
  })
})

describe('what changed, in words', () => {
  const changes = [
    change('enum-value-removed', 'input "scheduler" no longer accepts "DDIM"; e.g. {"scheduler":"DDIM"} was accepted by acme/x:3 and is now rejected', true),
    change('input-added', 'new input "lora_scale" (compared with acme/x:3)'),
    change('input-removed', 'input "seed" was removed; callers that send it will fail', true),
    change('default-changed', 'input "steps": default 30 → 40'),
    change('output-deprecated', 'output "nsfw" is now deprecated'),
  ]

  it('groups the changelog: Breaking, Added, Changed, Deprecated, Removed', () => {
    expect(changelog(changes)).toBe(
      [
        '### Breaking',
        '- input "scheduler" no longer accepts "DDIM"',
        '',
        '### Added',
        '- new input "lora_scale"',
        '',
        '### Changed',
        '- input "steps": default 30 → 40',
        '',
        '### Deprecated',
        '- output "nsfw" is now deprecated',
        '',
        '### Removed',
        '- input "seed" was removed; callers that send it will fail',
      ].join('\n'),
    )
  })

  it('writes the notes in one line, and cuts a change-heavy one after a clause within 255 characters', () => {
    expect(notesFromChanges(changes)).toBe(
      'Adds input lora_scale; input scheduler no longer accepts DDIM (breaking); input seed was removed; callers that send it will fail (breaking); input steps: default 30 → 40; output nsfw is now deprecated',
    )
    const many = Array.from({ length: 30 }, (_, i) => change('enum-value-removed', `input "choice_${i}" no longer accepts "value_${i}"`, true))
    const notes = notesFromChanges(many, 'https://github.com/acme/x/tree/v2.0.0')!
    expect([...notes].length).toBeLessThanOrEqual(255)
    expect(notes).toBe(
      'input choice_0 no longer accepts value_0 (breaking); input choice_1 no longer accepts value_1 (breaking); input choice_2 no longer accepts value_2 (breaking); input choice_3 no longer accepts value_3 (breaking) … https://github.com/acme/x/tree/v2.0.0',
    )
    expect(notesFromChanges([change('annotation-changed', 'input "x": "title" changed')])).toBeUndefined()
  })

  it('says what a first version takes and returns', () => {
    const schemas = {
      prediction: {
        input: { type: 'object', properties: Object.fromEntries(['prompt', 'width', 'height', 'steps', 'seed', 'scheduler', 'lora'].map((n) => [n, {}])) },
        output: { type: 'array', items: { type: 'string', format: 'uri' } },
      },
    } as unknown as Schemas
    expect(firstVersionNotes(schemas)).toBe('First version: 7 inputs (prompt, width, height, steps, seed, …), output: list of URLs')
  })
})
