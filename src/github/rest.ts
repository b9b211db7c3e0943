import type { RunContext } from '../pipeline/context.js'

/** GitHub's REST client for the run's API URL, with `token`; Octokit is loaded only when a run talks to GitHub. */
export async function githubRest(context: RunContext, token: string) {
  const { getOctokit } = await import('@actions/github')
  return getOctokit(token, context.apiUrl ? { baseUrl: context.apiUrl } : {})
}
