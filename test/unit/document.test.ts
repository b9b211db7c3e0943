import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseJson, scanLocate } from '../../src/schemas/document.js'

describe('parseJson', () => {
  it('reports a syntax error at its line and column', () => {
    const { document, findings } = parseJson('{\n  "prediction": {\n    "input": {,}\n  }\n}', 'schemas.json')
    expect(document).toBeUndefined()
    expect(findings).toEqual([
      { severity: 'error', rule: 'invalid-json', message: "invalid JSON: Expected property name or '}'", pointer: '', file: 'schemas.json', line: 3, column: 15 },
    ])
  })

  it('reports an unterminated document', () => {
    const { findings } = parseJson('{"prediction": ', 'schemas.json')
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['invalid-json', 1]])
  })

  it('accepts a UTF-8 byte order mark and keeps positions of the text after it', () => {
    const { document, findings } = parseJson('\uFEFF{\n  "a": 1\n}', 'x.json')
    expect(findings).toEqual([])
    expect(document?.value).toEqual({ a: 1 })
    expect(document?.locate('/a')).toEqual({ line: 2, column: 3 })
  })

  it('reports each duplicate key at the repeat', () => {
    const { findings } = parseJson('{\n  "a": {"b": 1,\n        "b": 2},\n  "a": 3\n}', 'x.json')
    expect(findings.map((f) => [f.rule, f.pointer, f.line, f.column])).toEqual([
      ['duplicate-key', '/a/b', 3, 9],
      ['duplicate-key', '/a', 4, 3],
    ])
  })

  it('finds repeated keys after strings that hold quotes, backslashes, colons and brackets', () => {
    const text = String.raw`{"a\\": "x\": [{", "b:}": ["]", {"c": 1, "c": 2}], "a\\": 3}`
    const { document, findings } = parseJson(text, 'x.json')
    expect(findings.map((f) => [f.rule, f.pointer])).toEqual([
      ['duplicate-key', '/b:}/1/c'],
      ['duplicate-key', '/a\\'],
    ])
    expect(document?.value).toEqual({ 'a\\': 3, 'b:}': [']', { c: 2 }] })
  })

  it('reads such strings in a document without repeats as they are', () => {
    const text = String.raw`{"a\\": "x\": [{", "b:}": ["]", {"c": "\\"}]}`
    const { document, findings } = parseJson(text, 'x.json')
    expect(findings).toEqual([])
    expect(document?.value).toEqual(JSON.parse(text))
    expect(document?.locate('/b:}/1/c')).toEqual({ line: 1, column: 34 })
  })

  it('locates members, array items and escaped pointer segments', () => {
    const { document } = parseJson('{\n  "a/b": [\n    10,\n    {"~k": true}\n  ]\n}', 'x.json')
    expect(document?.locate('')).toEqual({ line: 1, column: 1 })
    expect(document?.locate('/a~1b')).toEqual({ line: 2, column: 3 })
    expect(document?.locate('/a~1b/0')).toEqual({ line: 3, column: 5 })
    expect(document?.locate('/a~1b/1/~0k')).toEqual({ line: 4, column: 6 })
    // A pointer that runs past the document stops at its deepest existing part.
    expect(document?.locate('/a~1b/1/missing')).toEqual({ line: 4, column: 5 })
  })

  it('survives nesting deep enough to exhaust the parser', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const { document, findings } = parseJson(deep, 'deep.json')
    expect(document).toBeUndefined()
    expect(findings.map((f) => f.rule)).toEqual(['too-deep'])
  })
})

describe('nesting', () => {
  it('stops at the first value nested deeper than the limit, at its position', () => {
    const text = `{"a": ${'['.repeat(300)}1${']'.repeat(300)}}`
    const { document, findings } = parseJson(text, 'deep.json')
    expect(document).toBeUndefined()
    expect(findings).toEqual([
      { severity: 'error', rule: 'too-deep', message: 'the JSON is nested more than 256 levels deep', pointer: `/a${'/0'.repeat(256)}`, file: 'deep.json', line: 1, column: 263 },
    ])
  })

  it('accepts nesting up to the limit', () => {
    expect(parseJson(`${'['.repeat(256)}${']'.repeat(256)}`, 'ok.json').findings).toEqual([])
  })
})

describe('checkSchemasFile', () => {
  it('refuses a file over 10 MB, naming the input and the file, without reading it', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const path = await import('node:path')
    const { checkSchemasFile } = await import('../../src/schemas/check.js')
    const dir = await mkdtemp(path.join(tmpdir(), 'big-'))
    const file = path.join(dir, 'schemas.json')
    await writeFile(file, Buffer.alloc(11 * 1024 * 1024, 0x20))
    await expect(checkSchemasFile(file, 'schemas.json')).rejects.toThrow('schemas-file: schemas.json is larger than 10 MB, the limit')
    await expect(checkSchemasFile(path.join(dir, 'missing.json'), 'missing.json')).rejects.toThrow('schemas-file: cannot read missing.json: no such file')
  })
})

describe('locating by scanning the text', () => {
  /** Every pointer into a value: each member and element, depth first. */
  function pointers(value: unknown, at = '', out: string[] = []): string[] {
    out.push(at)
    if (Array.isArray(value)) value.forEach((v, i) => pointers(v, `${at}/${i}`, out))
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pointers(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out)
    return out
  }
  const fixtures = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? fixtures(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []))

  it('finds every pointer of every fixture where the syntax tree does', () => {
    let compared = 0
    for (const file of fixtures(path.resolve(import.meta.dirname, '../fixtures'))) {
      const raw = readFileSync(file, 'utf8')
      // parseJson drops a byte order mark before anything else, as the scanner expects.
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
      const parsed = parseJson(text, file)
      if (!parsed.document) continue
      // A second parse whose first 16 questions go to the scanner, and one that builds the tree at once.
      const tree = parseJson(text, file).document!
      for (let i = 0; i < 16; i++) tree.locate('/__not_a_member__')
      for (const pointer of pointers(parsed.document.value).slice(0, 400)) {
        expect(scanLocate(text, pointer), `${file} ${pointer}`).toEqual(tree.locate(pointer))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(10_000)
  })

  it('reads escaped names, repeated names (the last counts) and missing members as the tree does', () => {
    const text = '{\n  "a\\u0062": {"x": 1},\n  "dup": 1,\n  "dup": [10, {"y": 2}]\n}'
    const tree = parseJson(text, 't.json').document!
    for (let i = 0; i < 16; i++) tree.locate('/none')
    for (const pointer of ['/ab', '/ab/x', '/dup', '/dup/1/y', '/dup/5', '/none/deeper', '']) expect(scanLocate(text, pointer)).toEqual(tree.locate(pointer))
  })
})
