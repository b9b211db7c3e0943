import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import { countErrors, type Finding } from '../findings.js'
import { formatModelId } from '../wriftai/identifier.js'
import type { Outcome } from '../pipeline/run.js'
import type { RunContext } from './context.js'
import { renderSummary } from './summary.js'

/** Turns an outcome into workflow annotations, step outputs and the job summary. */
export function reportToGitHub(outcome: Outcome, context: RunContext, options: { summary: boolean }): void {
  for (const finding of [...outcome.plan.findings, ...outcome.plan.changes]) annotate(finding, context)
  for (const warning of outcome.warnings) core.warning(warning)
  for (const line of outcome.plan.debug) core.debug(line)

  setOutput('findings', String(countErrors(outcome.plan.findings)))
  setOutput('breaking-changes', String(outcome.plan.breaking))
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

function annotate(finding: Finding, context: RunContext): void {
  const file = path.isAbsolute(finding.file) && context.workspace ? undefined : finding.file
  const properties: core.AnnotationProperties = {
    title: finding.rule,
    ...(file !== undefined && { file, startLine: finding.line, startColumn: finding.column }),
  }
  const log = finding.severity === 'error' ? core.error : finding.severity === 'warning' ? core.warning : core.notice
  log(file === undefined ? `${finding.file}:${finding.line}:${finding.column}: ${finding.message}` : finding.message, properties)
}
