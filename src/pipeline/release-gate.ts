import type { Finding } from '../findings.js'
import type { Schemas } from '../wriftai/types.js'
import { tagName, type RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import { cutAtWord, MAX_RELEASE_NOTES } from './release-notes.js'
import { bumpAllows, bumpOf, nextBreakingVersion, parseVersion, previousRelease, type Bump } from './semver.js'

/** What `fail-on-breaking: semver` found on a version tag. */
export interface SemverCheck {
  tag: string
  /** The highest semantic-version tag below it; none for a first release. */
  previous?: string
  /** How far the tag moves from the previous release; looked up only when the changes need more than a patch. */
  bump?: Bump
  /** Why the tag does not say enough for the changes. */
  failure?: string
}

export interface Gate {
  /** Whether unaccepted breaking changes fail the run. */
  failOnBreaking: boolean
  semver?: SemverCheck
  notice?: string
  warning?: string
}

const ADDED = new Set(['input-added', 'output-added'])
const REMOVED = new Set(['input-removed', 'output-removed', 'deprecated-input-removed', 'deprecated-output-removed', 'section-removed'])
const DEPRECATED = new Set(['input-deprecated', 'output-deprecated'])

/** What a version must bump for these changes: major for an unaccepted break, minor for what was added or retired, patch for the rest. */
export function requiredBump(changes: readonly Finding[], equal: boolean): Bump {
  if (equal) return 'none'
  if (changes.some((c) => c.change?.breaking && !c.change.accepted)) return 'major'
  if (changes.some((c) => ADDED.has(c.rule) || c.rule.startsWith('deprecated-'))) return 'minor'
  return 'patch'
}

/**
 * How breaking changes are gated in this run. `semver`: on a pull request they fail (there is no
 * version yet); on a version tag they need a bump that says so (major, or minor under 0.x) over the
 * previous release; on any other run the check cannot apply and they are warnings.
 */
export async function decideGate(inputs: Pick<Inputs, 'failOnBreaking' | 'mode'>, context: RunContext, required: Bump, listTags?: () => Promise<string[]>): Promise<Gate> {
  const mode = inputs.failOnBreaking
  if (mode !== 'semver') return { failOnBreaking: mode }
  if (inputs.mode === 'validate') return { failOnBreaking: true }
  const tag = tagName(context)
  if (!tag) return { failOnBreaking: false, notice: 'fail-on-breaking: semver applies to a version tag, and this run has none: breaking changes are warnings' }
  const version = parseVersion(tag)
  if (!version) return { failOnBreaking: false, notice: `the tag ${tag} is not a semantic version, so fail-on-breaking: semver does not apply: breaking changes are warnings` }
  // A patch (or nothing) is allowed by any version: the previous release is not even looked up.
  if (required !== 'major' && required !== 'minor') return { failOnBreaking: false, semver: { tag } }
  let tags: string[] = []
  let warning: string | undefined
  try {
    tags = listTags ? await listTags() : []
  } catch (error: unknown) {
    warning = `the previous release could not be found, so ${tag} is checked as a first release: ${(error as Error).message}`
  }
  const previous = previousRelease(version, tags)
  if (!previous) return { failOnBreaking: false, semver: { tag }, ...(warning && { warning }) }
  const bump = bumpOf(previous.version, version)
  const semver: SemverCheck = { tag, previous: previous.tag, bump }
  if (required === 'major' && !bumpAllows(previous.version, bump, 'major')) {
    semver.failure = `breaking changes need a new ${previous.version.major === 0 ? 'minor' : 'major'} version: ${nextBreakingVersion(previous.version, tag.startsWith('v') ? 'v' : '')} (the tag is ${tag})`
  } else if (required === 'minor' && !bumpAllows(previous.version, bump, 'minor')) {
    warning = `${tag} is a ${bump} release after ${previous.tag}, but inputs or outputs were added or retired: that makes a minor release`
  }
  return { failOnBreaking: semver.failure !== undefined, semver, ...(warning && { warning }) }
}

/** A change's message without its counterexample or the version it was compared with. */
function short(c: Finding): string {
  return c.message.replace(/; e\.g\. [\s\S]*$/, '').replace(/ \(compared with [^)]*\)$/, '')
}

