import type { RunContext } from './context.js'
import type { Inputs } from './inputs.js'

/** Reads a file of the repository at a git ref (the front's: git, or GitHub's contents API). */
export interface BaselineSource {
  /** The text of `file` (a path in the repository) at `ref`; undefined when it does not exist there. Throws when the ref cannot be read. */
  readAt(ref: string, file: string): Promise<string | undefined>
}

/** What the schemas are compared with. */
export type Baseline = { kind: 'live' } | { kind: 'none' } | { kind: 'git'; ref: string; label: string }

/**
 * The baseline of this run. `auto`: a pull request's base commit (what the pull request
 * introduces is what it is judged on), a merge group's base, else the live version (a tag push, or
 * schemas that come from the image, which git does not hold).
 */
export function decideBaseline(inputs: Pick<Inputs, 'baseline' | 'schemasFrom'>, context: RunContext): Baseline {
  const { baseline } = inputs
  if (baseline.kind === 'live' || baseline.kind === 'none') return { kind: baseline.kind }
  if (baseline.kind === 'git') return { kind: 'git', ref: baseline.ref, label: `git:${baseline.ref}` }
  if (inputs.schemasFrom === 'image') return { kind: 'live' }
  const pr = context.pullRequest
  if (pr) return { kind: 'git', ref: pr.baseSha, label: `git:${pr.baseSha.slice(0, 7)} (base of #${pr.number})` }
  if (context.mergeGroupBase) return { kind: 'git', ref: context.mergeGroupBase, label: `git:${context.mergeGroupBase.slice(0, 7)} (base of the merge group)` }
  return { kind: 'live' }
}
