import type { Candidate, Kind } from './compare.js'

/** The rules that are information, last in the list below. */
const INFO = ['input-added', 'output-added', 'default-changed', 'annotation-changed', 'input-deprecated', 'output-deprecated', 'compatibility-not-proven'] as const

/** Rule ids of the comparison with the live version, breaking ones first. */
export const CHANGE_RULES = [
  'input-removed',
  'input-now-required',
  'input-new-required',
  'type-narrowed',
  'enum-value-removed',
  'enum-added',
  'minimum-raised',
  'maximum-lowered',
  'length-tightened',
  'pattern-changed',
  'format-changed',
  'additional-properties-closed',
  'multiple-of-changed',
  'unique-items-added',
  'branch-removed',
  'constraint-added',
  'output-removed',
  'output-now-optional',
  'output-type-changed',
  'output-nullable',
  'output-enum-value-added',
  'output-range-widened',
  'output-length-widened',
  'output-pattern-changed',
  'output-format-changed',
  'output-multiple-of-changed',
  'output-unique-items-removed',
  'output-branch-added',
  'output-constraint-removed',
  'section-removed',
  'deprecated-input-removed',
  'deprecated-output-removed',
  ...INFO,
] as const

export type ChangeRule = (typeof CHANGE_RULES)[number]

/** Rules that are information: nothing a caller sees breaks. */
export const INFO_RULES = new Set<ChangeRule>(INFO)

/** Warnings that need no major version: a property the live version had marked deprecated, removed. */
export const DEPRECATION_RULES = new Set<ChangeRule>(['deprecated-input-removed', 'deprecated-output-removed'])

/** The rule a candidate of `kind` is reported under, on each side. */
export function ruleOf(side: 'input' | 'output', c: Candidate): ChangeRule {
  if (side === 'input') return INPUT_RULES[c.kind](c)
  return OUTPUT_RULES[c.kind](c)
}

const INPUT_RULES: Record<Kind, (c: Candidate) => ChangeRule> = {
  'property-removed': () => 'input-removed',
  'property-added': () => 'input-added',
  required: (c) => (c.name !== undefined && c.a.schema.properties && Object.hasOwn(c.a.schema.properties, c.name) ? 'input-now-required' : 'input-new-required'),
  type: () => 'type-narrowed',
  enum: (c) => (Array.isArray(c.a.schema.enum) ? 'enum-value-removed' : 'enum-added'),
  minimum: () => 'minimum-raised',
  maximum: () => 'maximum-lowered',
  length: () => 'length-tightened',
  pattern: () => 'pattern-changed',
  format: () => 'format-changed',
  closed: () => 'additional-properties-closed',
  multipleOf: () => 'multiple-of-changed',
  uniqueItems: () => 'unique-items-added',
  branch: () => 'branch-removed',
  constraint: () => 'constraint-added',
}

// For outputs A is the local schema and B the live one: what B had that A lacks was removed.
const OUTPUT_RULES: Record<Kind, (c: Candidate) => ChangeRule> = {
  'property-removed': () => 'output-added',
  'property-added': () => 'output-removed',
  required: (c) => (c.name !== undefined && c.a.schema.properties && Object.hasOwn(c.a.schema.properties, c.name) ? 'output-now-optional' : 'output-removed'),
  type: (c) => (gainedTypes(c).every((t) => t === 'null') && gainedTypes(c).length > 0 ? 'output-nullable' : 'output-type-changed'),
  enum: () => 'output-enum-value-added',
  minimum: () => 'output-range-widened',
  maximum: () => 'output-range-widened',
  length: () => 'output-length-widened',
  pattern: () => 'output-pattern-changed',
  format: () => 'output-format-changed',
  closed: () => 'output-added',
  multipleOf: () => 'output-multiple-of-changed',
  uniqueItems: () => 'output-unique-items-removed',
  branch: () => 'output-branch-added',
  constraint: () => 'output-constraint-removed',
}

/** Types A allows that B does not (for outputs: what the local output can now be). */
export function gainedTypes(c: Candidate): string[] {
  const a = c.a.schema.type
  const b = c.b.schema.type
  const tA = Array.isArray(a) ? (a as string[]) : ['null', 'boolean', 'object', 'array', 'number', 'string']
  const tB = Array.isArray(b) ? (b as string[]) : undefined
  if (!tB) return []
  return tA.filter((t) => !tB.includes(t) && !(t === 'integer' && tB.includes('number')))
}
