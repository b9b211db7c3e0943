import { UserError } from '../errors.js'
import { escapePointer, unescapeSegment } from '../schemas/document.js'
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from '../schemas/keywords.js'
import { isObject, type SchemaObject } from '../schemas/walk.js'
import type { Schemas } from '../wriftai/types.js'

/** The image config label where Cog writes the model's OpenAPI document, and the one with its own version. */
export const COG_SCHEMA_LABEL = 'run.cog.openapi_schema'
export const COG_VERSION_LABEL = 'run.cog.version'

export interface CogConversion {
  schemas: Schemas
  /** The schemas file's text: 2-space JSON in the source's key order, with a final newline. */
  text: string
  /** What had no 2020-12 form and was dropped, one line each. */
  notes: string[]
}

/** A Cog document that cannot be converted, named by where it came from. */
export class CogImportError extends UserError {
  override name = 'CogImportError'
}

const COMPONENTS = '#/components/schemas/'
/** Keywords that only describe; they stay beside the `anyOf` that a `nullable` without a `type` becomes. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment'])
/** OpenAPI 3.0 keywords with no 2020-12 form. */
const DROPPED = new Set(['discriminator', 'xml', 'externalDocs'])

/**
 * Turns the OpenAPI 3.0 document Cog writes (its image label, or `GET /openapi.json`) into a
 * schemas file: `Input`/`Output` become `prediction`, `TrainingInput`/`TrainingOutput` become
 * `training`, each component a root reaches is copied into that root's `$defs`, and OpenAPI's own
 * keywords take their 2020-12 form (`nullable`, `example`, boolean exclusive bounds).
 */
export function convertCogDocument(document: unknown, source: string): CogConversion {
  const components = isObject(document) && isObject(document.components) ? document.components.schemas : undefined
  if (!isObject(components)) throw new CogImportError(`${source} is not a Cog OpenAPI document: it has no components.schemas`)
  const notes: string[] = []
  const root = (name: string): SchemaObject => {
    const schema = components[name]
    if (!isObject(schema)) throw new CogImportError(`${source} has no components.schemas.${name}, which Cog writes for every model`)
    return convertRoot(name, components, source, notes)
  }
  const schemas: Schemas = { prediction: { input: root('Input'), output: root('Output') } }
  const training = ['TrainingInput', 'TrainingOutput'].filter((name) => Object.hasOwn(components, name))
  if (training.length === 2) schemas.training = { input: root('TrainingInput'), output: root('TrainingOutput') }
  else if (training.length === 1)
    notes.push(`components.schemas.${training[0]} has no ${training[0] === 'TrainingInput' ? 'TrainingOutput' : 'TrainingInput'} beside it; training was left out`)
  return { schemas, text: `${JSON.stringify(schemas, null, 2)}\n`, notes }
}

/** One root schema, with every component it reaches (transitively) in its own `$defs`. */
function convertRoot(name: string, components: Record<string, unknown>, source: string, notes: string[]): SchemaObject {
  const wanted: string[] = []
  const seen = new Set<string>()
  const reach = (component: string, where: string): string => {
    if (!Object.hasOwn(components, component) || !isObject(components[component]))
      throw new CogImportError(`${source}: ${where} refers to components.schemas.${component}, which does not exist`)
    if (!seen.has(component)) {
      seen.add(component)
      wanted.push(component)
    }
    return `#/$defs/${escapePointer(component)}`
  }
  const converted = convertSchema(components[name] as SchemaObject, `components.schemas.${name}`, { reach, notes, source })
  if (wanted.length > 0) {
    const defs: SchemaObject = isObject(converted.$defs) ? { ...converted.$defs } : {}
    // `wanted` grows while its members are converted: each new reference is reached in turn.
    for (let i = 0; i < wanted.length; i++) {
      const component = wanted[i] as string
      if (Object.hasOwn(defs, component)) throw new CogImportError(`${source}: components.schemas.${name} already has a $defs entry "${component}"`)
      defs[component] = convertSchema(components[component] as SchemaObject, `components.schemas.${component}`, { reach, notes, source })
    }
    if (Object.keys(defs).length > 0) converted.$defs = defs
  }
  return converted
}

interface Context {
  reach(component: string, where: string): string
  notes: string[]
  source: string
}

/** As deep as a schemas file may nest (document.ts MAX_DEPTH); a label nested deeper is refused, not recursed into. */
const MAX_DEPTH = 256

