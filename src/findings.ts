export type Severity = 'error' | 'warning' | 'notice'

/** One problem found in the user's files; the same shape feeds annotations, CLI text and the summary. */
export interface Finding {
  severity: Severity
  rule: string
  message: string
  /** JSON pointer into the document ('' is the root). */
  pointer: string
  file: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** For a change against the live version: what the comparison knows beyond the message. */
  change?: ChangeDetail
}

/** A change against the live version, as the summary and the JSON output show it. */
export interface ChangeDetail {
  section: 'prediction' | 'training'
  side: 'input' | 'output'
  breaking: boolean
  /** Where it was in the live version's schemas. */
  livePointer: string
  /** The live value of the changed keyword, when it had one. */
  was?: unknown
  /** A whole value that shows the break, checked against both versions. */
  counterexample?: unknown
  basis?: 'counterexample' | 'convention'
  /** Names the change across runs, whatever the file's lines: how an accepted change is recorded. */
  fingerprint: string
  /** A breaking change accepted on the record: by the pull request's label, or by an entry with a reason. */
  accepted?: { by: 'label'; label: string } | { by: 'file'; reason: string }
}

export function countErrors(findings: readonly Finding[]): number {
  return findings.filter((f) => f.severity === 'error').length
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}[${f.rule}]: ${oneLine(f.message)}`
}

/**
 * Text as one line: a line break inside (a property named "x\n::error::…" in a message) is written
 * as \n, so that no line the CLI prints can start a workflow command when it runs in a workflow step.
 */
export function oneLine(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n')
}
