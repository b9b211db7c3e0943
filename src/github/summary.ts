import { crc32 } from 'node:zlib'
import type { Finding } from '../findings.js'
import type { SchemasSource } from '../pipeline/plan.js'
import type { Outcome } from '../pipeline/run.js'
import type { ImageResolution } from '../registry/resolve.js'
import { canonicalJson } from '../schemas/canonical.js'
import { formatModelId } from '../wriftai/identifier.js'
import type { Schemas } from '../wriftai/types.js'

/** Lists longer than this are folded into <details>. */
const FOLD_AFTER = 10

/** The job summary as Markdown: the result after a publish, the plan otherwise. */
export function renderSummary(outcome: Outcome): string {
  const lines = outcome.result ? resultSection(outcome) : planSection(outcome)
  const { findings, changes } = outcome.plan
  if (findings.length > 0) lines.push('', ...table('Findings', findings.length, findingsTable(findings)))
  const { plan } = outcome
  const accepted = plan.accepted > 0 ? `, ${plan.accepted} accepted` : ''
  if (changes.length > 0)
    lines.push('', ...table(`Changes against ${escapeText(plan.comparedWith ?? 'the baseline')} (${plan.breaking} breaking${accepted})`, changes.length, changesTable(changes)))
  if (plan.liveChanges && plan.liveChanges.changes.length > 0) {
    const { version, changes: since } = plan.liveChanges
    lines.push('', ...table(`Since ${escapeText(version)}: what the next release changes in total (information)`, since.length, changesTable(since)))
  }
  if (plan.changelog)
    lines.push('', '### What changed', '', ...plan.changelog.split('\n').map((l) => (l.startsWith('### ') ? `#${l}` : l.startsWith('- ') ? `- ${escapeText(l.slice(2))}` : l)))
  if (plan.notices.length > 0) lines.push('', ...plan.notices.map((n) => `> [!NOTE]\n> ${escapeText(n)}\n`))
  if (outcome.warnings.length > 0) lines.push('', ...outcome.warnings.map((w) => `> [!WARNING]\n> ${escapeText(w)}\n`))
  return `${lines.join('\n')}\n`
}

function resultSection(outcome: Outcome): string[] {
  const { plan, result } = outcome
  if (!result) return []
  const id = `${formatModelId(result.model)}:${result.version.number}`
  const lines = [`## ${result.versionCreated ? 'Published' : 'Already published'} ${link(escapeText(id), outcome.url)}`, '']
  for (const note of result.notes) lines.push('> [!NOTE]', `> ${escapeText(note)}`, '')
  lines.push('| | |', '| --- | --- |')
  lines.push(`| Model | ${escapeText(formatModelId(result.model))}${result.modelCreated ? ' (created)' : ''} |`)
  lines.push(`| Version | ${result.version.number}${result.versionCreated ? '' : ' (already published)'} |`)
  lines.push(`| Image digest | ${codeSpan(result.version.container_image_digest)} |`)
  if (plan.image) lines.push(`| Image | ${describeImage(plan.image)} |`)
  lines.push(`| Schemas | ${describeSource(plan.source, plan.schemasFile)} |`)
  lines.push(`| Release notes | ${escapeText(result.version.release_notes)} |`)
  return lines
}

function planSection(outcome: Outcome): string[] {
  const { plan } = outcome
  const failed = outcome.failure !== undefined
  const model = plan.model ? formatModelId(plan.model) : undefined
  const title = plan.mode === 'publish' ? 'Not published' : 'Plan'
  // Breaking changes that do not fail the run (fail-on-breaking is off) still head the plan.
  const icon = failed ? '❌' : plan.breaking > 0 ? '⚠️' : '✅'
  const lines = [`## ${icon} ${title}: ${escapeText(plan.schemasFile)}${model ? ` for ${escapeText(model)}` : ''}`, '']
  if (failed) lines.push(escapeText(outcome.failure ?? ''), '')
  else if (plan.breaking > 0)
    lines.push(
      `${plan.breaking} breaking change${plan.breaking === 1 ? '' : 's'} against ${escapeText(plan.comparedWith ?? 'the baseline')}: callers may fail once this is published.`,
      '',
    )
  lines.push('| | |', '| --- | --- |')
  lines.push(`| Compared with | ${describeComparison(plan)} |`)
  if (plan.requiredBump) lines.push(`| Version bump needed | ${plan.requiredBump}${describeSemver(plan)} |`)
  if (model) lines.push(`| Model | ${describeModel(outcome)} |`)
  if (plan.releaseNotes) lines.push(`| Release notes | ${describeNotes(plan)} |`)
  lines.push(`| Image digest | ${plan.digest ? codeSpan(plan.digest) : 'not known yet'} |`)
  if (plan.image) lines.push(`| Image | ${describeImage(plan.image)} |`)
  lines.push(`| Schemas | ${describeSource(plan.source, plan.schemasFile)} |`)
  if (plan.schemas) lines.push(`| Schemas hash | \`${schemasHash(plan.schemas)}\` |`)
  const inputs = plan.schemas ? inputRows(plan.schemas) : []
  if (inputs.length > 0) {
    const header = ['| Input | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |']
    lines.push('', ...table('Inputs', inputs.length, [...header, ...inputs]))
  }
  return lines
}

