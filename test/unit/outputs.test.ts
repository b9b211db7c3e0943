import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { setOutput } from '../../src/github/report.js'
import { parseOutputFile } from '../helpers/run-action.js'

const saved = process.env.GITHUB_OUTPUT
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_OUTPUT
  else process.env.GITHUB_OUTPUT = saved
})

describe('setOutput', () => {
  it('appends records the runner reads back exactly, even when a value holds the delimiter', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'outputs-')), 'output')
    await writeFile(file, '')
    process.env.GITHUB_OUTPUT = file
    const tricky = 'first line\nghadelimiter\nforged=1\nghadelimiter_x'
    setOutput('model', 'acme/hello-world')
    setOutput('notes', tricky)
    setOutput('empty', '')
    const text = await readFile(file, 'utf8')
    expect(parseOutputFile(text)).toEqual({ model: 'acme/hello-world', notes: tricky, empty: '' })
    const notesDelimiter = /^notes<<(.+)$/m.exec(text)![1]!
    expect(tricky.includes(notesDelimiter)).toBe(false)
  })
})
