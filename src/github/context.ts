/** The parts of the workflow run the product reads, taken from the runner's environment. */
export interface RunContext {
  ref?: string
  sha?: string
  eventName?: string
  repository?: string
  serverUrl?: string
  apiUrl?: string
  workspace?: string
}

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

export function tagName(context: RunContext): string | undefined {
  return context.ref?.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined
}

export function repositoryUrl(context: RunContext): string | undefined {
  return context.repository ? `${context.serverUrl ?? 'https://github.com'}/${context.repository}` : undefined
}
