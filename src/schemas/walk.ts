import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './keywords.js'
import { escapePointer, splitPointer } from './document.js'
import { compilePattern } from './regexp.js'

export type SchemaObject = Record<string, unknown>

export interface Subschema {
  schema: SchemaObject
  /** Pointer of this subschema from the document root. */
  pointer: string
  /** The subschema this one sits in, and the keyword that holds it. */
  parent?: { schema: SchemaObject; keyword: string }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value at a JSON pointer below `root` (own members and array indexes only); undefined when there is none. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node: unknown = root
  for (const segment of splitPointer(pointer)) {
    if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment]
    else if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)]
    else return undefined
  }
  return node
}

/** Whether a schema `pattern` (ECMA-262, unicode) matches `name`; a pattern that does not compile matches nothing. */
export function testPattern(pattern: string, name: string): boolean {
  try {
    return compilePattern(pattern).test(name)
  } catch {
    return false
  }
}

const PROTO = '__proto__'

/** Sets a member by a name from the file: defined, not assigned, so that "__proto__" is a name like any other. */
export function setMember(object: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true })
}

/** Whether a subschema names a property "__proto__", which ajv does not check as written. */
export function namesProto(schema: SchemaObject): boolean {
  return (isObject(schema.properties) && Object.hasOwn(schema.properties, PROTO)) || (Array.isArray(schema.required) && schema.required.includes(PROTO))
}

/**
 * ajv skips a property named "__proto__" in "properties" and reads `data.__proto__` for "required"
 * (the prototype, never undefined). The same assertions, added in forms ajv applies to own names:
 * patternProperties for the property's schema, propertyNames for its presence. Changes `schema`;
 * one that names no "__proto__" is left as it is.
 */
export function guardProto(schema: SchemaObject): void {
  if (isObject(schema.properties) && Object.hasOwn(schema.properties, PROTO)) {
    const patterns: SchemaObject = isObject(schema.patternProperties) ? { ...schema.patternProperties } : {}
    const exact = '^__proto__$'
    const declared = schema.properties[PROTO]
    patterns[exact] = Object.hasOwn(patterns, exact) ? { allOf: [patterns[exact], declared] } : declared
    schema.patternProperties = patterns
  }
  if (Array.isArray(schema.required) && schema.required.includes(PROTO)) {
    const present = { anyOf: [{ not: { type: 'object' } }, { not: { propertyNames: { not: { const: PROTO } } } }] }
    schema.allOf = [...(Array.isArray(schema.allOf) ? schema.allOf : []), present]
  }
}

/** Every object subschema below (and including) `root`, as a list. */
export function listSubschemas(root: SchemaObject, rootPointer: string): Subschema[] {
  return [...subschemas(root, rootPointer)]
}

/** Every object subschema below (and including) `root`, depth first, without recursion. */
export function* subschemas(root: SchemaObject, rootPointer: string): Generator<Subschema> {
  const stack: Subschema[] = [{ schema: root, pointer: rootPointer }]
  while (stack.length > 0) {
    const current = stack.pop()!
    yield current
    const { schema, pointer } = current
    const children: Subschema[] = []
    const add = (value: unknown, childPointer: string, keyword: string): void => {
      if (isObject(value)) children.push({ schema: value, pointer: childPointer, parent: { schema, keyword } })
    }
    for (const [keyword, value] of Object.entries(schema)) {
      if (SCHEMA_KEYWORDS.has(keyword)) add(value, `${pointer}/${keyword}`, keyword)
      else if (SCHEMA_ARRAY_KEYWORDS.has(keyword) && Array.isArray(value)) value.forEach((item, i) => add(item, `${pointer}/${keyword}/${i}`, keyword))
      else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) {
        for (const [name, item] of Object.entries(value)) add(item, `${pointer}/${keyword}/${escapePointer(name)}`, keyword)
      }
    }
    stack.push(...children.reverse())
  }
}
