import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../src/errors.js'
import { chooseReleaseNotes, cutAtWord, MAX_RELEASE_NOTES } from '../../src/pipeline/release-notes.js'

const TAG = { ref: 'refs/tags/v2.1.0', sha: 'abcdef0123456789' }

describe('chooseReleaseNotes', () => {
  it('prefers the release-notes input', async () => {
    expect(await chooseReleaseNotes({ releaseNotes: '  Faster sampling  ', releaseNotesFile: 'ignored.md' }, TAG)).toEqual({ text: 'Faster sampling', source: 'release-notes' })
  })

  it('reads release-notes-file next', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'notes-'))
    const file = path.join(dir, 'NOTES.md')
    await writeFile(file, 'Adds a seed input.\n')
    expect(await chooseReleaseNotes({ releaseNotesFile: file }, TAG)).toEqual({ text: 'Adds a seed input.', source: 'release-notes-file' })
  })

  it('names the input when the file is missing', async () => {
    const error = await chooseReleaseNotes({ releaseNotesFile: 'does-not-exist.md' }, TAG).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe('release-notes-file: cannot read does-not-exist.md: no such file')
  })

  it('falls back to the pushed tag, then the commit', async () => {
    expect(await chooseReleaseNotes({}, TAG)).toEqual({ text: 'Release v2.1.0', source: 'tag' })
    expect(await chooseReleaseNotes({}, { ref: 'refs/heads/main', sha: 'abcdef0123456789' })).toEqual({ text: 'Release of commit abcdef0', source: 'commit' })
  })

  it('cuts long notes to the API limit and says from how long', async () => {
    const long = 'word '.repeat(100).trim()
    const notes = await chooseReleaseNotes({ releaseNotes: long }, TAG)
    expect([...notes.text].length).toBeLessThanOrEqual(MAX_RELEASE_NOTES)
    expect(notes.text.endsWith('word…')).toBe(true)
    expect(notes.cutFrom).toBe(long.length)
  })
})

describe('cutAtWord', () => {
  it.each([
    ['short text', 20, 'short text'],
    ['exactly twenty chars', 20, 'exactly twenty chars'],
    ['the quick brown fox jumps', 20, 'the quick brown fox…'],
    ['the quick brown fox jumps', 12, 'the quick…'],
    // No boundary in the second half: cut inside the word rather than lose most of the text.
    ['abcdefghijklmnopqrstuvwxyz', 10, 'abcdefghi…'],
    // Counts characters, not UTF-16 units.
    ['😀😀😀 😀😀😀 😀😀😀', 8, '😀😀😀 😀😀😀…'],
  ])('%s (max %i) → %s', (text, max, cut) => {
    expect(cutAtWord(text, max)).toBe(cut)
    expect([...cutAtWord(text, max)].length).toBeLessThanOrEqual(max)
  })
})

describe('release notes from GitHub', () => {
  const url = 'https://github.com/acme/hello/releases/tag/v2.1.0'
  const sources = (release?: { body: string; url: string }, message?: string) => ({ release: async () => release, tagMessage: async () => message })

  it('takes the GitHub Release body, as plain text', async () => {
    const notes = await chooseReleaseNotes({}, TAG, sources({ body: '## Changes\n\n* **New** `seed` input\n* [Docs](https://x)', url }, 'tag message'))
    expect(notes).toEqual({ text: 'Changes New seed input Docs', source: 'github-release', url })
  })

  it("takes the annotated tag's message when the release is missing or empty", async () => {
    expect(await chooseReleaseNotes({}, TAG, sources(undefined, 'Adds _LoRA_ support'))).toEqual({ text: 'Adds LoRA support', source: 'tag-message' })
    expect(await chooseReleaseNotes({}, TAG, sources({ body: '  ', url }, 'From the tag'))).toEqual({ text: 'From the tag', source: 'tag-message' })
  })

  it('falls back to Release <tag>, and asks GitHub nothing without a tag', async () => {
    expect(await chooseReleaseNotes({}, TAG, sources())).toEqual({ text: 'Release v2.1.0', source: 'tag' })
    let asked = false
    const notes = await chooseReleaseNotes(
      {},
      { ref: 'refs/heads/main', sha: 'abcdef0123' },
      { release: async () => ((asked = true), undefined), tagMessage: async () => ((asked = true), undefined) },
    )
    expect(notes.source).toBe('commit')
    expect(asked).toBe(false)
  })

  it('prefers the inputs to anything from GitHub', async () => {
    expect((await chooseReleaseNotes({ releaseNotes: 'From the input' }, TAG, sources({ body: 'From GitHub', url }))).source).toBe('release-notes')
  })

  it('cuts a long release at a word, ending with " … <release URL>" within 255 characters', async () => {
    const body = Array.from({ length: 60 }, (_, i) => `change${i}`).join(' ')
    const notes = await chooseReleaseNotes({}, TAG, sources({ body, url }))
    expect([...notes.text].length).toBeLessThanOrEqual(MAX_RELEASE_NOTES)
    expect(notes.text).toMatch(new RegExp(`^change0 change1 .* change\\d+ … ${url.replace(/[.]/g, '\\.')}$`))
    expect(notes.cutFrom).toBe(body.length)
    // Every word kept is whole.
    const kept = notes.text.slice(0, notes.text.indexOf(' …')).split(' ')
    expect(kept.every((word, i) => word === `change${i}`)).toBe(true)
  })
})