function convertSchema(schema: SchemaObject, where: string, context: Context, depth = 0): SchemaObject {
  if (depth > MAX_DEPTH) throw new CogImportError(`${context.source}: ${where.slice(0, 200)}… is nested deeper than ${MAX_DEPTH} levels`)
  const out: SchemaObject = {}
  for (const [keyword, value] of Object.entries(schema)) {
    const at = `${where}.${keyword}`
    if (keyword === '$ref' && typeof value === 'string') {
      if (!value.startsWith(COMPONENTS))
        throw new CogImportError(`${context.source}: ${at} is "${value}"; only references to #/components/schemas/… can be brought into the schemas file`)
      out.$ref = context.reach(decodePointerSegment(value.slice(COMPONENTS.length)), where)
    } else if (keyword === 'example') {
      if (!Object.hasOwn(schema, 'examples')) out.examples = [value]
    } else if ((keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') && typeof value === 'boolean') {
      // OpenAPI 3.0 (draft 4) marks the bound beside it as exclusive; 2020-12 gives the bound to this keyword.
      const bound = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'
      if (value && typeof schema[bound] === 'number') out[keyword] = schema[bound]
    } else if ((keyword === 'minimum' || keyword === 'maximum') && schema[keyword === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true) {
      // Taken over by its exclusive keyword above.
    } else if (DROPPED.has(keyword)) {
      context.notes.push(`${at} was dropped: OpenAPI's "${keyword}" has no JSON Schema 2020-12 form`)
    } else if (keyword === 'nullable') {
      // Applied below, once every other keyword is in place.
    } else if (SCHEMA_KEYWORDS.has(keyword) && isObject(value)) {
      out[keyword] = convertSchema(value, at, context, depth + 1)
    } else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((item, i) => (isObject(item) ? convertSchema(item, `${at}[${i}]`, context, depth + 1) : item))
    } else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isObject(item) ? convertSchema(item, `${at}.${name}`, context, depth + 1) : item]))
    } else {
      out[keyword] = value
    }
  }
  return schema.nullable === true ? allowNull(out) : out
}

/**
 * OpenAPI's `nullable: true` in 2020-12: null added to `type`, or an `anyOf` branch that takes null
 * where there is no `type` (what Cog means by it). An `enum` keeps its members: as in OpenAPI 3.0.3,
 * null passes an enum only when it is one of them.
 */
function allowNull(schema: SchemaObject): SchemaObject {
  if (typeof schema.type === 'string' || Array.isArray(schema.type)) {
    const types = typeof schema.type === 'string' ? [schema.type] : (schema.type as unknown[])
    if (!types.includes('null')) schema.type = [...types, 'null']
    return schema
  }
  const nullBranch = { type: 'null' }
  const takesNull = (branch: unknown) => isObject(branch) && branch.type === 'null'
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword]
    if (Array.isArray(branches) && Object.keys(schema).every((k) => k === keyword || ANNOTATIONS.has(k) || k.startsWith('x-'))) {
      if (!branches.some(takesNull)) schema[keyword] = [...branches, nullBranch]
      return schema
    }
  }
  // Anything else (an allOf around a reference, a bare enum): its assertions become one branch.
  const annotations: SchemaObject = {}
  const assertions: SchemaObject = {}
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword.startsWith('x-')) annotations[keyword] = value
    else assertions[keyword] = value
  }
  if (Object.keys(assertions).length === 0) return schema
  const ordered: SchemaObject = {}
  let placed = false
  for (const keyword of Object.keys(schema)) {
    if (keyword in annotations) ordered[keyword] = annotations[keyword]
    else if (!placed) {
      ordered.anyOf = [assertions, nullBranch]
      placed = true
    }
  }
  return ordered
}

function decodePointerSegment(segment: string): string {
  let decoded = segment
  try {
    decoded = decodeURIComponent(segment)
  } catch {
    // Not percent-encoded: taken as written.
  }
  return unescapeSegment(decoded)
}

/**
 * The schemas file Cog's label in an image config stands for, with the label's Cog version;
 * undefined when the image has no such label (it is not a Cog image). The label is named in every error.
 */
export function convertCogLabel(labels: Readonly<Record<string, string>>, image: string): { conversion: CogConversion; cogVersion?: string } | undefined {
  const text = labels[COG_SCHEMA_LABEL]
  if (text === undefined) return undefined
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new CogImportError(`${image}: the "${COG_SCHEMA_LABEL}" label is not JSON`)
  }
  const conversion = convertCogDocument(document, `the "${COG_SCHEMA_LABEL}" label of ${image}`)
  const cogVersion = labels[COG_VERSION_LABEL]
  return { conversion, ...(typeof cogVersion === 'string' && cogVersion !== '' && { cogVersion }) }
}
