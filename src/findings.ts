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
  /** For a change against the live version: where it was there. */
  livePointer?: string
}

export function countErrors(findings: readonly Finding[]): number {
  return findings.filter((f) => f.severity === 'error').length
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}[${f.rule}]: ${f.message}`
}
