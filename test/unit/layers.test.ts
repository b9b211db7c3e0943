import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// Data flows one way: inputs → plan → effects → report. Each file sits on a floor, and imports only
// from its own floor or below: the shared base (errors, findings, files, version), then the parts
// (schemas, registry, wriftai, http, cog), then the pipeline, then the fronts (github, cli and the
// entry points). Read from the files' own import lines, dynamic imports included.
const SRC = path.resolve(import.meta.dirname, '../../src')

function floorOf(file: string): number {
  const [top] = file.split('/')
  if (file === top) return ['main.ts', 'index.ts', 'cli.ts'].includes(file) ? 3 : 0
  if (top === 'github' || top === 'cli') return 3
  if (top === 'pipeline') return 2
  return 1
}

const FLOORS = ['the shared base', 'the parts (schemas, registry, wriftai, http, cog)', 'the pipeline', 'the fronts (github, cli, entry points)']

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(SRC, full)] : []
  })
}

describe('the import graph of src/', () => {
  const files = sources()

  it('reads every source file', () => {
    expect(files.length).toBeGreaterThan(50)
  })

  it('has no import that climbs to a higher floor', () => {
    const climbing: string[] = []
    for (const file of files) {
      readFileSync(path.join(SRC, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const match of line.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
            const target = path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), match[1]!)).replace(/\.js$/, '.ts')
            if (floorOf(target) > floorOf(file)) climbing.push(`src/${file}:${i + 1}: ${line.trim()} (${FLOORS[floorOf(file)]} → ${FLOORS[floorOf(target)]})`)
          }
        })
    }
    expect(climbing).toEqual([])
  })
})
