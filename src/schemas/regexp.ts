import type { RE2JS as RE2JSClass } from 're2js'

/** What the checks need of a compiled pattern. */
export interface PatternTest {
  test(text: string): boolean
  /**
   * ajv keeps compiled patterns by this text within one validator: two patterns that printed alike
   * (every object prints "[object Object]") would share one, and "aaa*" would be tested as "a*".
   */
  toString(): string
}

/** A pattern no engine here can run safely: values are not tested against it; the lint says so (pattern-unchecked). */
const NOT_RUN = { test: () => true }

/**
 * Compiles a schema `pattern`. JavaScript's engine backtracks: any repetition can cost more than
 * linear time on a crafted string (`^(a+)+$` exponential, `^a*a*a*…$` polynomial), and a pull request
 * controls both the pattern and the default it meets. So a pattern with no repetition at all runs
 * on JavaScript's engine, and every other runs on RE2 (re2js), which matches in linear time, after
 * the escapes and classes where the two differ are written out in RE2's syntax (`\s`, `.`, `\u{…}`,
 * `\cJ`, `[\b]`, `\p{Script=…}`). One that RE2 cannot take (a lookaround, a backreference) is not run.
 * A pattern JavaScript refuses throws, as before. RE2 is used once `loadLinearEngine` has run; the
 * checks load it first for any document with a pattern.
 */
export function compilePattern(pattern: string, flags = 'u'): PatternTest {
  const key = `${flags}/${pattern}`
  let compiled = compiledPatterns.get(key)
  if (!compiled) {
    const native = new RegExp(pattern, flags)
    const linear = repeats(pattern) ? linearPattern(pattern) : undefined
    compiled = !repeats(pattern) ? native : (linear ?? { ...NOT_RUN, toString: () => `not run: /${pattern}/${flags}` })
    // Kept only once RE2 could be asked: before it is loaded, a repeating pattern is not run, for now.
    if (linearEngine || !repeats(pattern)) compiledPatterns.set(key, compiled)
  }
  return compiled
}

/**
 * Compiled patterns by flags and source. RE2 keeps no cache of its own (JavaScript's engine does),
 * and the checks meet one pattern many times: for each required name, each default, each shape.
 */
const compiledPatterns = new Map<string, PatternTest>()

/** The pattern on RE2, or undefined when RE2 cannot take it (or is not loaded). */
function linearPattern(pattern: string): PatternTest | undefined {
  const translated = toRe2Syntax(pattern)
  if (translated === undefined || !linearEngine) return undefined
  try {
    const re2 = linearEngine.compile(translated)
    return { test: (text) => re2.test(text), toString: () => `re2: /${pattern}/` }
  } catch {
    // A repeat count over 1,000, a property RE2 does not know.
    return undefined
  }
}

let linearEngine: typeof RE2JSClass | undefined

/**
 * Loads RE2 for the patterns that need it, before a check that may meet them: it is loaded only
 * for documents with patterns, so that a run without any starts as fast as before.
 */
export async function loadLinearEngine(): Promise<void> {
  linearEngine ??= (await import('re2js')).RE2JS
}

/**
 * Whether a parsed document holds a pattern: a member named "pattern" or "patternProperties"
 * anywhere (in data too: a superset is harmless). Decided on the parsed value, so that a key
 * written with escapes (`"\u0070attern"`) counts like any other.
 */
export function hasPatterns(value: unknown): boolean {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    if (!Array.isArray(node) && (Object.hasOwn(node, 'pattern') || Object.hasOwn(node, 'patternProperties'))) return true
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push(child)
  }
  return false
}

/** Loads RE2 when any of the documents holds a pattern. */
export async function loadLinearEngineFor(...documents: unknown[]): Promise<void> {
  if (documents.some(hasPatterns)) await loadLinearEngine()
}

/** Whether a pattern with repetition cannot run on RE2, so that values are not checked against it. */
export function unchecked(pattern: string): boolean {
  try {
    return repeats(pattern) && (linearEngine ? compilePattern(pattern).toString().startsWith('not run:') : toRe2Syntax(pattern) === undefined)
  } catch {
    // JavaScript refuses it: the meta-schema's format check says so, not this rule.
    return false
  }
}

/** ajv's hook for compiling patterns (`code.regExp`). */
export const schemaRegExp = Object.assign((pattern: string, flags: string) => compilePattern(pattern, flags), { code: 'compilePattern' })

/** Whether a pattern repeats anything (`*`, `+`, `?`, `{n,m}` outside classes and escapes): without it, JavaScript's engine is linear. */
export function repeats(pattern: string): boolean {
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\') i++
    else if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '*' || c === '+' || c === '{' || (c === '?' && pattern[i - 1] !== '(')) return true
  }
  return false
}

