import * as momoa from '@humanwhocodes/momoa'
import type { Finding } from '../findings.js'
import type { RuleId } from './rules.js'

export const MAX_SCHEMAS_BYTES = 10 * 1024 * 1024
export const MAX_DEPTH = 256

export interface Position {
  line: number
  column: number
}

/** A parsed JSON file that can say where any JSON pointer sits in its text. */
export interface SourceDocument {
  file: string
  value: unknown
  /** Position of the member name for an object member, else of the value. */
  locate(pointer: string): Position
}

export interface ParseResult {
  document?: SourceDocument
  findings: Finding[]
}

/** The first line with content is `key:` or `key: value` (or `---`): YAML, not JSON. */
function looksLikeYaml(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'))
  return first !== undefined && (/^---\s*$/.test(first) || /^[A-Za-z_][\w-]*:(\s|$)/.test(first))
}

export function parseJson(source: string, file: string): ParseResult {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source
  let value: unknown
  let syntaxError: Error | undefined
  try {
    value = JSON.parse(text)
  } catch (error: unknown) {
    syntaxError = error as Error
  }
  if (!syntaxError && isPlain(text, value)) {
    // Positions are needed only for findings: the first few are found by scanning the text (one
    // finding must not cost a syntax tree of an 8 MB file); past them the tree is built once.
    let tree: momoa.DocumentNode | undefined
    // Scanning reads up to the member asked for; the tree costs about eight whole reads of the text.
    // A lone carriage return ends a line for the tree and not for the scan: such a text goes to the tree.
    let budget = text.includes('\r') && /\r(?!\n)/.test(text) ? 0 : SCAN_BUDGET * text.length
    const locateIn = (pointer: string): Position => {
      if (!tree && budget > 0) {
        // A plain document repeats no name: the first match is the one.
        const found = scan(text, pointer, true)
        budget -= found?.read ?? text.length
        if (found) return found.position
      }
      return locate((tree ??= momoa.parse(text, { mode: 'json' })), pointer)
    }
    return { document: { file, value, locate: locateIn }, findings: [] }
  }
  // Anything else takes the syntax tree's road to findings with positions.
  let ast: momoa.DocumentNode
  try {
    ast = momoa.parse(text, { mode: 'json' })
  } catch (error: unknown) {
    if (error instanceof RangeError) {
      return { findings: [finding(file, 'too-deep', 'the JSON is nested too deeply to check', '', { line: 1, column: 1 })] }
    }
    const { line = 1, column = 1 } = error as { line?: number; column?: number }
    // "prediction:" on the first line that holds anything: a YAML file, which JSON parsers cannot read.
    if (looksLikeYaml(text)) {
      return {
        findings: [finding(file, 'invalid-json', 'invalid JSON: this file is YAML; the schemas file is JSON (convert it, e.g. with yq -o json)', '', { line: 1, column: 1 })],
      }
    }
    const v8 = syntaxError && v8Position(syntaxError)
    const described = trailingComma(text, v8 ?? { line, column }) ?? v8 ?? { message: (error as Error).message.replace(/\s*\(\d+:\d+\)$/, ''), line, column }
    return { findings: [finding(file, 'invalid-json', `invalid JSON: ${described.message}`, '', described)] }
  }
  const { findings, tooDeep } = inspect(ast, text, file)
  if (tooDeep) return { findings: [tooDeep] }
  // Text momoa reads but JSON.parse refuses (a raw tab or line break inside a string) has no value
  // to check: it is a syntax finding at the place JSON.parse names.
  if (syntaxError) {
    const described = v8Position(syntaxError) ?? { message: syntaxError.message, line: 1, column: 1 }
    const hint = /control character/i.test(described.message) ? '; inside a string, write a tab as \\t and a line break as \\n' : ''
    return { findings: [finding(file, 'invalid-json', `invalid JSON: ${described.message}${hint}`, '', described)] }
  }
  const document: SourceDocument = { file, value, locate: (pointer) => locate(ast, pointer) }
  return { document, findings }
}

/**
 * Whether valid JSON has no repeated key and is nested no deeper than MAX_DEPTH. Counting members
 * costs a scan of the text where a syntax tree costs many times its size.
 */
function isPlain(text: string, parsed: unknown): boolean {
  const { members, maxNesting } = scanStructure(text)
  return maxNesting <= MAX_DEPTH && members === countKeys(parsed)
}

