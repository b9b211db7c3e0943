import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import { ANNOTATIONS, type ShapeValidators } from './compile.js'
import { escapePointer } from './document.js'
import { Expansion } from './expansion.js'
import { howToAllowNull, REFERENCE_KEYWORDS } from './keywords.js'
import type { Problem } from './lint.js'
import type { RuleId } from './rules.js'
import { isObject, type SchemaObject, type Subschema } from './walk.js'

/** Whether any subschema refers or can be referred to, so the schema must be added to ajv whole. */
export function usesReferences(subs: readonly Subschema[]): boolean {
  return subs.some(({ schema }) => REFERENCE_KEYWORDS.some((keyword) => keyword in schema))
}

/** How the value checks compile: the schemas without `nullable`, and what to do when one fails. */
export interface ConsistencyContext {
  /** The subschemas as compiled (a copy without `nullable` when there is one), by pointer. */
  compiled: ReadonlyMap<string, SchemaObject>
  /** An ajv without strict mode, for a subschema whose children the strict compile refused. */
  lenient: () => Ajv2020
  /** Whether a finding already explains why the subschema at this pointer (or inside it) cannot compile. */
  explained: (pointer: string) => boolean
}

/**
 * Every `default`, `examples` item, `enum` member and `const` must be valid against the subschema
 * it sits in; a required property with a default is a warning. `subs` starts with the schema's
 * root, which was added to `ajv` under `rootId` when it uses references. A subschema that cannot be
 * compiled is skipped alone: the rest are still checked.
 */
export function checkConsistency(ajv: Ajv2020, subs: readonly Subschema[], rootId: string, shapes: ShapeValidators, context: ConsistencyContext): Problem[] {
  const rootPointer = subs[0]?.pointer ?? ''
  const problems: Problem[] = []
  // Subschemas that hold a reference keyword, themselves or below: they are compiled in place, so
  // that references resolve. Decided by the structure, not by the text ("$ref" may be a value).
  const referencing = new Set<string>()
  for (const { schema, pointer } of subs) {
    if (!REFERENCE_KEYWORDS.some((keyword) => keyword in schema)) continue
    for (let at = pointer; at.length >= rootPointer.length && !referencing.has(at); at = at.slice(0, Math.max(at.lastIndexOf('/'), 0))) {
      referencing.add(at)
      if (at === rootPointer) break
    }
  }
  // Generated schemas repeat a few property shapes thousands of times: compile each shape once.
  // Without a nested `$id`, every reference resolves against this root, so equal shapes still
  // share a validator here.
  const nestedIds = subs.some(({ schema }, i) => i > 0 && '$id' in schema)
  const validators = new Map<string, ValidateFunction | null>()
  const unusable = new Set<string>()
  const validatorFor = (pointer: string, original: SchemaObject, omit?: string): ValidateFunction | undefined => {
    const schema = context.compiled.get(pointer) ?? original
    // An enum member is checked against the rest of its schema: without the enum itself, which would
    // cost a scan of every member for each member.
    const assertions = Object.fromEntries(Object.entries(schema).filter(([k]) => !ANNOTATIONS.has(k) && !k.startsWith('x-') && k !== omit))
    const content = JSON.stringify(assertions)
    try {
      if (!referencing.has(pointer)) {
        let validate = shapes.get(content)
        if (!validate) {
          validate = compileOrLenient(ajv, context, assertions)
          shapes.set(content, validate)
        }
        return validate
      }
      // In place, the whole subschema is compiled (the enum too): its key is the whole of it.
      const key = nestedIds ? `@${pointer}` : omit && omit in schema ? JSON.stringify({ ...assertions, [omit]: schema[omit] }) : content
      let validate = validators.get(key)
      if (validate === undefined) {
        const fragment = pointer.slice(rootPointer.length).split('/').map(encodeURIComponent).join('/')
        validate = ajv.getSchema(`${rootId}#${fragment}`) ?? null
        validators.set(key, validate)
      }
      return validate ?? undefined
    } catch (error: unknown) {
      // Said once per subschema: what stops its values from being checked, unless a finding already says it.
      if (!unusable.has(pointer) && !context.explained(pointer)) {
        problems.push({ severity: 'error', rule: 'schema-compile', pointer, message: `the values here cannot be checked: ${(error as Error).message}` })
      }
      unusable.add(pointer)
      return undefined
    }
  }
  // References expand as often as they are written: a few kilobytes of them can cost more than any run pays for one value.
  const expansion = new Expansion(subs[0]?.schema ?? {}, subs.length)
  const tooLarge = new Set<string>()
  const check = (schema: SchemaObject, pointer: string, value: unknown, at: string, rule: RuleId, what: string, ignore?: string): void => {
    if (referencing.has(pointer) && expansion.exceeds(schema)) {
      if (!tooLarge.has(pointer)) {
        tooLarge.add(pointer)
        problems.push({
          severity: 'warning',
          rule: 'too-complex',
          pointer,
          message: `the values here are not checked: through its references, checking one value would visit more than ${expansion.budget.toLocaleString('en-US')} subschemas`,
        })
      }
      return
    }
    const validate = validatorFor(pointer, schema, ignore)
    if (!validate || validate(value)) return
    const errors = (validate.errors ?? []).filter((e) => !(ignore && e.keyword === ignore && e.instancePath === ''))
    if (errors.length > 0) {
      problems.push({
        severity: 'error',
        rule,
        pointer: at,
        message: `${what} ${JSON.stringify(value).slice(0, 60)} does not match its schema: ${describe(errors)}${nullableHint(schema, value)}${caseHint(schema, value)}`,
      })
    }
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
        const property = typeof name === 'string' && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined
        // Deprecated, yet every caller must still send it: the deprecation cannot be acted on.
        if (isObject(property) && property.deprecated === true && /^\/(?:prediction|training)\/input(?:\/|$)/.test(pointer)) {
          problems.push({
            severity: 'warning',
            rule: 'deprecated-required',
            pointer: `${pointer}/properties/${escapePointer(name as string)}/deprecated`,
            message: `"${name as string}" is deprecated but required, so callers must still send it; drop it from "required" first`,
          })
        }
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

/** A strict compile that failed on a child leaves the lenient one, which ignores what strict mode refuses. */
function compileOrLenient(ajv: Ajv2020, context: ConsistencyContext, schema: SchemaObject): ValidateFunction {
  try {
    return ajv.compile(schema)
  } catch {
    return context.lenient().compile(schema)
  }
}

/** For a null that fails beside OpenAPI's `nullable: true`: say that 2020-12 ignores it, and what allows null. */
function nullableHint(schema: SchemaObject, value: unknown): string {
  if (value !== null || schema.nullable !== true) return ''
  return `; "nullable" is OpenAPI 3.0 and is ignored by JSON Schema 2020-12: allow null with ${howToAllowNull(schema)}`
}

/** A string that an enum member spells with other capitals ("Auto" for "auto"). */
function caseHint(schema: SchemaObject, value: unknown): string {
  if (typeof value !== 'string' || !Array.isArray(schema.enum)) return ''
  const member = schema.enum.find((m) => typeof m === 'string' && m !== value && m.toLowerCase() === value.toLowerCase())
  return member === undefined ? '' : `; did you mean ${JSON.stringify(member)}? (enum members are matched case by case)`
}

function describe(errors: ErrorObject[]): string {
  const first = errors[0]!
  const params = first.params as Record<string, unknown>
  const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` : ''
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : ''
  return `${first.instancePath ? `${first.instancePath} ` : ''}${first.message ?? 'is invalid'}${allowed}${more}`
}
