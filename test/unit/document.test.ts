import { describe, expect, it } from 'vitest'
import { parseJson } from '../../src/schemas/document.js'

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