/** Unicode's long names of the general categories, which ECMA-262 accepts, by the short names RE2 knows. */
const CATEGORY_NAMES: Record<string, string> = {
  Letter: 'L',
  Cased_Letter: 'LC',
  Uppercase_Letter: 'Lu',
  Lowercase_Letter: 'Ll',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Mark: 'M',
  Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me',
  Number: 'N',
  Decimal_Number: 'Nd',
  digit: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  punct: 'P',
  Connector_Punctuation: 'Pc',
  Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps',
  Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi',
  Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po',
  Symbol: 'S',
  Math_Symbol: 'Sm',
  Currency_Symbol: 'Sc',
  Modifier_Symbol: 'Sk',
  Other_Symbol: 'So',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Line_Separator: 'Zl',
  Paragraph_Separator: 'Zp',
  Other: 'C',
  Control: 'Cc',
  cntrl: 'Cc',
  Format: 'Cf',
  Surrogate: 'Cs',
  Private_Use: 'Co',
  Unassigned: 'Cn',
}

/** JavaScript's `\s` (with the `u` flag), as members of an RE2 class. */
const JS_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}'
/** JavaScript's `.` without the `s` flag: anything but a line terminator. */
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]'
const ANY = '\\x{0}-\\x{10FFFF}'

/**
 * A JavaScript pattern (`u` flag, already known to compile) in RE2's syntax with the same meaning,
 * or undefined where RE2 has no equivalent: lookarounds, backreferences, `\S` inside a class.
 */
export function toRe2Syntax(pattern: string): string | undefined {
  let out = ''
  let inClass = false
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!
    if (c === '\\') {
      const escaped = escapeToRe2(pattern, i, inClass)
      if (!escaped) return undefined
      out += escaped.text
      i = escaped.end
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      // A "[" inside a class is a character in JavaScript; RE2 would read "[:alpha:]" as a POSIX class.
      out += c === '[' ? '\\[' : c
      i++
      continue
    }
    if (pattern.startsWith('[^]', i)) {
      out += `[${ANY}]`
      i += 3
    } else if (pattern.startsWith('[]', i)) {
      out += `[^${ANY}]`
      i += 2
    } else if (c === '[') {
      inClass = true
      const negated = pattern[i + 1] === '^'
      out += negated ? '[^' : '['
      i += negated ? 2 : 1
    } else if (c === '.') {
      out += JS_DOT
      i++
    } else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4)
      if (kind.startsWith('=') || kind.startsWith('!') || kind === '<=' || kind === '<!') return undefined
      // A named group: RE2 spells it (?P<name>…).
      out += kind.startsWith('<') ? '(?P<' : '(?'
      i += kind.startsWith('<') ? 3 : 2
    } else {
      out += c
      i++
    }
  }
  return out
}

/** One escape at `at` in RE2's syntax, and where the pattern goes on. */
function escapeToRe2(pattern: string, at: number, inClass: boolean): { text: string; end: number } | undefined {
  const n = pattern[at + 1] ?? ''
  const codePoint = (cp: number, end: number) => ({ text: `\\x{${cp.toString(16)}}`, end })
  if (n === 'u') {
    if (pattern[at + 2] === '{') {
      const close = pattern.indexOf('}', at)
      return codePoint(Number.parseInt(pattern.slice(at + 3, close), 16), close + 1)
    }
    const unit = Number.parseInt(pattern.slice(at + 2, at + 6), 16)
    // A surrogate pair written as two escapes is one code point under the u flag.
    const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(pattern.slice(at + 6))
    if (unit >= 0xd800 && unit <= 0xdbff && low) return codePoint(0x10000 + ((unit - 0xd800) << 10) + (Number.parseInt(low[1]!, 16) - 0xdc00), at + 12)
    return codePoint(unit, at + 6)
  }
  if (n === 'x') return codePoint(Number.parseInt(pattern.slice(at + 2, at + 4), 16), at + 4)
  if (n === 'c') return codePoint(pattern.charCodeAt(at + 2) % 32, at + 3)
  if (n === '0') return codePoint(0, at + 2)
  if (n === 'b' && inClass) return codePoint(8, at + 2)
  if (n === 's') return { text: inClass ? JS_SPACE : `[${JS_SPACE}]`, end: at + 2 }
  if (n === 'S') return inClass ? undefined : { text: `[^${JS_SPACE}]`, end: at + 2 }
  if (n === 'p' || n === 'P') {
    const close = pattern.indexOf('}', at)
    const written = pattern.slice(at + 3, close).replace(/^(?:Script|sc|General_Category|gc)=/, '')
    // Script_Extensions and the other properties with a value have no RE2 form.
    if (written.includes('=')) return undefined
    // RE2 knows the general categories by their short names only: \p{Letter} is \p{L}.
    const name = Object.hasOwn(CATEGORY_NAMES, written) ? CATEGORY_NAMES[written]! : written
    return { text: `\\${n}{${name}}`, end: close + 1 }
  }
  if (/[1-9k]/.test(n)) return undefined
  return { text: `\\${n}`, end: at + 2 }
}
