import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import type { Finding } from '../findings.js'
import type { Schemas } from '../wriftai/types.js'
import { escapePointer, type SourceDocument } from './document.js'

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020

const SECTIONS = ['prediction', 'training'] as const
const SIDES = ['input', 'output'] as const

/** Checks the `{"prediction": {"input": …, "output": …}}` envelope and each JSON Schema in it. */
export function validateSchemas(document: SourceDocument): { schemas?: Schemas; findings: Finding[] } {
  const findings: Finding[] = []
  const report = (rule: string, pointer: string, message: string): void => {
    const at = document.locate(pointer)
    findings.push({ severity: 'error', rule, message, pointer, file: document.file, line: at.line, column: at.column })
  }

  const root = document.value
  if (!isObject(root)) {
    report('envelope', '', 'the file must be a JSON object: {"prediction": {"input": {…}, "output": {…}}}')
    return { findings }
  }
  for (const key of Object.keys(root)) {
    if (!(SECTIONS as readonly string[]).includes(key)) report('envelope', `/${escapePointer(key)}`, `unknown top-level key "${key}"; expected "prediction" (and optionally "training")`)
  }
  if (!('prediction' in root)) report('envelope', '', 'missing "prediction": {"input": {…}, "output": {…}}')

  const ajv = createAjv()
  for (const section of SECTIONS) {
    if (!(section in root)) continue
    const body = root[section]
    if (!isObject(body)) {
      report('envelope', `/${section}`, `"${section}" must be an object with "input" and "output" schemas`)
      continue
    }
    for (const key of Object.keys(body)) {
      if (!(SIDES as readonly string[]).includes(key)) report('envelope', `/${section}/${escapePointer(key)}`, `unknown key "${key}" in "${section}"; expected "input" and "output"`)
    }
    for (const side of SIDES) {
      const pointer = `/${section}/${side}`
      if (!(side in body)) {
        report('envelope', `/${section}`, `"${section}" is missing its "${side}" schema`)
      } else if (!isObject(body[side])) {
        report('envelope', pointer, `${section}.${side} must be a JSON Schema object`)
      } else {
        for (const problem of checkSchema(ajv, body[side])) report(problem.rule, pointer + problem.pointer, problem.message)
      }
    }
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column)
  return findings.length === 0 ? { schemas: root as unknown as Schemas, findings } : { findings }
}

interface Problem {
  rule: string
  pointer: string
  message: string
}

function checkSchema(ajv: Ajv2020, schema: Record<string, unknown>): Problem[] {
  if (!ajv.validateSchema(schema)) return metaSchemaProblems(ajv.errors ?? [])
  try {
    ajv.compile(schema)
  } catch (error: unknown) {
    return [{ rule: 'schema-compile', pointer: '', message: `the schema does not compile: ${(error as Error).message}` }]
  } finally {
    ajv.removeSchema(schema)
  }
  return []
}

/** One problem per location: the meta-schema's anyOf branches repeat the same fault several ways. */
function metaSchemaProblems(errors: ErrorObject[]): Problem[] {
  const byPointer = new Map<string, ErrorObject>()
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue
    if (!byPointer.has(error.instancePath)) byPointer.set(error.instancePath, error)
  }
  return [...byPointer.values()].map((error) => ({
    rule: 'meta-schema',
    pointer: error.instancePath,
    message: `${keywordAt(error.instancePath)} ${error.message ?? 'is invalid'}${describeParams(error)}`,
  }))
}

function keywordAt(pointer: string): string {
  return pointer === '' ? 'the schema' : `"${pointer.split('/').pop()}"`
}

function describeParams(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  return ''
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true })
  addFormats(ajv)
  return ajv
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
