export interface ModelId {
  owner: string
  name: string
}

// Stricter than the API's own parsing: one slash, no version suffix, URL-safe characters only.
const SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9_])?$/

/** Whether a value is a valid owner or model name. */
export function isModelSegment(value: unknown): value is string {
  return typeof value === 'string' && SEGMENT.test(value)
}

/** Parses `owner/name`; returns a reason instead when it is not one. */
export function parseModelId(text: string): ModelId | string {
  const parts = text.split('/')
  if (parts.length !== 2) return `"${text}" is not in owner/name form`
  const [owner, name] = parts as [string, string]
  if (name.includes(':')) return `"${text}" names a version; give the model as owner/name`
  for (const [what, value] of [
    ['owner', owner],
    ['name', name],
  ] as const) {
    if (!SEGMENT.test(value)) return `"${text}" has an invalid ${what} "${value}" (letters, digits, '.', '_' and '-', at most 100)`
  }
  return { owner, name }
}

export function formatModelId(id: ModelId): string {
  return `${id.owner}/${id.name}`
}
