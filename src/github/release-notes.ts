import { readFile } from 'node:fs/promises'
import { UserError } from '../errors.js'
import { tagName, type RunContext } from './context.js'

/** The API's limit on `release_notes`. */
export const MAX_RELEASE_NOTES = 255

export interface ReleaseNotes {
  text: string
  source: 'release-notes' | 'release-notes-file' | 'tag' | 'commit'
  /** Length before cutting, when the text had to be cut. */
  cutFrom?: number
}

/** The first source that is present wins: input, file, then the pushed tag (or commit). */
export async function chooseReleaseNotes(
  inputs: { releaseNotes?: string; releaseNotesFile?: string },
  context: RunContext,
): Promise<ReleaseNotes> {
  if (inputs.releaseNotes) return fit(inputs.releaseNotes, 'release-notes')
  if (inputs.releaseNotesFile) {
    let text: string
    try {
      text = await readFile(inputs.releaseNotesFile, 'utf8')
    } catch (error: unknown) {
      const code = (error as { code?: string }).code
      throw new UserError(`release-notes-file: cannot read ${inputs.releaseNotesFile}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`)
    }
    if (text.trim()) return fit(text, 'release-notes-file')
  }
  const tag = tagName(context)
  if (tag) return fit(`Release ${tag}`, 'tag')
  return fit(context.sha ? `Release of commit ${context.sha.slice(0, 7)}` : 'Release', 'commit')
}

function fit(raw: string, source: ReleaseNotes['source']): ReleaseNotes {
  const text = raw.trim()
  const cut = cutAtWord(text, MAX_RELEASE_NOTES)
  return cut === text ? { text, source } : { text: cut, source, cutFrom: [...text].length }
}

/** Cuts to at most `max` characters at a word boundary and ends with an ellipsis. */
export function cutAtWord(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  const head = chars.slice(0, max - 1)
  // Already at a boundary when the next character is white space; else back up to the last one.
  const endsWord = /\s/.test(chars[max - 1] ?? '')
  const lastSpace = head.findLastIndex((c) => /\s/.test(c))
  const keep = endsWord ? head.length : lastSpace > max / 2 ? lastSpace : head.length
  return `${head.slice(0, keep).join('').trimEnd()}…`
}
