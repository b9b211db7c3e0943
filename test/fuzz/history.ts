// A corpus of real schema histories: the inference input and output JSON Schemas of every Hugging
// Face task, as published in successive releases of the @huggingface/tasks npm package (installed
// side by side under the aliases hf-tasks-<version>). Each pair is one task's schemas in one
// release and in the next release that changed them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Schemas } from '../../src/wriftai/types.js'

const MODULES = path.resolve(import.meta.dirname, '../../node_modules')

export interface HistoryPair {
  task: string
  from: string
  to: string
  live: Schemas
  next: Schemas
}

function versionKey(v: string): number[] {
  return v.split('.').map(Number)
}

/** The releases installed, oldest first. */
export function releases(): string[] {
  return readdirSync(MODULES)
    .filter((name) => name.startsWith('hf-tasks-'))
    .map((name) => name.slice('hf-tasks-'.length))
    .sort((a, b) => {
      const [x, y] = [versionKey(a), versionKey(b)]
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
      return 0
    })
}

/**
 * One task's schemas file in one release: its input and output specs, each with the release's
 * common definitions embedded under "$defs" as the resource their `$id` names, so that the
 * references between files resolve inside one document, as published (nothing is rewritten).
 */
function schemasOf(version: string, task: string): Schemas | undefined {
  const root = path.join(MODULES, `hf-tasks-${version}`, 'src/tasks')
  const read = (file: string) => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined)
  const input = read(path.join(root, task, 'spec/input.json'))
  const output = read(path.join(root, task, 'spec/output.json'))
  if (!input || !output) return undefined
  const common = read(path.join(root, 'common-definitions.json'))
  for (const side of [input, output]) {
    if (common && JSON.stringify(side).includes('common-definitions.json')) side.$defs = { ...((side.$defs as object) ?? {}), 'common-definitions': common }
  }
  return { prediction: { input, output } } as unknown as Schemas
}

/** Every consecutive pair of releases in which a task's schemas changed. */
export function historyPairs(): HistoryPair[] {
  const versions = releases()
  const pairs: HistoryPair[] = []
  const tasks = new Set<string>()
  for (const v of versions) for (const t of readdirSync(path.join(MODULES, `hf-tasks-${v}`, 'src/tasks'))) tasks.add(t)
  for (const task of [...tasks].sort()) {
    let previous: { version: string; schemas: Schemas } | undefined
    for (const version of versions) {
      const schemas = schemasOf(version, task)
      if (!schemas) continue
      if (previous && JSON.stringify(previous.schemas) !== JSON.stringify(schemas)) pairs.push({ task, from: previous.version, to: version, live: previous.schemas, next: schemas })
      previous = { version, schemas }
    }
  }
  return pairs
}
