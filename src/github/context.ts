import type { RunContext } from '../pipeline/context.js'

/** The run context from the runner's environment. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const value = (name: string): string | undefined => env[name] || undefined
  return {
    ref: value('GITHUB_REF'),
    sha: value('GITHUB_SHA'),
    eventName: value('GITHUB_EVENT_NAME'),
    repository: value('GITHUB_REPOSITORY'),
    serverUrl: value('GITHUB_SERVER_URL'),
    apiUrl: value('GITHUB_API_URL'),
    workspace: value('GITHUB_WORKSPACE'),
  }
}
