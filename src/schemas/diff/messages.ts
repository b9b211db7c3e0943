import { isObject } from '../walk.js'
import type { Candidate, Step } from './compare.js'
import { isAnnotation } from './normalize.js'
import type { ChangeRule } from './rules.js'
import { gainedTypes } from './rules.js'
import { MAX_SAMPLE_SIZE } from './samples.js'

/** `input "a.b[]"`, or `the input` at the root. */
export function describePath(side: 'input' | 'output', steps: readonly Step[]): string {
  let path = ''
  // Names are shown as JSON shows them, so that a newline or quote in one stays inside the message.
  for (const { key } of steps) path += typeof key === 'number' ? '[]' : `${path ? '.' : ''}${JSON.stringify(key).slice(1, -1)}`
  return path ? `${side} "${path}"` : `the ${side}`
}

const MAX_VALUE = 120

/** A value as JSON, cut short when long. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text
}

function list(values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map(showValue).join(', ')
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown
}

export function describeCounterexample(side: 'input' | 'output', value: unknown, live: string): string {
  return side === 'input' ? `; e.g. ${showValue(value)} was accepted by ${live} and is now rejected` : `; e.g. ${showValue(value)} can now be produced, which ${live} did not allow`
}

/** The message of a change, without its counterexample. */
export function describeChange(side: 'input' | 'output', rule: ChangeRule, c: Candidate, renamedTo?: string): string {
  const where = describePath(side, c.steps)
  const keyword = c.keyword
  const [live, local] = side === 'input' ? [c.a.schema, c.b.schema] : [c.b.schema, c.a.schema]
  const change = (k: string) => (k in live ? `"${k}" ${showValue(live[k])} → ${k in local ? showValue(local[k]) : 'removed'}` : `"${k}" added (${showValue(local[k])})`)
  switch (rule) {
    case 'input-removed': {
      // Where the object still takes any value under that name, a caller that sends it is not refused: what it sends is ignored.
      const open = !c.b.never && Object.keys(c.b.schema).every(isAnnotation)
      const effect = open ? 'callers that send it are not refused, but what they send is now ignored' : 'callers that send it will fail'
      return `${where} was removed${renamedTo ? ` (renamed to "${renamedTo}"?)` : ''}; ${effect}`
    }
    case 'input-now-required':
      return `${describePath(side, [...c.steps, { container: c.a, key: c.name! }])} is now required`
    case 'input-new-required': {
      const property = isObject(local.properties) ? local.properties[c.name!] : undefined
      const hasDefault = isObject(property) && 'default' in property
      return `new input ${describePath(side, [...c.steps, { container: c.a, key: c.name! }]).replace(/^input /, '')} is required${hasDefault ? ' (a default on a required input is never used)' : ' and has no default'}; callers that do not send it will fail`
    }
    case 'input-added':
      return `new ${where}`
    case 'type-narrowed': {
      const lost = gainedTypes(c)
      const now = Array.isArray(local.type) ? (local.type as string[]).join(', ') : 'no value'
      return `${where} no longer accepts ${lost.length > 0 ? lost.join(', ') : 'some values'} (now ${now})`
    }
    case 'enum-value-removed': {
      const kept = Array.isArray(local.enum) ? local.enum : []
      const removed = Array.isArray(live.enum) ? live.enum.filter((m) => !kept.some((k) => JSON.stringify(k) === JSON.stringify(m))) : []
      return `${where} no longer accepts ${removed.length > 0 ? list(removed) : 'some of its values'}`
    }
    case 'enum-added':
      return `${where} now accepts only ${list(Array.isArray(local.enum) ? local.enum : [])}`
    case 'minimum-raised':
    case 'maximum-lowered':
    case 'length-tightened':
    case 'multiple-of-changed':
    case 'output-range-widened':
    case 'output-length-widened':
    case 'output-multiple-of-changed':
    case 'pattern-changed':
    case 'format-changed':
    case 'output-pattern-changed':
    case 'output-format-changed':
    case 'compatibility-not-proven': {
      const what = `${where}: ${keyword ? change(keyword) : 'changed'}`
      if (rule !== 'compatibility-not-proven') return what
      if (c.tooLarge)
        return `${what}; a value that shows it would be over ${MAX_SAMPLE_SIZE.toLocaleString('en-US')} long, larger than any value checked here, so compatibility is not proven`
      return `${what}; no value was found that one version accepts and the other does not, but compatibility is not proven`
    }
    case 'additional-properties-closed':
      return `${where} no longer accepts properties it does not list ("additionalProperties": false)`
    case 'unique-items-added':
      return `${where} now requires unique items`
    case 'branch-removed':
      return `${where} no longer accepts one of its "${keyword}" alternatives`
    case 'constraint-added':
      return `${where} now rejects values it accepted (${keyword ? `"${keyword}" ${keyword in live ? 'changed' : 'added'}` : 'a new constraint'})`
    case 'output-removed':
      return `${where} was removed; callers that read it will break`
    case 'output-now-optional':
      return `${describePath(side, [...c.steps, { container: c.a, key: c.name! }])} is no longer always present`
    case 'output-added':
      return `new ${where}`
    case 'output-nullable':
      return `${where} can now be null`
    case 'output-type-changed': {
      const gained = gainedTypes(c).filter((t) => t !== 'null')
      const was = Array.isArray(live.type) ? (live.type as string[]).join(', ') : 'any type'
      return `${where} can now be ${gained.length > 0 ? gained.join(', ') : 'other values'} (was ${was})`
    }
    case 'output-enum-value-added': {
      const before = Array.isArray(live.enum) ? live.enum : []
      const added = Array.isArray(local.enum) ? local.enum.filter((m) => !before.some((k) => JSON.stringify(k) === JSON.stringify(m))) : undefined
      return added ? `${where} can now be ${list(added)}` : `${where} is no longer limited to ${list(before)}`
    }
    case 'output-unique-items-removed':
      return `${where} may now repeat items`
    case 'output-branch-added':
      return `${where} has a new "${keyword}" alternative`
    case 'output-constraint-removed':
      return `${where} can now be values it could not be (${keyword ? `"${keyword}" ${keyword in local ? 'changed' : 'removed'}` : 'a constraint removed'})`
    default:
      return `${where} changed`
  }
}
