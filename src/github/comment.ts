import { githubRest } from './rest.js'
import { errorMessage } from '../errors.js'
import { oneLine, type Finding } from '../findings.js'
import { fromFork, type RunContext } from '../pipeline/context.js'
import type { Outcome } from '../pipeline/run.js'
import { formatModelId } from '../wriftai/identifier.js'

/** GitHub refuses comments over 65,536 characters; this leaves room for the marker and the last line. */
const MAX_COMMENT = 60_000
/** Comments read to find ours again: 100 a page. */
const MAX_PAGES = 5

export interface CommentOptions {
  mode: 'auto' | 'always' | 'off'
  githubToken?: string
  /** The job the run is in (GITHUB_JOB): one comment per model and job. */
  job?: string
  /** A link to the run, for the comment's last line. */
  runUrl?: string
}

/**
 * Keeps one comment on the pull request: found again by a hidden marker and updated in place, never
 * posted twice. A pull request from a fork has a read-only token, so `auto` does not try there. A
 * comment that cannot be written (403: no `pull-requests: write`) is a warning, never a failure.
 * Returns what happened, for the log; warnings go through `warn`.
 */
export async function keepComment(outcome: Outcome, context: RunContext, options: CommentOptions, warn: (message: string) => void): Promise<string | undefined> {
  const pr = context.pullRequest
  if (!pr || options.mode === 'off' || !context.repository || !options.githubToken) return undefined
  if (options.mode === 'auto' && fromFork(pr)) return 'the pull request comes from a fork, whose token cannot comment: the job summary is the record'
  const [owner, repo] = context.repository.split('/') as [string, string]
  const subject = outcome.plan.model ? formatModelId(outcome.plan.model) : outcome.plan.schemasFile
  const marker = `<!-- wriftai/publish-version ${JSON.stringify(`${subject} ${options.job ?? ''}`.trim())} -->`
  try {
    const octokit = await githubRest(context, options.githubToken)
    let existing: { id: number } | undefined
    for (let page = 1; page <= MAX_PAGES && !existing; page++) {
      const { data } = await octokit.rest.issues.listComments({ owner, repo, issue_number: pr.number, per_page: 100, page })
      existing = data.find((c) => c.body?.includes(marker))
      if (data.length < 100) break
    }
    const clean = isClean(outcome)
    // Nothing to say on a pull request that never had a problem: no comment at all.
    if (!existing && clean) return undefined
    const body = `${marker}\n${renderComment(outcome, subject, options.runUrl)}`
    if (existing) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body })
      return `updated the pull request comment ${existing.id}`
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body })
    return `commented on the pull request (${data.id})`
  } catch (error: unknown) {
    const status = (error as { status?: number }).status
    const why = status === 403 ? 'the token may not write pull-request comments (give the job permissions: pull-requests: write)' : errorMessage(error).split('\n')[0]
    warn(`the pull-request comment was not written: ${why}`)
    return undefined
  }
}

function isClean(outcome: Outcome): boolean {
  const { plan } = outcome
  return !outcome.failure && plan.breaking === 0 && plan.accepted === 0 && plan.findings.every((f) => f.severity === 'notice')
}

/** The comment's Markdown: the headline, the findings, the breaking changes with their counterexamples and fingerprints, a link to the run. */
export function renderComment(outcome: Outcome, subject: string, runUrl?: string): string {
  const { plan } = outcome
  const compared = plan.comparedWith ? ` against ${inline(plan.comparedWith)}` : ''
  const headline = outcome.failure
    ? `### ❌ ${inline(subject)}: ${inline(outcome.failure)}`
    : plan.breaking > 0
      ? `### ⚠️ ${inline(subject)}: ${plan.breaking} breaking change${plan.breaking === 1 ? '' : 's'}${compared} need${plan.breaking === 1 ? 's' : ''} acceptance`
      : isClean(outcome)
        ? `### ✅ ${inline(subject)}: no problems${compared}`
        : `### ✅ ${inline(subject)}: passes${compared}`
  const lines = [headline, '']
  if (plan.notCompared) lines.push(`Not compared: ${inline(plan.notCompared)}`, '')
  const items: string[] = []
  for (const f of plan.findings.filter((f) => f.severity !== 'notice'))
    items.push(`- **${f.severity}** \`${f.rule}\` ${inline(`${f.file}:${f.line}:${f.column}`)}: ${inline(f.message)}`)
  const breaking = plan.changes.filter((c) => c.change?.breaking)
  for (const c of breaking) items.push(changeItem(c))
  let body = `${lines.join('\n')}\n`
  let shown = 0
  for (const item of items) {
    if (body.length + item.length + 200 > MAX_COMMENT) break
    body += `${item}\n`
    shown++
  }
  if (shown < items.length) body += `\n… ${items.length - shown} more in the job summary\n`
  if (breaking.some((c) => !c.change!.accepted))
    body += '\nTo accept a planned break, label the pull request or add its fingerprint, with a reason, to the accepted-changes file.\n'
  if (runUrl) body += `\n[The run](${runUrl})\n`
  return body
}

function changeItem(c: Finding): string {
  const accepted = c.change?.accepted
  const by = accepted ? (accepted.by === 'label' ? ` — accepted by the label \`${accepted.label}\`` : ` — accepted: ${inline(accepted.reason)}`) : ''
  return `- **${accepted ? 'accepted' : 'breaking'}** \`${c.rule}\` \`${c.change!.fingerprint}\` ${inline(`${c.file}:${c.line}:${c.column}`)}: ${inline(c.message)}${by}`
}

/** Text on one line of Markdown, its markup and mentions defused: a schema's names come from the pull request. */
function inline(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
}