/** The tag's bump over the previous release, under fail-on-breaking: semver. */
function describeSemver(plan: Outcome['plan']): string {
  const check = plan.semver
  if (!check?.previous || !check.bump) return ''
  return ` (${escapeText(check.previous)} → ${escapeText(check.tag)} is ${check.bump})`
}

/** What the schemas were compared with, or why not. */
function describeComparison(plan: Outcome['plan']): string {
  if (plan.comparedWith) return escapeText(plan.comparedWith)
  if (plan.notCompared) return `not compared: ${escapeText(plan.notCompared)}`
  if (plan.nothingToCompare) return escapeText(plan.nothingToCompare)
  return 'nothing'
}

/** The notes a publish would record; without a tag (a pull request) they are not known yet, so say where they will come from. */
function describeNotes(plan: Outcome['plan']): string {
  const notes = plan.releaseNotes!
  if (plan.mode === 'validate' && notes.source === 'commit') return "set when a tag is pushed: the release-notes input, the tag's GitHub Release, its message, or `Release <tag>`"
  return escapeText(notes.text)
}

function describeModel(outcome: Outcome): string {
  const { plan } = outcome
  const live = plan.existingModel
  if (live) {
    const latest = live.latest_version ? `, latest version ${live.latest_version.number}` : ', no versions yet'
    return `exists (${escapeText(live.visibility)}${latest}); a new version would be created`
  }
  if (!plan.modelChecked) return 'not checked (no token)'
  return 'does not exist; it would be created'
}

/** Where the schemas came from, and whether the file was compared with the image's Cog schema. */
function describeSource(source: SchemasSource, file: string): string {
  const cog = source.cogVersion ? ` (Cog ${escapeText(source.cogVersion)})` : ''
  if (source.from === 'image') return `the Cog schema in the image's \`run.cog.openapi_schema\` label${cog}`
  const drift: Record<NonNullable<SchemasSource['drift']>, string> = {
    checked: `checked against the image's Cog schema${cog}`,
    off: 'not checked against the image (drift-check: off)',
    'no-image': 'not checked against an image (no image input)',
    'not-cog': 'not checked against the image (not a Cog image)',
    unreadable: 'not checked against the image (it could not be read)',
  }
  return `${codeSpan(file)}${source.drift ? `, ${drift[source.drift]}` : ''}`
}

function describeImage(image: ImageResolution): string {
  const how = image.how === 'verified' ? 'exists in the registry' : `resolved${image.platform ? ` for ${image.platform}` : ''}`
  return `${codeSpan(image.reference)} (${how})`
}

/**
 * A short, stable fingerprint of the schemas, to tell versions apart at a glance: the CRC-32 of
 * their canonical JSON. Not a sha256: node:crypto would add about 5 ms to every start.
 */
export function schemasHash(schemas: Schemas): string {
  return `crc32:${crc32(canonicalJson(schemas)).toString(16).padStart(8, '0')}`
}

