import * as core from '@actions/core'
import { errorMessage, UserError } from './errors.js'
import { readRunContext } from './github/context.js'
import { readInputs } from './pipeline/inputs.js'
import { gitBaselineSource, gitReleaseTags } from './github/git-baseline.js'
import { githubReleaseSources } from './github/release-sources.js'
import { reportToGitHub } from './github/report.js'
import { runPipeline, type PipelineDeps } from './pipeline/run.js'

/** The action: read inputs, run the pipeline, report. Exported so tests can call it. */
export async function run(deps: PipelineDeps = {}): Promise<void> {
  // Mask before anything can print: a bad input must not echo a credential.
  for (const secret of [core.getInput('token'), process.env.WRIFTAI_ACCESS_TOKEN, core.getInput('registry-password'), core.getInput('github-token')]) {
    // The runner masks line by line: a secret with a line break is masked whole and in each line.
    const lines = [secret?.trim(), ...(secret ?? '').split(/\r?\n/).map((line) => line.trim())]
    for (const value of new Set(lines)) if (value) core.setSecret(value)
  }
  try {
    const context = readRunContext()
    // Files the repository names are read only from inside the workspace: a pull request may commit a symlink.
    const inputs = readInputs((name) => core.getInput(name), { context, fileRoot: context.workspace ?? process.cwd() })
    core.info(`Mode: ${inputs.mode}`)
    // Retries are always shown; every request too when the run has debug logging on (ACTIONS_STEP_DEBUG).
    const log = { info: (line: string) => core.info(line), mask: (secret: string) => core.setSecret(secret), ...(core.isDebug() && { debug: (line: string) => core.debug(line) }) }
    const releaseSources = (warn: (message: string) => void) => githubReleaseSources(context, inputs.githubToken, warn)
    const baselineSource = gitBaselineSource(context, inputs.githubToken)
    const releaseTags = gitReleaseTags(context, inputs.githubToken)
    const outcome = await runPipeline(inputs, context, { log, releaseSources, baselineSource, releaseTags, ...deps })
    reportToGitHub(outcome, context, { summary: inputs.summary })
    const runUrl =
      process.env.GITHUB_RUN_ID && context.repository ? `${context.serverUrl ?? 'https://github.com'}/${context.repository}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined
    if (context.pullRequest && inputs.comment !== 'off') {
      // Loaded only on a pull request: the comment needs Octokit.
      const { keepComment } = await import('./github/comment.js')
      const said = await keepComment(outcome, context, { mode: inputs.comment, githubToken: inputs.githubToken, job: process.env.GITHUB_JOB, runUrl }, (w) => core.warning(w))
      if (said) core.info(said)
    }
    if (outcome.failure) core.setFailed(outcome.failure)
  } catch (error: unknown) {
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack)
    core.setFailed(errorMessage(error))
  }
}
