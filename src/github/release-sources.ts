import { errorMessage } from '../errors.js'
import { githubRest } from './rest.js'
import type { RunContext } from '../pipeline/context.js'
import type { ReleaseSources } from '../pipeline/release-notes.js'

/**
 * Release notes from GitHub: the Release published for the tag (through the REST API, with
 * `github-token`) and the annotated tag's message (through git). Either one failing is a warning,
 * never a failure: notes fall back to `Release <tag>`.
 */
export function githubReleaseSources(context: RunContext, githubToken: string | undefined, warn: (message: string) => void): ReleaseSources {
  return {
    async release(tag) {
      if (!githubToken || !context.repository) return undefined
      const [owner, repo] = context.repository.split('/') as [string, string]
      try {
        const octokit = await githubRest(context, githubToken)
        const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })
        return { body: data.body ?? '', url: data.html_url }
      } catch (error: unknown) {
        // No release for the tag (or only a draft, which is not found by tag) is normal.
        if ((error as { status?: number }).status === 404) return undefined
        warn(`the GitHub Release for ${tag} could not be read: ${errorMessage(error).split('\n')[0]}`)
        return undefined
      }
    },
    async tagMessage(tag) {
      try {
        // Spawning git needs child_process and @actions/io: loaded only when notes come from the tag.
        const { getExecOutput } = await import('@actions/exec')
        const { exitCode, stdout } = await getExecOutput('git', ['for-each-ref', `refs/tags/${tag}`, '--format=%(objecttype)%00%(contents:subject)%0a%0a%(contents:body)'], {
          silent: true,
          ignoreReturnCode: true,
          cwd: context.workspace,
        })
        const [type, message] = stdout.split('\0')
        // A lightweight tag points at a commit: its "message" would be the commit's, not release notes.
        return exitCode === 0 && type === 'tag' ? message?.trim() || undefined : undefined
      } catch {
        return undefined
      }
    },
  }
}
