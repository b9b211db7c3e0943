import type { Finding } from '../findings.js'
import type { SourceDocument } from '../schemas/document.js'
import { valueAt } from '../schemas/walk.js'
import type { Schemas } from '../wriftai/types.js'

export interface DriftLabels {
  /** The schemas file as shown to the user. */
  file: string
}

/**
 * Every difference between the schemas file and the image's Cog schema that changes what is
 * accepted or produced, as `schema-drift` findings on the file's lines. The breaking-change
 * comparison runs both ways: what the image takes that the file refuses, and what the file takes
 * that the image refuses (and the same for outputs). Annotations (titles, descriptions, examples,
 * x-*) are not drift.
 */
export async function driftFindings(file: Schemas, document: SourceDocument, image: Schemas, labels: DriftLabels, severity: 'error' | 'warning'): Promise<Finding[]> {
  const { diffSchemas, describeCounterexample, showValue, loadLinearEngineFor } = await import('../schemas/diff/index.js')
  await loadLinearEngineFor(file, image)
  const show = (value: unknown) => (value === undefined ? 'absent' : showValue(value))
  // The image is named once, in the summary and the plan; a message says "the image".
  const imageName = 'the image'
  const findings: Finding[] = []
  const seen = new Set<string>()
  // Image → file: what the file changes against the image, located in the file directly.
  // File → image: what the image changes against the file, located through the file's pointer.
  for (const [from, to, fileSide] of [
    [image, file, 'new'],
    [file, image, 'live'],
  ] as const) {
    const [fromName, toName] = fileSide === 'new' ? [imageName, labels.file] : [labels.file, imageName]
    for (const change of diffSchemas(from, to, { live: fromName })) {
      if (!change.breaking && change.rule !== 'compatibility-not-proven') continue
      const pointer = fileSide === 'new' ? change.pointer : change.livePointer
      const key = `${change.section}/${change.side}${pointer}`
      if (seen.has(key)) continue
      seen.add(key)
      let summary = change.message
      if ('counterexample' in change) {
        const suffix = describeCounterexample(change.side, change.counterexample, fromName)
        if (summary.endsWith(suffix)) summary = summary.slice(0, -suffix.length)
      }
      const keyword = pointer.split('/').pop() ?? ''
      const inFile = valueAt(file, pointer)
      const inImage = fileSide === 'new' ? change.was : valueAt(image, change.pointer)
      const values =
        keyword && !CONTAINERS.has(keyword) && !/^\d+$/.test(keyword) && (inFile !== undefined || inImage !== undefined)
          ? `; "${keyword}" is ${show(inFile)} in ${labels.file} and ${show(inImage)} in the image`
          : ''
      const example = 'counterexample' in change ? `; e.g. ${show(change.counterexample)} ${exampleText(change.side, fromName, toName)}` : ''
      const at = document.locate(pointer)
      findings.push({
        severity,
        rule: 'schema-drift',
        message: `${summary} (${fromName} → ${toName})${values}${example}`,
        pointer,
        file: document.file,
        line: at.line,
        column: at.column,
      })
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** An input counterexample is taken by `from` and refused by `to`; an output one is allowed by `to` and not by `from`. */
function exampleText(side: 'input' | 'output', from: string, to: string): string {
  return side === 'input' ? `is accepted by ${from} and rejected by ${to}` : `is allowed by ${to} but not by ${from}`
}

/** Keywords that hold subschemas: a change located on one (a property added or removed) has no single value to show. */
const CONTAINERS = new Set(['properties', 'patternProperties', '$defs', 'items', 'prefixItems', 'allOf', 'anyOf', 'oneOf', 'dependentSchemas', ''])
