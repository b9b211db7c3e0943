import type { Finding } from '../findings.js'
import type { Schemas } from '../wriftai/types.js'
import { readInputFile } from '../files.js'
import { MAX_SCHEMAS_BYTES, parseJson, type ParseResult, type SourceDocument } from './document.js'
import { loadLinearEngineFor } from './regexp.js'
import { validateSchemas } from './validate.js'

export interface SchemasCheck {
  findings: Finding[]
  /** Present when there is no error. */
  schemas?: Schemas
  /** The parsed file, to place other findings (breaking changes) on its lines. */
  document?: SourceDocument
}

/**
 * Reads and checks a schemas file: JSON text, envelope, and each schema in it. `file` is the path
 * shown to the user, `root` the folder it must lie in (the action's workspace). The product reads
 * its few local files synchronously: the first use of node:fs/promises and the thread pool costs
 * several ms of a start.
 */
export async function checkSchemasFile(path: string, file: string, input?: string, root?: string): Promise<SchemasCheck> {
  const text = readInputFile(path, file, { input: input ?? 'schemas-file', limit: MAX_SCHEMAS_BYTES, over: 'refuse', root })
  return checkParsed(await withLinearEngine(parseJson(text, file)))
}

export function checkSchemasText(text: string, file: string): SchemasCheck {
  return checkParsed(parseJson(text, file))
}

/** Checks schemas text not read from a file here (an image's Cog label, a file at a git ref, a live version), with the pattern engine ready as for a file. */
export async function checkGeneratedSchemas(text: string, file: string): Promise<SchemasCheck> {
  return checkParsed(await withLinearEngine(parseJson(text, file)))
}

/** The pattern engine, loaded when the parsed document holds a pattern (decided on keys as parsed, not on the text). */
async function withLinearEngine(parsed: ParseResult): Promise<ParseResult> {
  if (parsed.document) await loadLinearEngineFor(parsed.document.value)
  return parsed
}

function checkParsed(parsed: ParseResult): SchemasCheck {
  if (!parsed.document) return { findings: parsed.findings }
  // A repeated key does not stop the rest from being checked: every finding is reported at once.
  const validated = validateSchemas(parsed.document)
  const findings = [...parsed.findings, ...validated.findings].sort((a, b) => a.line - b.line || a.column - b.column)
  const valid = findings.every((f) => f.severity !== 'error')
  return valid ? { findings, schemas: validated.schemas, document: parsed.document } : { findings, document: parsed.document }
}