/**
 * Object members (one `:` outside strings each) and the deepest bracket nesting of valid JSON.
 * Hand-written because no JSON library counts members before they are merged by name.
 */
function scanStructure(text: string): { members: number; maxNesting: number } {
  let members = 0
  let nesting = 0
  let maxNesting = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++
    } else if (c === 0x3a /* : */) {
      members++
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++nesting > maxNesting) maxNesting = nesting
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      nesting--
    }
  }
  return { members, maxNesting }
}

/**
 * Keys of every object in a parsed value: fewer than the text's members when a key repeats. A number
 * JSON.parse read as ±Infinity (`1e400`) makes the count -1, so that the file takes the road to
 * findings: sent on, it would become `null`.
 */
function countKeys(value: unknown): number {
  let keys = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node === 'number' && !Number.isFinite(node)) return -1
    if (node === null || typeof node !== 'object') continue
    const values = Object.values(node)
    if (!Array.isArray(node)) keys += values.length
    for (const child of values) stack.push(child)
  }
  return keys
}

function finding(file: string, rule: RuleId, message: string, pointer: string, at: Position): Finding {
  return { severity: 'error', rule, message, pointer, file, line: at.line, column: at.column }
}

/**
 * V8's own account of a syntax error, when it gives a line and column: it stops at the first bad
 * character (a raw newline inside a string, say) where momoa reads on to the end of the input.
 */
/** A comma right before a closing bracket: reported on the comma, where the fix is, not on the bracket. */
function trailingComma(text: string, fault: { line: number; column: number }): { message: string; line: number; column: number } | undefined {
  let position = -1
  for (let line = 1, i = 0; i <= text.length; i++) {
    if (line === fault.line) {
      position = i + fault.column - 1
      break
    }
    if (text[i] === '\n') line++
  }
  if (text[position] !== '}' && text[position] !== ']') return undefined
  let at = position - 1
  while (at >= 0 && /\s/.test(text[at]!)) at--
  if (text[at] !== ',') return undefined
  const before = text.slice(0, at)
  const line = before.split('\n').length
  return { message: `a comma before "${text[position]}": JSON allows no trailing comma`, line, column: at - before.lastIndexOf('\n') }
}

function v8Position(error: Error): { message: string; line: number; column: number } | undefined {
  const match = /^(.*?) in JSON at position \d+ \(line (\d+) column (\d+)\)$/.exec(error.message)
  return match ? { message: match[1]!, line: Number(match[2]), column: Number(match[3]) } : undefined
}

/**
 * Reports every repeated key (JSON.parse silently keeps the last one) and stops at nesting deeper
 * than MAX_DEPTH, which no schema needs and which recursive validators would not survive.
 */
function inspect(ast: momoa.DocumentNode, text: string, file: string): { findings: Finding[]; tooDeep?: Finding } {
  const findings: Finding[] = []
  const stack: { node: momoa.ValueNode; pointer: string; depth: number }[] = [{ node: ast.body, pointer: '', depth: 0 }]
  while (stack.length > 0) {
    const { node, pointer, depth } = stack.pop()!
    if (depth > MAX_DEPTH) {
      return { findings, tooDeep: finding(file, 'too-deep', `the JSON is nested more than ${MAX_DEPTH} levels deep`, pointer, node.loc.start) }
    }
    if (node.type === 'Object') {
      const seen = new Set<string>()
      for (const member of node.members) {
        const key = member.name.type === 'String' ? member.name.value : member.name.name
        const child = `${pointer}/${escapePointer(key)}`
        if (seen.has(key)) findings.push(finding(file, 'duplicate-key', `duplicate key "${key}": JSON parsers keep only one of them`, child, member.name.loc.start))
        seen.add(key)
        stack.push({ node: member.value, pointer: child, depth: depth + 1 })
      }
    } else if (node.type === 'Array') {
      node.elements.forEach((element, index) => stack.push({ node: element.value, pointer: `${pointer}/${index}`, depth: depth + 1 }))
    } else if (node.type === 'Number' && !Number.isFinite(node.value)) {
      const written = text.slice(node.loc.start.offset, Math.min(node.loc.end.offset, node.loc.start.offset + 40))
      const infinity = node.value > 0 ? 'Infinity' : '-Infinity'
      findings.push(
        finding(
          file,
          'number-too-large',
          `${written} is beyond the largest number JSON parsers hold (about 1.8e308): it reads as ${infinity} and would be published as null`,
          pointer,
          node.loc.start,
        ),
      )
    }
  }
  return { findings: findings.sort((a, b) => a.line - b.line || a.column - b.column) }
}

