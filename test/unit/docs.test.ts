import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')
const DOCS = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md']

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-')
}

function anchors(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)))
}

/** Every Markdown link outside code: [text](target). */
function links(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '')
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
}

describe('the documentation', () => {
  it.each(DOCS)('%s: every relative link names a file that exists, and every anchor a heading', (doc) => {
    const broken: string[] = []
    for (const target of links(doc)) {
      if (/^[a-z]+:/.test(target)) continue
      const [file, anchor] = target.split('#') as [string, string | undefined]
      const resolved = file === '' ? doc : path.normalize(path.join(path.dirname(doc), file))
      if (!existsSync(path.join(ROOT, resolved))) broken.push(`${target}: no file ${resolved}`)
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${resolved}`)
    }
    expect(broken).toEqual([])
  })

  it("the README's contents list every section, in order", () => {
    const text = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const sections = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/^## (.+)$/gm)].map((m) => slug(m[1]!)).filter((s) => s !== 'contents')
    const contents = text.split('## Contents\n')[1]!.split('\n## ')[0]!
    const listed = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!).filter((a) => sections.includes(a))
    expect(listed).toEqual(sections)
  })

  it('puts a workflow a model author can copy on the first screen', () => {
    const firstScreen = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').slice(0, 30).join('\n')
    expect(firstScreen).toContain('uses: wriftai/publish-version@v1')
    expect(firstScreen).toContain('## Contents')
  })
})
