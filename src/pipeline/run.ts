import { countErrors } from '../findings.js'
import type { RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import { MAX_RELEASE_NOTES } from './release-notes.js'
import { TokenBucket } from '../http/rate-limit.js'
import { defaultPolicy, type HttpLog, type HttpPolicy } from '../http/request.js'
import { WriftaiClient } from '../wriftai/client.js'
import { applyPlan, type PublishResult } from './effects.js'
import { entriesToAdd } from './acceptance.js'
import { makePlan, type Plan, type PlanDeps } from './plan.js'
import { versionPageUrl } from './web.js'

export const API_REQUESTS_PER_SECOND = 3
// One token below the server's own burst allowance, as headroom for arrival jitter.
export const API_BURST = 5
/** Without a token the API allows one request a second. */
export const ANONYMOUS_REQUESTS_PER_SECOND = 1

export interface Outcome {
  plan: Plan
  result?: PublishResult
  /** The version's web page, after a publish. */
  url?: string
  warnings: string[]
  /** Why the run failed, when it did without an exception (error findings). */
  failure?: string
  /** When it failed on breaking changes: the accepted-changes entries that would accept them. */
  toAccept?: string
}

export interface PipelineDeps {
  /** Overrides for the shared HTTP policy (tests inject a clock or a connection pool). */
  policy?: Partial<HttpPolicy>
  /** Where the Docker config and its credential helpers are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv
  /** Where retries (and, in debug mode, every request) are logged. */
  log?: HttpLog
  /** Where release notes come from besides the inputs. */
  releaseSources?: PlanDeps['releaseSources']
  /** Reads the schemas file at a git ref, for a git baseline. */
  baselineSource?: PlanDeps['baselineSource']
  /** Today (YYYY-MM-DD), for accepted changes that expire. */
  today?: string
  /** The repository's tags, for the previous release of a version tag. */
  releaseTags?: PlanDeps['releaseTags']
}

/** inputs → plan → effects; reporting is left to the front (action or CLI). */
export async function runPipeline(inputs: Inputs, context: RunContext, deps: PipelineDeps = {}): Promise<Outcome> {
  const ownsPool = deps.policy?.pool === undefined
  const policy = defaultPolicy({
    timeoutMs: inputs.timeoutSeconds * 1000,
    maxAttempts: inputs.maxAttempts,
    // The API allows 3 authenticated requests a second, with short bursts.
    limiter: new TokenBucket({ perSecond: API_REQUESTS_PER_SECOND, burst: API_BURST }),
    ...(deps.log && { log: deps.log }),
    ...deps.policy,
  })
  // Validate mode never writes; without a token it reads the live model anonymously (a public model answers), at the anonymous rate.
  const anonymous = inputs.mode === 'validate' && !inputs.token
  if (anonymous) policy.limiter = new TokenBucket({ perSecond: ANONYMOUS_REQUESTS_PER_SECOND, burst: 1 })
  const client = (inputs.model && inputs.baseline.kind !== 'none') || !anonymous ? new WriftaiClient({ baseUrl: inputs.apiUrl.href, token: inputs.token, policy }) : undefined
  try {
    const plan = await makePlan(inputs, context, {
      client,
      registryPolicy: { ...policy, limiter: undefined },
      env: deps.env,
      releaseSources: deps.releaseSources,
      baselineSource: deps.baselineSource,
      releaseTags: deps.releaseTags,
      today: deps.today,
    })
    const warnings = [...plan.warnings]
    const notes = plan.releaseNotes
    if (notes?.cutFrom !== undefined) {
      warnings.push(`release notes (from ${notes.source}) were cut from ${notes.cutFrom} to ${MAX_RELEASE_NOTES} characters, the API's limit`)
    }
    const nothing = plan.mode === 'publish' ? '; nothing was published' : ''
    const errors = countErrors(plan.findings)
    if (errors > 0) {
      // Named by file: the schemas file, or the accepted-changes file.
      const files = [...new Set(plan.findings.filter((f) => f.severity === 'error').map((f) => f.file))]
      const counts = files.map((file) => {
        const n = plan.findings.filter((f) => f.severity === 'error' && f.file === file).length
        return `${file} has ${n} error${n === 1 ? '' : 's'}`
      })
      return { plan, warnings, failure: `${counts.join(' and ')}${nothing}` }
    }
    // Fail closed: a comparison asked for and not made is no pass.
    if (plan.failOnBreaking && plan.notCompared) return { plan, warnings, failure: `breaking changes could not be checked: ${plan.notCompared}${nothing}` }
    if (plan.failOnBreaking && plan.breaking > 0) {
      const count = `${plan.breaking} breaking change${plan.breaking === 1 ? '' : 's'} against ${plan.comparedWith ?? 'the baseline'}`
      // semver: on a tag, the version it needs; on a pull request, that the next release is a major one.
      const why = plan.semver?.failure ?? (inputs.failOnBreaking === 'semver' ? `${count}: these changes need a major release` : count)
      return { plan, warnings, failure: `${why}${nothing}`, toAccept: entriesToAdd(plan.changes) }
    }
    if (plan.mode !== 'publish' || !client) return { plan, warnings }
    const result = await applyPlan(plan, client, policy)
    return { plan, result, url: versionPageUrl(inputs.apiUrl, result.model, result.version.number), warnings }
  } finally {
    if (ownsPool) await policy.pool.close()
  }
}
