import { formatModelId } from '../wriftai/identifier.js'
import type { Finding } from '../findings.js'
import type { Outcome } from '../pipeline/run.js'
import type { ImageResolution } from '../registry/resolve.js'

/** The job summary as Markdown: the result after a publish, the plan after a validation. */
export function renderSummary(outcome: Outcome): string {
  const { plan, result } = outcome
  const lines: string[] = []
  const model = plan.model ? formatModelId(plan.model) : undefined
  if (result) {
    const id = `${formatModelId(result.model)}:${result.version.number}`
    lines.push(`## ${result.versionCreated ? 'Published' : 'Already published'} ${link(escapeText(id), outcome.url)}`, '')
    for (const note of result.notes) lines.push(`> [!NOTE]`, `> ${escapeText(note)}`, '')
    lines.push('| | |', '| --- | --- |')
    lines.push(`| Model | ${escapeText(formatModelId(result.model))}${result.modelCreated ? ' (created)' : ''} |`)
    lines.push(`| Version | ${result.version.number}${result.versionCreated ? '' : ' (already published)'} |`)
    lines.push(`| Image digest | \`${escapeText(result.version.container_image_digest)}\` |`)
    if (plan.image) lines.push(`| Image | ${describeImage(plan.image)} |`)
    lines.push(`| Release notes | ${escapeText(result.version.release_notes)} |`)
  } else {
    const failed = outcome.failure !== undefined
    lines.push(`## ${failed ? '❌' : '✅'} ${plan.mode === 'publish' ? 'Not published' : 'Validated'}: ${escapeText(plan.schemasFile)}${model ? ` for ${escapeText(model)}` : ''}`, '')
    if (failed) lines.push(escapeText(outcome.failure ?? ''), '')
    if (plan.image) lines.push(`Image: ${describeImage(plan.image)}`, '')
  }
  if (plan.findings.length > 0) lines.push('', ...findingsTable(plan.findings))
  return `${lines.join('\n')}\n`
}

function findingsTable(findings: readonly Finding[]): string[] {
  const rows = findings.map(
    (f) => `| ${f.severity} | \`${escapeText(f.rule)}\` | ${escapeText(`${f.file}:${f.line}:${f.column}`)} | ${escapeText(f.message)} |`,
  )
  const table = ['| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |', ...rows]
  if (findings.length <= 10) return ['### Findings', '', ...table]
  return [`<details><summary>${findings.length} findings</summary>`, '', ...table, '', '</details>']
}

function describeImage(image: ImageResolution): string {
  const how = image.how === 'verified' ? 'exists in the registry' : `resolved${image.platform ? ` for ${image.platform}` : ''}`
  return `\`${escapeText(image.reference)}\` (${how})`
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
    .replace(/\r?\n/g, ' ')
}
