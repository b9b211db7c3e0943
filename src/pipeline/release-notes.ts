import { Lexer, type Token } from 'marked'
import { readInputFile } from '../files.js'
import { tagName, type RunContext } from './context.js'

/** The API's limit on `release_notes`. */
export const MAX_RELEASE_NOTES = 255
/** How much Markdown is stripped at most: enough for 255 characters of text after links and markup are gone. */
const MAX_MARKDOWN = 16 * MAX_RELEASE_NOTES
/** How much of a release-notes-file is read; the rest could never reach the notes. */
export const MAX_NOTES_FILE_BYTES = 64 * 1024

export interface ReleaseNotes {
  text: string
  source: 'release-notes' | 'release-notes-file' | 'github-release' | 'tag-message' | 'changes' | 'tag' | 'commit'
  /** Length of the plain text before cutting, when it had to be cut. */
  cutFrom?: number
  /** The GitHub Release the notes came from. */
  url?: string
}

/** Where release notes can come from besides the inputs; each answers undefined when it has none. */
export interface ReleaseSources {
  /** The body and page of the published GitHub Release for a tag. */
  release(tag: string): Promise<{ body: string; url: string } | undefined>
  /** The message of an annotated tag. */
  tagMessage(tag: string): Promise<string | undefined>
}

const NO_SOURCES: ReleaseSources = { release: async () => undefined, tagMessage: async () => undefined }

/**
 * The first source that has notes wins: the release-notes input, release-notes-file, the pushed
 * tag's GitHub Release, the annotated tag's message, then `Release <tag>`. Markdown becomes plain text.
 */
export async function chooseReleaseNotes(
  inputs: { releaseNotes?: string; releaseNotesFile?: string; fileRoot?: string },
  context: RunContext,
  sources: ReleaseSources = NO_SOURCES,
): Promise<ReleaseNotes> {
  if (inputs.releaseNotes) return fitNotes(inputs.releaseNotes, 'release-notes')
  if (inputs.releaseNotesFile) {
    const file = inputs.releaseNotesFile
    const text = readInputFile(file, file, { input: 'release-notes-file', limit: MAX_NOTES_FILE_BYTES, over: 'cut', root: inputs.fileRoot })
    if (plainText(text)) return fitNotes(text, 'release-notes-file')
  }
  const tag = tagName(context)
  if (tag) {
    const release = await sources.release(tag)
    if (release && plainText(release.body)) return fitNotes(release.body, 'github-release', release.url)
    const message = await sources.tagMessage(tag)
    if (message && plainText(message)) return fitNotes(message, 'tag-message')
    return fitNotes(`Release ${tag}`, 'tag')
  }
  return fitNotes(context.sha ? `Release of commit ${context.sha.slice(0, 7)}` : 'Release', 'commit')
}

/**
 * Markdown to one line of plain text, through a CommonMark (GFM) parser's tokens: the text of
 * headings, paragraphs, lists, tables, links and code; an image's alt text; no HTML tags. Only the
 * start of long notes is read: they end at 255 characters anyway.
 */
export function plainText(markdown: string): string {
  const start = markdown.length > MAX_MARKDOWN ? markdown.slice(0, MAX_MARKDOWN) : markdown
  let text: string
  try {
    text = textOf(Lexer.lex(start, { gfm: true }))
  } catch {
    // Block quotes or lists nested thousands deep exhaust the parser's stack: such notes are kept as written.
    text = start
  }
  return text.replace(/\s+/g, ' ').trim()
}

const INLINE = new Set(['text', 'codespan', 'escape', 'strong', 'em', 'link', 'del', 'image'])

function textOf(tokens: readonly Token[]): string {
  const parts: string[] = []
  const visit = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.type === 'html') parts.push(' ')
      else if (token.type === 'image') parts.push(token.text)
      else if (token.type === 'table') {
        for (const cell of [...token.header, ...token.rows.flat()]) {
          visit(cell.tokens)
          parts.push(' ')
        }
      } else if (token.type === 'list') {
        for (const item of token.items) {
          visit(item.tokens)
          parts.push(' ')
        }
      } else if ('tokens' in token && Array.isArray(token.tokens)) visit(token.tokens)
      else if ('text' in token && typeof token.text === 'string') parts.push(unescapeHtml(token.text))
      // Block boundaries (paragraphs, headings, an item's text before its nested list) separate words; inline ones do not.
      if (!INLINE.has(token.type) || (token.type === 'text' && 'tokens' in token)) parts.push(' ')
    }
  }
  visit(tokens)
  return parts.join('')
}

/** Text with the HTML escapes the parser adds (and the common entities authors write) taken out. */
function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!)
}

function fitNotes(raw: string, source: ReleaseNotes['source'], url?: string): ReleaseNotes {
  const text = plainText(raw)
  const length = [...text].length
  if (length <= MAX_RELEASE_NOTES) return { text, source, ...(url && { url }) }
  // Long notes end with a link to the full release when there is one (and it leaves room for text).
  const link = url ? ` … ${url}` : ''
  const room = MAX_RELEASE_NOTES - [...link].length
  const cut = link && room >= 40 ? `${cutWords(text, room)}${link}` : cutAtWord(text, MAX_RELEASE_NOTES)
  return { text: cut, source, cutFrom: length, ...(url && { url }) }
}

/** Cuts to at most `max` characters and ends with an ellipsis, at a word boundary where there is one. */
export function cutAtWord(text: string, max: number): string {
  return [...text].length <= max ? text : `${cutWords(text, max - 1)}…`
}

/** The longest start of `text` within `max` characters that ends at a word boundary (or mid-word when none is near). */
function cutWords(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  const head = chars.slice(0, max)
  // Already at a boundary when the next character is white space; else back up to the last one.
  const endsWord = /\s/.test(chars[max] ?? '')
  const lastSpace = head.findLastIndex((c) => /\s/.test(c))
  const keep = endsWord ? head.length : lastSpace > max / 2 ? lastSpace : head.length
  return head.slice(0, keep).join('').trimEnd()
}
