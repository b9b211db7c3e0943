import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { readInputs } from '../../src/pipeline/inputs.js'

const read = (file: string) => readFile(new URL(`../../${file}`, import.meta.url), 'utf8')

/** Top-level keys of one section of action.yml (two-space indented names). */
function yamlSection(text: string, section: string): string[] {
  const body = text.split(new RegExp(`^${section}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? ''
  return [...body.matchAll(/^ {2}([a-z-]+):/gm)].map((m) => m[1]!)
}

/** First-column names of the README table under a heading. */
function readmeTable(text: string, heading: string): string[] {
  const body = text.split(`### ${heading}\n`)[1]?.split(/\n#/)[0] ?? ''
  return [...body.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!)
}

describe('action.yml, the code and the README agree', () => {
  it('reads exactly the inputs action.yml declares', async () => {
    const declared = yamlSection(await read('action.yml'), 'inputs')
    const asked = new Set<string>()
    try {
      readInputs((name) => (asked.add(name), ''), { context: {}, env: {} })
    } catch {
      // every input is asked for before the problems are thrown
    }
    expect([...asked].sort()).toEqual([...declared].sort())
  })

  it('documents every input and output in the README', async () => {
    const action = await read('action.yml')
    const readme = await read('README.md')
    expect(readmeTable(readme, 'Inputs')).toEqual(yamlSection(action, 'inputs'))
    expect(readmeTable(readme, 'Outputs')).toEqual(yamlSection(action, 'outputs'))
  })
})

describe('the README documents every rule', () => {
  it('lists each rule id of the schemas check once', async () => {
    const { RULES } = await import('../../src/schemas/rules.js')
    const readme = await read('README.md')
    const section = (readme.split('## What is checked\n')[1] ?? '').split('\n## ')[0] ?? ''
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(Object.keys(RULES).sort())
  })
})