/** Members of each object by name (the last one of a repeated name), built as positions are first asked for. */
const membersByName = new WeakMap<momoa.ObjectNode, Map<string, momoa.MemberNode>>()

function memberNamed(node: momoa.ObjectNode, name: string): momoa.MemberNode | undefined {
  let members = membersByName.get(node)
  if (!members) {
    members = new Map(node.members.map((m) => [m.name.type === 'String' ? m.name.value : m.name.name, m]))
    membersByName.set(node, members)
  }
  return members.get(name)
}

function locate(ast: momoa.DocumentNode, pointer: string): Position {
  let node: momoa.ValueNode = ast.body
  let at: Position = node.loc.start
  for (const segment of splitPointer(pointer)) {
    if (node.type === 'Object') {
      const member = memberNamed(node, segment)
      if (!member) break
      at = member.name.loc.start
      node = member.value
    } else if (node.type === 'Array') {
      const element = /^\d+$/.test(segment) ? node.elements[Number(segment)] : undefined
      if (!element) break
      at = element.value.loc.start
      node = element.value
    } else {
      break
    }
  }
  return { line: at.line, column: at.column }
}

/** How many whole reads of the text the scans of findings may add up to before the syntax tree is built. */
const SCAN_BUDGET = 2

/**
 * Where a pointer's member name (or array element) starts, found by walking the JSON text without
 * building a tree: values that are not on the way are skipped. Undefined where the text holds what
 * this walker does not read the way the tree does (a lone carriage return): the tree answers then.
 * Of repeated names, the last counts, as JSON.parse reads them.
 */
export function scanLocate(text: string, pointer: string): Position | undefined {
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined
  return scan(text, pointer, false)?.position
}

/** scanLocate, and how far into the text it read; `first`: stop at the first member of a name (a document that repeats none). */
function scan(text: string, pointer: string, first: boolean): { position: Position; read: number } | undefined {
  let i = 0
  const space = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
  }
  /** Skips a string starting at i (a quote); returns its raw text without the quotes. */
  const string = (): string => {
    const start = ++i
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x5c) i += 2
      else if (c === 0x22) break
      else i++
    }
    return text.slice(start, i++)
  }
  const skip = () => {
    space()
    const c = text[i]
    if (c === '"') return void string()
    if (c !== '{' && c !== '[') {
      while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++
      return
    }
    let depth = 0
    while (i < text.length) {
      const d = text[i]
      if (d === '"') {
        string()
        continue
      }
      if (d === '{' || d === '[') depth++
      else if (d === '}' || d === ']') {
        depth--
        if (depth === 0) {
          i++
          return
        }
      }
      i++
    }
  }
  space()
  let at = i
  for (const segment of splitPointer(pointer)) {
    space()
    if (text[i] === '{') {
      i++
      let found: { name: number; value: number } | undefined
      for (;;) {
        space()
        if (text[i] !== '"') break
        const name = i
        const raw = string()
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw
        space()
        i++ // the colon
        space()
        if (key === segment) {
          found = { name, value: i }
          if (first) break
        }
        skip()
        space()
        if (text[i] === ',') i++
        else break
      }
      if (!found) break
      at = found.name
      i = found.value
    } else if (text[i] === '[') {
      if (!/^\d+$/.test(segment)) break
      i++
      let index = 0
      const wanted = Number(segment)
      space()
      while (index < wanted && text[i] !== ']' && i < text.length) {
        skip()
        space()
        if (text[i] === ',') i++
        space()
        index++
      }
      if (index !== wanted || text[i] === ']') break
      at = i
    } else break
  }
  const read = i
  let line = 1
  let lineStart = 0
  for (let k = text.indexOf('\n'); k !== -1 && k < at; k = text.indexOf('\n', k + 1)) {
    line++
    lineStart = k + 1
  }
  return { position: { line, column: at - lineStart + 1 }, read }
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map(unescapeSegment)
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}

export function escapePointer(segment: string): string {
  return segment.includes('~') || segment.includes('/') ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment
}
