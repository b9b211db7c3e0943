import { errorMessage } from '../errors.js'
import { countErrors, type Finding } from '../findings.js'
import type { SourceDocument } from '../schemas/document.js'
import { valueAt } from '../schemas/walk.js'
import type { WriftaiClient } from '../wriftai/client.js'
import { formatModelId as formatModel, type ModelId } from '../wriftai/identifier.js'
import type { Schemas } from '../wriftai/types.js'
import { checkGeneratedSchemas } from '../schemas/check.js'
import { applyAcceptance, readAcceptance } from './acceptance.js'
import type { Baseline } from './baseline.js'
import { tagName, type RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import type { Plan, PlanDeps } from './plan.js'
import { sameSchemas } from './published.js'
import { changelog, decideGate, firstVersionNotes, notesFromChanges, requiredBump } from './release-gate.js'

// The comparison half of the plan: the baseline read and compared, breaking changes accepted or
// not, the gate decided (semver), the changelog and notes written from the changes.

/**
 * Compares the schemas with the baseline (and, with a git baseline, the live version too, as
 * information), applies what accepts breaking changes, and records why no comparison was made when
 * one was asked for.
 */
export async function compareWithBaseline(
  plan: Plan,
  baseline: Baseline,
  inputs: Inputs,
  context: RunContext,
  deps: PlanDeps,
  local: { schemas: Schemas; document: SourceDocument; liveError?: string },
): Promise<void> {
  const { schemas, document, liveError } = local
  const latest = plan.existingModel?.latest_version
  const live = latest?.schemas ? { schemas: latest.schemas, version: `${plan.existingModel!.owner.username}/${plan.existingModel!.name}:${latest.number}` } : undefined
  // Whether the baseline's schemas equal these, once they were compared.
  let equal: boolean | undefined
  if (baseline.kind === 'live') {
    if (live) {
      plan.changes = await compareSchemas(live.schemas, schemas, document, live.version, plan.failOnBreaking)
      equal = sameSchemas(live.schemas, schemas)
      plan.comparedWith = live.version
      if (deps.client && inputs.model && latest) await nameDeprecations(plan.changes, deps.client, inputs.model, latest.number)
    } else if (liveError !== undefined) plan.notCompared = `the live version could not be read: ${liveError}`
    else if (inputs.model && plan.modelChecked)
      plan.nothingToCompare = `${formatModel(inputs.model)} ${plan.existingModel ? 'has no version yet' : 'does not exist yet'}: nothing to compare`
    else if (inputs.model && inputs.mode === 'validate' && !plan.existingModel)
      plan.nothingToCompare = `${formatModel(inputs.model)} was not found (without a token only public models are read): nothing to compare`
  } else if (baseline.kind === 'git') {
    const text = await readBaseline(plan, baseline, inputs, deps)
    if (text !== undefined) {
      // Checked as the file is, with the pattern engine loaded for the base's own patterns.
      const base = await checkGeneratedSchemas(text, `${plan.schemasFile} at ${baseline.label}`)
      const errors = countErrors(base.findings)
      if (!base.schemas) plan.notCompared = `the schemas file at ${baseline.label} is not valid (${errors} error${errors === 1 ? '' : 's'})`
      else {
        plan.changes = await compareSchemas(base.schemas, schemas, document, baseline.label, plan.failOnBreaking)
        equal = sameSchemas(base.schemas, schemas)
        plan.comparedWith = baseline.label
      }
    }
    if (live) {
      const changes = await compareSchemas(live.schemas, schemas, document, live.version, false)
      plan.liveChanges = { version: live.version, changes: changes.map((c) => ({ ...c, severity: 'notice' as const })) }
    }
  }
  if (plan.notCompared) plan.warnings.push(`breaking changes were not checked: ${plan.notCompared}`)
  const acceptance = readAcceptance(inputs, context, deps.today ?? new Date().toISOString().slice(0, 10))
  plan.accepted = plan.comparedWith ? applyAcceptance(plan.changes, acceptance) : 0
  if (acceptance.findings.length > 0) {
    plan.findings.push(...acceptance.findings)
    plan.findings.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file === plan.schemasFile ? -1 : 1))
  }
  plan.breaking = plan.changes.filter((c) => c.change?.breaking && !c.change.accepted).length
  // After acceptance: an accepted break needs no major version.
  if (equal !== undefined) plan.requiredBump = requiredBump(plan.changes, equal)
}

/**
 * Decides what fails the run on breaking changes (semver reads the tag and the previous release),
 * sets each unaccepted break's severity by it, and writes the changelog; where no source gave
 * release notes, the notes say what changed.
 */