/** What changed for callers, as Markdown grouped Breaking, Added, Changed, Deprecated, Removed. */
export function changelog(changes: readonly Finding[]): string {
  const groups: Array<[string, Finding[]]> = [
    ['Breaking', changes.filter((c) => c.change?.breaking && !REMOVED.has(c.rule))],
    ['Added', changes.filter((c) => ADDED.has(c.rule))],
    ['Changed', changes.filter((c) => !c.change?.breaking && !ADDED.has(c.rule) && !REMOVED.has(c.rule) && !DEPRECATED.has(c.rule))],
    ['Deprecated', changes.filter((c) => DEPRECATED.has(c.rule))],
    ['Removed', changes.filter((c) => REMOVED.has(c.rule))],
  ]
  return groups
    .filter(([, list]) => list.length > 0)
    .map(([title, list]) => [`### ${title}`, ...list.map((c) => `- ${short(c)}${c.change?.accepted ? ' (accepted)' : ''}`)].join('\n'))
    .join('\n\n')
}

/** Clauses of the one-line notes: what was added, then what breaks, then the rest. */
function clauses(changes: readonly Finding[]): string[] {
  const plain = (c: Finding) => short(c).replace(/"/g, '')
  const added = changes
    .filter((c) => c.rule === 'input-added')
    .map((c) => /input "([^"]+)"/.exec(c.message)?.[1])
    .filter((n): n is string => n !== undefined)
  const out: string[] = []
  if (added.length > 0) out.push(`Adds input${added.length === 1 ? '' : 's'} ${added.join(', ')}`)
  for (const c of changes.filter((c) => c.change?.breaking)) out.push(`${plain(c)} (breaking)`)
  for (const c of changes.filter((c) => !c.change?.breaking && c.rule !== 'input-added' && c.rule !== 'annotation-changed')) out.push(plain(c))
  return out
}

/**
 * Release notes written from the changes, when no source had any: one line within the API's 255
 * characters, cut after a clause with `…` (and `more` linking where the release is) when it does
 * not fit. Undefined when nothing a caller sees changed.
 */
export function notesFromChanges(changes: readonly Finding[], more?: string): string | undefined {
  const parts = clauses(changes)
  if (parts.length === 0) return undefined
  const whole = parts.join('; ')
  if ([...whole].length <= MAX_RELEASE_NOTES) return whole
  const tail = more ? ` … ${more}` : ' …'
  let text = ''
  for (const part of parts) {
    const next = text ? `${text}; ${part}` : part
    if ([...next].length + [...tail].length > MAX_RELEASE_NOTES) break
    text = next
  }
  return text ? `${text}${tail}` : cutAtWord(whole, MAX_RELEASE_NOTES)
}

/** A first version's notes: what it takes and what it returns. */
export function firstVersionNotes(schemas: Schemas): string {
  const input = schemas.prediction?.input as { properties?: Record<string, unknown> } | undefined
  const names = Object.keys(input?.properties ?? {})
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '')
  const text = `First version: ${names.length} input${names.length === 1 ? '' : 's'}${names.length > 0 ? ` (${shown})` : ''}, output: ${describeOutput(schemas.prediction?.output)}`
  return cutAtWord(text, MAX_RELEASE_NOTES)
}

function describeOutput(node: unknown, depth = 0): string {
  const s = (node && typeof node === 'object' ? node : {}) as Record<string, unknown>
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  if (type === 'string') return s.format === 'uri' || s.format === 'uri-reference' ? 'URL' : 'text'
  if (type === 'array' && depth < 2) {
    const item = describeOutput(s.items, depth + 1)
    return `list of ${item === 'text' ? 'texts' : item === 'URL' ? 'URLs' : item}`
  }
  if (type === 'object') return 'object'
  if (type === 'integer' || type === 'number' || type === 'boolean') return type
  return 'any value'
}
