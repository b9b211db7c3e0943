/** The parts of the run the pipeline reads: where it runs, what was pushed. The front fills it in (the action from the runner's environment). */
export interface RunContext {
  ref?: string
  sha?: string
  eventName?: string
  repository?: string
  serverUrl?: string
  apiUrl?: string
  workspace?: string
}

export function tagName(context: RunContext): string | undefined {
  return context.ref?.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined
}

export function repositoryUrl(context: RunContext): string | undefined {
  return context.repository ? `${context.serverUrl ?? 'https://github.com'}/${context.repository}` : undefined
}
