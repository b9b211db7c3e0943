import { isObject, listSubschemas, valueAt, type SchemaObject, type Subschema } from './walk.js'

/** The URI the document stands at when its root declares no `$id`: references are resolved against it as a browser would. */
export const DOCUMENT_URI = 'file:///schemas.json'

/**
 * Where each subschema's references resolve from, and which URIs the document itself answers
 * for: the one reading of `$id`, `$anchor` and `$ref` that the lint and the comparison share.
 */
export interface Resources {
  /** The base URI in effect in each subschema: its own `$id`, resolved against the one around it. */
  baseOf: Map<SchemaObject, string>
  /** The schema resources of the document by their absolute URI (no fragment). */
  byUri: Map<string, SchemaObject>
  /** `uri#anchor` for every `$anchor` and `$dynamicAnchor`, under the resource that declares it; the first wins. */
  anchors: Map<string, SchemaObject>
  /** Each subschema's pointer in the document. */
  pointerOf: Map<SchemaObject, string>
}

/** The resources of a list of subschemas, parents first (as `subschemas` gives them). */
export function schemaResources(subs: readonly Subschema[]): Resources {
  const resources: Resources = { baseOf: new Map(), byUri: new Map(), anchors: new Map(), pointerOf: new Map() }
  // Subschemas come parents first, so each one's parent base is known when it is met.
  for (const { schema, parent, pointer } of subs) {
    const around = (parent && resources.baseOf.get(parent.schema)) ?? DOCUMENT_URI
    const declared = typeof schema.$id === 'string' ? resolveUri(schema.$id, around) : undefined
    const base = declared ?? around
    resources.baseOf.set(schema, base)
    if (!resources.pointerOf.has(schema)) resources.pointerOf.set(schema, pointer)
    if (declared || !parent) resources.byUri.set(withoutFragment(base), schema)
    for (const keyword of ['$anchor', '$dynamicAnchor']) {
      const key = `${withoutFragment(base)}#${schema[keyword] as string}`
      if (typeof schema[keyword] === 'string' && !resources.anchors.has(key)) resources.anchors.set(key, schema)
    }
  }
  return resources
}

/** The resources of a whole document whose root sits at `rootPointer`. */
export function documentResources(root: SchemaObject, rootPointer: string): Resources {
  return schemaResources(listSubschemas(root, rootPointer))
}

export type Resolution =
  /** The reference names a resource this document does not declare. */
  | { found: false; remote: true }
  /** It names this document, but nothing (or no schema) at that fragment. */
  | { found: false; remote: false }
  | { found: true; node: SchemaObject | boolean; pointer: string }

/** What `ref`, written where `base` is in effect, points at in the document. */
export function resolveReference(ref: string, base: string, resources: Resources): Resolution {
  const resolved = resolveUri(ref, base)
  const target = resolved === undefined ? undefined : resources.byUri.get(withoutFragment(resolved))
  if (resolved === undefined || !target) return { found: false, remote: true }
  const hash = resolved.indexOf('#')
  const fragment = hash === -1 ? '' : resolved.slice(hash + 1)
  const at = resources.pointerOf.get(target) ?? ''
  if (fragment === '') return { found: true, node: target, pointer: at }
  const decoded = decode(fragment)
  if (decoded === undefined) return { found: false, remote: false }
  if (decoded.startsWith('/')) {
    const node = valueAt(target, decoded)
    return isObject(node) || typeof node === 'boolean' ? { found: true, node, pointer: at + decoded } : { found: false, remote: false }
  }
  const anchored = resources.anchors.get(`${withoutFragment(resolved)}#${decoded}`)
  return anchored ? { found: true, node: anchored, pointer: resources.pointerOf.get(anchored) ?? '' } : { found: false, remote: false }
}

export function resolveUri(reference: string, base: string): string | undefined {
  try {
    return new URL(reference, base).href
  } catch {
    return undefined
  }
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf('#')
  return hash === -1 ? uri : uri.slice(0, hash)
}

export function decode(fragment: string): string | undefined {
  try {
    return decodeURIComponent(fragment)
  } catch {
    return undefined
  }
}