/** The input schema's properties in x-order order (then as written), one table row each. */
function inputRows(schemas: Schemas): string[] {
  const input = schemas.prediction.input as { properties?: Record<string, Record<string, unknown>>; required?: unknown }
  const required = new Set(Array.isArray(input.required) ? input.required : [])
  const entries = Object.entries(input.properties ?? {})
  const order = (p: Record<string, unknown>) => (typeof p['x-order'] === 'number' ? p['x-order'] : Number.POSITIVE_INFINITY)
  return entries
    .map(([name, property], index) => ({ name, property, index }))
    .sort((a, b) => order(a.property) - order(b.property) || a.index - b.index)
    .map(({ name, property }) => {
      const type = Array.isArray(property.type)
        ? property.type.join(' | ')
        : typeof property.type === 'string'
          ? property.type
          : typeof property.$ref === 'string'
            ? property.$ref.split('/').pop()!
            : 'any'
      const fallback = 'default' in property ? jsonSpan(property.default) : ''
      const description = typeof property.description === 'string' ? property.description : ''
      return `| ${codeSpan(name)} | ${escapeText(type)} | ${required.has(name) ? 'yes' : ''} | ${fallback} | ${escapeText(description)} |`
    })
}

function findingsTable(findings: readonly Finding[]): string[] {
  return [
    '| Severity | Rule | Location | Message |',
    '| --- | --- | --- | --- |',
    ...findings.map((f) => `| ${f.severity} | ${codeSpan(f.rule)} | ${escapeText(`${f.file}:${f.line}:${f.column}`)} | ${escapeText(f.message)} |`),
  ]
}

function changesTable(changes: readonly Finding[]): string[] {
  return [
    '| | Rule | Location | Was | Change | Fingerprint |',
    '| --- | --- | --- | --- | --- | --- |',
    ...changes.map(
      (c) =>
        `| ${kindOf(c)} | ${codeSpan(c.rule)} | ${escapeText(`${c.file}:${c.line}:${c.column}`)} | ${describeWas(c)} | ${escapeText(c.message)}${describeAccepted(c)} | ${c.change ? codeSpan(c.change.fingerprint) : ''} |`,
    ),
  ]
}

/** breaking, accepted (a breaking change on the record) or info. */
function kindOf(c: Finding): string {
  if (c.change?.accepted) return 'accepted'
  return c.change?.breaking && c.severity !== 'notice' ? 'breaking' : 'info'
}

function describeAccepted(c: Finding): string {
  const accepted = c.change?.accepted
  if (!accepted) return ''
  return accepted.by === 'label' ? ` (accepted by the label ${codeSpan(accepted.label)})` : ` (accepted: ${escapeText(accepted.reason)})`
}

/** The live value of what changed, as code; empty when the keyword is new. */
function describeWas(c: Finding): string {
  return c.change && 'was' in c.change ? jsonSpan(c.change.was) : ''
}

/** A value as JSON in a code span, cut at 80 characters; empty for what JSON cannot write. */
function jsonSpan(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined) return ''
  return codeSpan(json.length > 80 ? `${json.slice(0, 79)}…` : json)
}

/** Every line break a Markdown renderer or a browser may honour: a bare CR ends a line in CommonMark too. */
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029]/g

/** Text as an inline code span in a table cell: shown as written, `<` and `&` included. */
export function codeSpan(text: string): string {
  const flat = text.replace(LINE_BREAKS, ' ').replace(/\|/g, '\\|')
  const fence = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/**
 * GitHub drops a step summary over 1024 KiB whole. The tables share what is left after the rest:
 * each stops at its share and says how many rows it left out; the outputs and the CLI have them all.
 */
const TABLE_BYTES: Record<string, number> = { Findings: 400 * 1024, Changes: 300 * 1024, Inputs: 250 * 1024 }

/** A headed table (its first two rows are the header), folded into <details> when it is long, cut at its share of the summary. */
function table(title: string, count: number, rows: string[], share = title.split(' ')[0]!): string[] {
  const budget = TABLE_BYTES[share] ?? 100 * 1024
  let used = 0
  let kept = 0
  for (const row of rows) {
    used += Buffer.byteLength(row, 'utf8') + 1
    if (used > budget) break
    kept++
  }
  const shown = rows.slice(0, kept)
  const omitted = rows.length - kept
  const where = share === 'Inputs' ? 'the schemas file has them all' : 'the log lists every one, and so does `wriftai-publish validate`'
  if (omitted > 0) shown.push('', `… and ${omitted} more, left out to keep the summary within GitHub's 1024 KiB; ${where}.`)
  if (count <= FOLD_AFTER) return [`### ${escapeText(title)}`, '', ...shown]
  return [`<details><summary>${escapeText(title)}: ${count}</summary>`, '', ...shown, '', '</details>']
}

function link(text: string, url: string | undefined): string {
  return url ? `[${text}](${url})` : text
}

/** Makes user text inert inside Markdown tables and HTML. */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    .replace(LINE_BREAKS, ' ')
}
