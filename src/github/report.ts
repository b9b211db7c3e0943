import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import { countErrors, formatFinding, type Finding } from '../findings.js'
import { formatModelId } from '../wriftai/identifier.js'
import type { Outcome } from '../pipeline/run.js'
import type { RunContext } from '../pipeline/context.js'
import { renderSummary } from './summary.js'

/** Turns an outcome into workflow annotations, step outputs and the job summary. */
export function reportToGitHub(outcome: Outcome, context: RunContext, options: { summary: boolean }): void {
  annotateWithinLimits([...outcome.plan.findings, ...outcome.plan.changes], context)
  for (const warning of outcome.warnings) core.warning(warning)
  for (const line of outcome.plan.debug) core.debug(line)

  setOutput('findings', String(countErrors(outcome.plan.findings)))
  setOutput('breaking-changes', String(outcome.plan.breaking))
  setOutput('accepted-changes', String(outcome.plan.accepted))
  setOutput('compared-with', outcome.plan.comparedWith ?? '')
  setOutput('required-bump', outcome.plan.requiredBump ?? '')
  setOutput('changelog', outcome.plan.changelog ?? '')
  for (const notice of outcome.plan.notices) core.notice(notice)
  if (outcome.toAccept) {
    core.info(`To accept these breaking changes on the record, add the entries to the accepted-changes file, each with its reason (or label the pull request):`)
    for (const line of outcome.toAccept.split('\n')) core.info(line)
  }
  if (outcome.plan.digest) setOutput('image-digest', outcome.plan.digest)
  const { result } = outcome
  if (result) {
    const model = formatModelId(result.model)
    setOutput('model', model)
    setOutput('version', String(result.version.number))
    setOutput('version-id', `${model}:${result.version.number}`)
    setOutput('model-created', String(result.modelCreated))
    setOutput('version-created', String(result.versionCreated))
    setOutput('url', outcome.url ?? '')
    for (const note of result.notes) core.notice(note)
    core.info(`${result.versionCreated ? 'Published' : 'Already published'} ${model}:${result.version.number} (${outcome.url ?? ''})`)
  } else if (outcome.plan.model) {
    setOutput('model', formatModelId(outcome.plan.model))
  }
  if (outcome.plan.image) core.info(`Image: ${outcome.plan.image.reference} (${outcome.plan.image.how})`)

  if (options.summary && process.env.GITHUB_STEP_SUMMARY) {
    try {
      // The summary is rendered whole; core.summary would append it through node:fs/promises.
      appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${renderSummary(outcome)}${EOL}`, 'utf8')
    } catch (error: unknown) {
      core.warning(`could not write the job summary: ${(error as Error).message}`)
    }
  }
}

/**
 * A step output, as `name<<delimiter` lines in the runner's GITHUB_OUTPUT file. Not core.setOutput:
 * it loads node:crypto (about 5 ms of every start) for a random delimiter, where a delimiter that
 * the value does not contain is as safe.
 */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (!file) return
  let delimiter = 'ghadelimiter'
  while (value.includes(delimiter)) delimiter += `_${Math.random().toString(36).slice(2)}`
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
}

/** GitHub shows at most this many annotations of each level for a step, and drops the rest unseen. */
export const ANNOTATIONS_PER_LEVEL = 10

/**
 * The first findings of each level as annotations, up to GitHub's limit (an error is kept for the
 * run's failure, a notice for the count), and the rest as plain log lines, with one notice saying how many were not annotated.
 * The findings output and the job summary count them all.
 */
function annotateWithinLimits(findings: readonly Finding[], context: RunContext): void {
  const shown = { error: 0, warning: 0, notice: 0 }
  const rest: Finding[] = []
  // One error is kept for the line that fails the run, one notice for the count below.
  const limits = { error: ANNOTATIONS_PER_LEVEL - 1, warning: ANNOTATIONS_PER_LEVEL, notice: ANNOTATIONS_PER_LEVEL - 1 }
  for (const finding of findings) {
    if (shown[finding.severity] < limits[finding.severity]) {
      shown[finding.severity]++
      annotate(finding, context)
    } else {
      rest.push(finding)
    }
  }
  if (rest.length === 0) return
  const count = (severity: Finding['severity'], noun: string) => {
    const n = rest.filter((f) => f.severity === severity).length
    return n > 0 ? [`${n} more ${noun}${n === 1 ? '' : 's'}`] : []
  }
  const parts = [...count('error', 'error'), ...count('warning', 'warning'), ...count('notice', 'notice')]
  core.notice(`${parts.join(', ')} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} of each kind per step); they are listed in the log below and in the job summary`)
  for (const finding of rest) core.info(formatFinding(finding))
}

function annotate(finding: Finding, context: RunContext): void {
  const file = path.isAbsolute(finding.file) && context.workspace ? undefined : finding.file
  const properties: core.AnnotationProperties = {
    title: finding.rule,
    ...(file !== undefined && { file, startLine: finding.line, startColumn: finding.column }),
  }
  const log = finding.severity === 'error' ? core.error : finding.severity === 'warning' ? core.warning : core.notice
  const message = `${finding.message}${describeChange(finding)}`
  log(file === undefined ? `${finding.file}:${finding.line}:${finding.column}: ${message}` : message, properties)
}

/** A change's fingerprint, and who accepted it, after its message. */
function describeChange(finding: Finding): string {
  const change = finding.change
  if (!change) return ''
  const accepted = change.accepted ? (change.accepted.by === 'label' ? `; accepted by the label "${change.accepted.label}"` : `; accepted: ${change.accepted.reason}`) : ''
  return ` [${change.fingerprint}${accepted}]`
}