export async function gate(plan: Plan, inputs: Inputs, context: RunContext, deps: PlanDeps, schemas: Schemas): Promise<void> {
  const decided = await decideGate(inputs, context, plan.requiredBump ?? 'none', deps.releaseTags)
  plan.failOnBreaking = decided.failOnBreaking
  if (decided.semver) plan.semver = decided.semver
  if (decided.notice) plan.notices.push(decided.notice)
  if (decided.warning) plan.warnings.push(decided.warning)
  for (const c of plan.changes) if (c.change?.breaking && !c.change.accepted) c.severity = plan.failOnBreaking ? 'error' : 'warning'
  if (plan.changes.length > 0) plan.changelog = changelog(plan.changes)
  // Notes from no source at all ("Release <tag>") say what changed instead, or what a first version takes.
  if (plan.mode === 'publish' && plan.releaseNotes?.source === 'tag') {
    const tag = tagName(context)
    const more = tag && context.repository ? `${context.serverUrl ?? 'https://github.com'}/${context.repository}/tree/${tag}` : undefined
    const text = plan.comparedWith ? notesFromChanges(plan.changes, more) : !plan.existingModel?.latest_version ? firstVersionNotes(schemas) : undefined
    if (text) plan.releaseNotes = { text, source: 'changes' }
  }
}

/** Earlier versions read at most, to find where a removed property was first marked deprecated. */
const DEPRECATION_LOOKBACK = 5

/**
 * Names the version that deprecated each property removed after deprecation: the earliest of the
 * versions before the live one that still marks it, reading back a few versions at most.
 */
async function nameDeprecations(changes: Finding[], client: WriftaiClient, model: ModelId, latest: number): Promise<void> {
  const removed = changes.filter((c) => c.rule === 'deprecated-input-removed' || c.rule === 'deprecated-output-removed')
  if (removed.length === 0) return
  // The live version marks each one; each earlier version that still does moves its start back.
  const since = new Map(removed.map((c) => [c, latest]))
  const searching = new Set(removed)
  for (let number = latest - 1, read = 0; number >= 1 && read < DEPRECATION_LOOKBACK && searching.size > 0; number--, read++) {
    const version = await client.getVersion(model, number).catch(() => undefined)
    if (!version) break
    for (const c of searching) {
      const node = valueAt(version.schemas, c.change!.livePointer)
      if (node && typeof node === 'object' && (node as { deprecated?: unknown }).deprecated === true) since.set(c, number)
      else searching.delete(c)
    }
  }
  for (const c of removed) c.message = `${c.message.replace(/ \(compared with [^)]*\)$/, '')} in ${formatModel(model)}:${since.get(c)}`
}

/** The schemas file's text at a git ref; undefined (and why, on the plan) when there is none. */
async function readBaseline(plan: Plan, baseline: { ref: string; label: string }, inputs: Inputs, deps: PlanDeps): Promise<string | undefined> {
  if (!deps.baselineSource) {
    plan.notCompared = `${baseline.label} cannot be read here (no git repository)`
    return undefined
  }
  try {
    const text = await deps.baselineSource.readAt(baseline.ref, inputs.schemasFile)
    if (text === undefined) plan.nothingToCompare = `${plan.schemasFile} does not exist at ${baseline.label}: nothing to compare`
    return text
  } catch (error: unknown) {
    plan.notCompared = `${baseline.label} could not be read: ${errorMessage(error)}`
    return undefined
  }
}

/**
 * The changes from `live` to `local` as findings on the local file's lines, breaking ones first.
 * Breaking changes are errors when they fail the run, warnings otherwise; the rest are notices.
 */
export async function compareSchemas(live: Schemas, local: Schemas, document: SourceDocument, liveName: string, failOnBreaking: boolean): Promise<Finding[]> {
  // Loaded only when there is a live version to compare with: a first publish and a plain validate never need it.
  const { diffSchemas, loadLinearEngineFor, DEPRECATION_RULES } = await import('../schemas/diff/index.js')
  // The live version's patterns run too, on RE2 as the file's do.
  await loadLinearEngineFor(live, local)
  const changes = diffSchemas(live, local, { live: liveName })
  const findings = changes.map((change): Finding => {
    const at = document.locate(change.pointer)
    const { rule, breaking, message, pointer, section, side, livePointer, was, counterexample, basis, fingerprint } = change
    return {
      severity: breaking ? (failOnBreaking ? 'error' : 'warning') : DEPRECATION_RULES.has(rule) ? 'warning' : 'notice',
      rule,
      // A counterexample already names the version it was checked against.
      message: counterexample === undefined ? `${message} (compared with ${liveName})` : message,
      pointer,
      file: document.file,
      line: at.line,
      column: at.column,
      change: {
        section,
        side,
        breaking,
        livePointer,
        fingerprint,
        ...('was' in change && { was }),
        ...(basis && { basis }),
        ...('counterexample' in change && { counterexample }),
      },
    }
  })
  const rank = (f: Finding) => (f.severity === 'notice' ? 1 : 0)
  return findings.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column)
}
