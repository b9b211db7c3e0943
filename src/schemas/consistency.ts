import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import { ANNOTATIONS, type ShapeValidators } from './compile.js'
import { escapePointer } from './document.js'
import { REFERENCE_KEYWORDS } from './keywords.js'
import type { Problem } from './lint.js'
import type { RuleId } from './rules.js'
import { isObject, type SchemaObject, type Subschema } from './walk.js'

/** A REFERENCE_KEYWORDS member name anywhere in a subschema's JSON, nested subschemas included. */
const REFERENCING = new RegExp(`"(?:${REFERENCE_KEYWORDS.map((keyword) => keyword.replace('$', '\\$')).join('|')})"`)

/** Whether any subschema refers or can be referred to, so the schema must be added to ajv whole. */
export function usesReferences(subs: readonly Subschema[]): boolean {
  return subs.some(({ schema }) => REFERENCE_KEYWORDS.some((keyword) => keyword in schema))
}

/**
 * Every `default`, `examples` item, `enum` member and `const` must be valid against the subschema
 * it sits in; a required property with a default is a warning. `subs` starts with the schema's
 * root, which was added to `ajv` under `rootId` when it uses references.
 */
export function checkConsistency(ajv: Ajv2020, subs: readonly Subschema[], rootId: string, shapes: ShapeValidators): Problem[] {
  const rootPointer = subs[0]?.pointer ?? ''
  const problems: Problem[] = []
  // Generated schemas repeat a few property shapes thousands of times: compile each shape once.
  // Shapes with references are compiled in place so that they resolve; without a nested `$id`,
  // every reference resolves against this root, so equal shapes still share a validator here.
  const nestedIds = subs.some(({ schema }, i) => i > 0 && '$id' in schema)
  const validators = new Map<string, ValidateFunction>()
  const validatorFor = (pointer: string, schema: SchemaObject): ValidateFunction => {
    const assertions = Object.fromEntries(Object.entries(schema).filter(([k]) => !ANNOTATIONS.has(k) && !k.startsWith('x-')))
    const content = JSON.stringify(assertions)
    if (!REFERENCING.test(content)) {
      let validate = shapes.get(content)
      if (!validate) shapes.set(content, (validate = ajv.compile(assertions)))
      return validate
    }
    const key = nestedIds ? `@${pointer}` : content
    let validate = validators.get(key)
    if (!validate) {
      const fragment = pointer.slice(rootPointer.length).split('/').map(encodeURIComponent).join('/')
      validate = ajv.getSchema(`${rootId}#${fragment}`)
      if (!validate) throw new Error(`no subschema at ${pointer}`)
      validators.set(key, validate)
    }
    return validate
  }
  const check = (schema: SchemaObject, pointer: string, value: unknown, at: string, rule: RuleId, what: string, ignore?: string): void => {
    const validate = validatorFor(pointer, schema)
    if (validate(value)) return
    const errors = (validate.errors ?? []).filter((e) => !(ignore && e.keyword === ignore && e.instancePath === ''))
    if (errors.length > 0) problems.push({ severity: 'error', rule, pointer: at, message: `${what} ${JSON.stringify(value).slice(0, 60)} does not match its schema: ${describe(errors)}` })
  }

  for (const { schema, pointer } of subs) {
    if ('default' in schema) check(schema, pointer, schema.default, `${pointer}/default`, 'default-mismatch', 'default')
    if (Array.isArray(schema.examples)) {
      schema.examples.forEach((example, i) => check(schema, pointer, example, `${pointer}/examples/${i}`, 'example-mismatch', 'example'))
    }
    if (Array.isArray(schema.enum)) schema.enum.forEach((member, i) => check(schema, pointer, member, `${pointer}/enum/${i}`, 'enum-mismatch', 'enum member', 'enum'))
    if ('const' in schema) check(schema, pointer, schema.const, `${pointer}/const`, 'const-mismatch', 'const', 'const')
    if (Array.isArray(schema.required) && isObject(schema.properties)) {
      for (const name of schema.required) {
        const property = typeof name === 'string' ? schema.properties[name] : undefined
        if (isObject(property) && 'default' in property) {
          problems.push({
            severity: 'warning',
            rule: 'required-with-default',
            pointer: `${pointer}/properties/${escapePointer(name as string)}/default`,
            message: `"${name as string}" is required, so its default is never used; drop it from "required" or drop the default`,
          })
        }
      }
    }
  }
  return problems
}

function describe(errors: ErrorObject[]): string {
  const first = errors[0]!
  const params = first.params as Record<string, unknown>
  const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` : ''
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : ''
  return `${first.instancePath ? `${first.instancePath} ` : ''}${first.message ?? 'is invalid'}${allowed}${more}`
}
