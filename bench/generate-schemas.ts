// Writes a large, valid schemas.json: thousands of input properties of every common shape, each
// with a default and examples, as a generated model schema would have. Deterministic.
// Usage: node bench/generate-schemas.ts OUT [TARGET_BYTES]
import { writeFile } from 'node:fs/promises'

/** With `extensions: false` no `x-` keywords are written, so that strict validators without them compile it whole. */
export function generateSchemas(targetBytes: number, options: { extensions?: boolean } = {}): string {
  const extensions = options.extensions ?? true
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  let size = 0
  for (let i = 0; size < targetBytes - 2_000; i++) {
    const name = `param_${i}`
    const common = { title: `Parameter ${i}`, description: `Controls aspect ${i} of the generation; see the model card for details.`, ...(extensions && { 'x-order': i }) }
    let property: Record<string, unknown>
    switch (i % 5) {
      case 0:
        property = { ...common, type: 'number', minimum: 0, maximum: 2, default: 0.7, examples: [0.1, 1.5] }
        break
      case 1:
        property = { ...common, type: 'integer', minimum: 1, maximum: 4096, default: 512, examples: [64, 2048] }
        break
      case 2:
        property = { ...common, type: 'string', enum: ['fast', 'balanced', 'quality'], default: 'balanced', examples: ['fast'] }
        break
      case 3:
        property = { ...common, type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 8, default: [], examples: [['stop']] }
        break
      default:
        property = { ...common, type: ['string', 'null'], format: 'uri', default: null, examples: ['https://example.com/image.png'] }
    }
    if (i % 50 === 0) required.push(name)
    if (i % 50 === 0) delete property.default
    properties[name] = property
    // Pretty-printed with one-space indents: about 45% more than the compact form.
    size += (JSON.stringify(property).length + name.length + 4) * 1.45
  }
  const schemas = {
    prediction: {
      input: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties, required },
      output: { type: 'array', items: { type: 'string' }, ...(extensions && { 'x-cog-array-type': 'iterator' }) },
    },
  }
  return JSON.stringify(schemas, null, 1)
}

/**
 * A live and a new schemas file with `count` input properties, as two versions of a large model:
 * in "edits" one property in ten changes (a bound lowered, an enum value removed, a property
 * removed, added, or described anew), so that about count / 10 changes are found; in "renames"
 * every property is renamed, the worst case for guessing new names.
 */
export function generateDiffPair(count: number, mode: 'edits' | 'renames'): { live: string; next: string } {
  const live: Record<string, Record<string, unknown>> = {}
  const next: Record<string, Record<string, unknown>> = {}
  for (let i = 0; i < count; i++) {
    const name = `param_${i}`
    const property = propertyAt(i)
    live[name] = property
    if (mode === 'renames') {
      next[`renamed_${i}`] = property
      continue
    }
    const copy = structuredClone(property)
    switch (i % 50) {
      case 0:
        if (typeof copy.maximum === 'number') copy.maximum = copy.maximum / 2
        break
      case 12:
        if (Array.isArray(copy.enum)) copy.enum = copy.enum.slice(1)
        break
      case 25:
        continue
      case 37:
        copy.description = `${String(copy.description)} (updated)`
        break
      case 43:
        next[`added_${i}`] = { type: 'string', default: 'a' }
        break
    }
    next[name] = copy
  }
  const wrap = (properties: Record<string, unknown>) =>
    JSON.stringify(
      { prediction: { input: { type: 'object', properties, required: [Object.keys(properties)[1]] }, output: { type: 'array', items: { type: 'string', format: 'uri' } } } },
      null,
      1,
    )
  return { live: wrap(live), next: wrap(next) }
}

function propertyAt(i: number): Record<string, unknown> {
  const common = { title: `Parameter ${i}`, description: `Controls aspect ${i} of the generation.` }
  switch (i % 4) {
    case 0:
      return { ...common, type: 'number', minimum: 0, maximum: 2, default: 0.7 }
    case 1:
      return { ...common, type: 'integer', minimum: 1, maximum: 4096, default: 512 }
    case 2:
      return { ...common, type: 'string', enum: ['fast', 'balanced', 'quality'], default: 'balanced' }
    default:
      return { ...common, type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 8, default: [] }
  }
}

if (import.meta.main) {
  const [out, bytes] = process.argv.slice(2)
  if (!out) throw new Error('usage: node bench/generate-schemas.ts OUT [TARGET_BYTES]')
  const text = generateSchemas(Number(bytes ?? 5 * 1024 * 1024))
  await writeFile(out, text)
  console.log(`${out}: ${(text.length / 1024 / 1024).toFixed(2)} MB`)
}
