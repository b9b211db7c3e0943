import { readFileSync } from 'node:fs'
import type { PullRequest, RunContext } from '../pipeline/context.js'

/** The event payload is read up to this size: a pull request's body can be long, but not this long. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024

/** The run context from the runner's environment and, for pull requests, the event payload. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const value = (name: string): string | undefined => env[name] || undefined
  const context: RunContext = {
    ref: value('GITHUB_REF'),
    sha: value('GITHUB_SHA'),
    eventName: value('GITHUB_EVENT_NAME'),
    repository: value('GITHUB_REPOSITORY'),
    serverUrl: value('GITHUB_SERVER_URL'),
    apiUrl: value('GITHUB_API_URL'),
    workspace: value('GITHUB_WORKSPACE'),
  }
  const payload = readPayload(value('GITHUB_EVENT_PATH'))
  const pullRequest = payload && pullRequestOf(payload)
  if (pullRequest) context.pullRequest = pullRequest
  const group = payload?.merge_group as { base_sha?: unknown } | undefined
  if (typeof group?.base_sha === 'string' && /^[0-9a-f]{40}$/.test(group.base_sha)) context.mergeGroupBase = group.base_sha
  return context
}

function readPayload(file: string | undefined): Record<string, unknown> | undefined {
  if (!file) return undefined
  try {
    const text = readFileSync(file, 'utf8')
    if (text.length > MAX_EVENT_BYTES) return undefined
    const payload = JSON.parse(text) as unknown
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The pull request of a pull_request or pull_request_target payload; undefined for other events. */
function pullRequestOf(payload: Record<string, unknown>): PullRequest | undefined {
  const pr = payload.pull_request as Payload | undefined
  if (!pr || typeof pr !== 'object') return undefined
  const baseSha = pr.base?.sha
  if (typeof pr.number !== 'number' || typeof baseSha !== 'string' || !/^[0-9a-f]{40}$/.test(baseSha)) return undefined
  const name = (repo: { full_name?: unknown } | undefined) => (typeof repo?.full_name === 'string' ? repo.full_name : undefined)
  const labels = Array.isArray(pr.labels) ? pr.labels.map((l) => l?.name).filter((n): n is string => typeof n === 'string') : []
  const head = name(pr.head?.repo)
  const base = name(pr.base?.repo) ?? name(payload.repository as { full_name?: unknown } | undefined)
  return { number: pr.number, baseSha, labels, ...(head && { headRepository: head }), ...(base && { baseRepository: base }) }
}

/** The parts of a pull_request payload read here, each still to be checked. */
interface Payload {
  number?: unknown
  base?: { sha?: unknown; repo?: { full_name?: unknown } }
  head?: { repo?: { full_name?: unknown } }
  labels?: Array<{ name?: unknown } | null>
}
