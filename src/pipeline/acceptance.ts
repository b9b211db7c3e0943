import { existsSync } from 'node:fs'
import path from 'node:path'
import { readInputFile } from '../files.js'
import type { Finding, Severity } from '../findings.js'
import { parseJson, type SourceDocument } from '../schemas/document.js'
import type { RunContext } from './context.js'
import type { Inputs } from './inputs.js'

/** The accepted-changes file is small: a list of fingerprints with reasons. */
const MAX_ACCEPTED_BYTES = 256 * 1024
const FINGERPRINT = /^[0-9a-f]{12}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

interface Entry {
  fingerprint: string
  reason: string
  expires?: string
  pointer: string
  used: boolean
}

/** How breaking changes are accepted in this run: by the pull request's label, or by entries of the committed file. */
export interface Acceptance {
  /** The accept label, when the pull request carries it. */
  label?: string
  /** Entries that accept: with a reason, not expired. */
  entries: Entry[]
  /** What is wrong in the file: an error for a file that cannot be read as one, a warning for an entry that accepts nothing. */
  findings: Finding[]
  document?: SourceDocument
}

/**
 * Reads what accepts breaking changes: the label (from the event payload: no API call) and the
 * accepted-changes file, when it exists, under the rules of every input file. `today` is the
 * date an entry's `expires` is compared with (YYYY-MM-DD, UTC).
 */
export function readAcceptance(inputs: Pick<Inputs, 'acceptLabel' | 'acceptedChanges' | 'fileRoot'>, context: RunContext, today: string): Acceptance {
  const acceptance: Acceptance = { entries: [], findings: [] }
  if (context.pullRequest?.labels.includes(inputs.acceptLabel)) acceptance.label = inputs.acceptLabel
  const file = inputs.acceptedChanges
  const location = path.resolve(inputs.fileRoot ?? process.cwd(), file)
  if (!existsSync(location)) return acceptance
  const text = readInputFile(location, file, { input: 'accepted-changes', limit: MAX_ACCEPTED_BYTES, over: 'refuse', root: inputs.fileRoot })
  const parsed = parseJson(text, file)
  if (!parsed.document) {
    acceptance.findings.push(...parsed.findings.map((f) => ({ ...f, rule: 'accepted-changes' })))
    return acceptance
  }
  const document = parsed.document
  acceptance.document = document
  const finding = (severity: Severity, pointer: string, message: string): void => {
    const at = document.locate(pointer)
    acceptance.findings.push({ severity, rule: 'accepted-changes', message, pointer, file, line: at.line, column: at.column })
  }
  const value = document.value as { accepted?: unknown } | null
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(value.accepted)) {
    finding('error', '', 'the accepted-changes file must be {"accepted": [{"fingerprint": "…", "reason": "…", "expires": "YYYY-MM-DD"}]}')
    return acceptance
  }
  value.accepted.forEach((entry: unknown, i: number) => {
    const at = `/accepted/${i}`
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return finding('error', at, 'an entry must be an object with "fingerprint" and "reason"')
    const { fingerprint, reason, expires, ...rest } = entry as Record<string, unknown>
    for (const key of Object.keys(rest)) finding('error', `${at}/${key}`, `unknown key "${key}"; an entry has "fingerprint", "reason" and "expires"`)
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint))
      return finding('error', `${at}${fingerprint === undefined ? '' : '/fingerprint'}`, 'a fingerprint is 12 hex characters, as a failing run prints it')
    if (expires !== undefined && (typeof expires !== 'string' || !DATE.test(expires) || Number.isNaN(Date.parse(expires)))) {
      return finding('error', `${at}/expires`, '"expires" is a date, YYYY-MM-DD')
    }
    if (typeof reason !== 'string' || reason.trim() === '') return finding('warning', at, `${fingerprint} has no reason, so it accepts nothing; say why the break is intended`)
    if (typeof expires === 'string' && expires < today) return finding('warning', `${at}/expires`, `${fingerprint} expired on ${expires}, so it accepts nothing`)
    acceptance.entries.push({ fingerprint, reason, ...(typeof expires === 'string' && { expires }), pointer: at, used: false })
  })
  return acceptance
}

/**
 * Marks the breaking changes the label or an entry accepts (they stay listed, as notices) and
 * returns how many were accepted. An entry that matches no change is a warning at its line.
 */
export function applyAcceptance(changes: Finding[], acceptance: Acceptance): number {
  let accepted = 0
  for (const change of changes) {
    const detail = change.change
    if (!detail?.breaking) continue
    const entry = acceptance.entries.find((e) => e.fingerprint === detail.fingerprint)
    if (entry) {
      entry.used = true
      detail.accepted = { by: 'file', reason: entry.reason }
    } else if (acceptance.label) detail.accepted = { by: 'label', label: acceptance.label }
    else continue
    change.severity = 'notice'
    accepted++
  }
  for (const entry of acceptance.entries) {
    if (entry.used || !acceptance.document) continue
    const at = acceptance.document.locate(entry.pointer)
    acceptance.findings.push({
      severity: 'warning',
      rule: 'accepted-changes',
      message: `${entry.fingerprint} matches no change in this comparison`,
      pointer: entry.pointer,
      file: acceptance.document.file,
      line: at.line,
      column: at.column,
    })
  }
  return accepted
}

/** The entries a failing run prints for the changes it fails on: what a team adds to accept them. */
export function entriesToAdd(changes: readonly Finding[]): string {
  const lines = changes.filter((c) => c.change?.breaking && !c.change.accepted).map((c) => `    {"fingerprint": "${c.change!.fingerprint}", "reason": "…"}`)
  return `{"accepted": [\n${lines.join(',\n')}\n]}`
}
