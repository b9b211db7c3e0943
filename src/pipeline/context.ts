/** The parts of the run the pipeline reads: where it runs, what was pushed. The front fills it in (the action from the runner's environment). */
export interface RunContext {
  ref?: string
  sha?: string
  eventName?: string
  repository?: string
  serverUrl?: string
  apiUrl?: string
  workspace?: string
  /** The pull request the run is for (from the event payload), when it is one. */
  pullRequest?: PullRequest
  /** The base commit of a merge queue's group (merge_group events). */
  mergeGroupBase?: string
}

export interface PullRequest {
  number: number
  /** The commit the pull request is compared with: its base branch's head when the event fired. */
  baseSha: string
  /** The repository the pull request comes from, and the one it targets: they differ for a fork. */
  headRepository?: string
  baseRepository?: string
  labels: string[]
}

/** Whether the pull request comes from a fork (its token is read-only, and it gets no secrets). */
export function fromFork(pr: PullRequest): boolean {
  return pr.headRepository !== undefined && pr.baseRepository !== undefined && pr.headRepository !== pr.baseRepository
}

export function tagName(context: RunContext): string | undefined {
  return context.ref?.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined
}

export function repositoryUrl(context: RunContext): string | undefined {
  return context.repository ? `${context.serverUrl ?? 'https://github.com'}/${context.repository}` : undefined
}
