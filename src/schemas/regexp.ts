import type { RE2JS as RE2JSClass } from 're2js'

/** What the checks need of a compiled pattern. */
export interface PatternTest {
  test(text: string): boolean
}

/**
 * Compiles a schema `pattern`. JavaScript's engine backtracks, so a pattern that repeats a group
 * which itself repeats or alternates (`^(a+)+$`) can take exponential time on a crafted default;
 * such patterns run on RE2 (re2js), which matches in linear time. Every other pattern keeps
 * JavaScript's exact semantics (RE2's `\s` and Unicode classes differ slightly). A nested one that
 * RE2 cannot parse (lookarounds, backreferences) is not run at all. RE2 is used once
 * `loadLinearEngine` has run; the checks of a file load it first when the file has patterns.
 */
export function compilePattern(pattern: string, flags = 'u'): PatternTest {
  // Nested repetition with a lookaround or backreference: only a backtracking engine runs it, and
  // it may not finish. Values are not tested against it; the lint says so (pattern-unchecked).
  if (unchecked(pattern)) return { test: () => true }
  if (linearEngine && backtracks(pattern)) {
    try {
      const re2 = linearEngine.compile(pattern)
      return { test: (text) => re2.test(text) }
    } catch {
      // Not RE2 syntax: JavaScript's engine, as before.
    }
  }
  return new RegExp(pattern, flags)
}

let linearEngine: typeof RE2JSClass | undefined

/**
 * Loads RE2 for the patterns that need it, before a check that may meet them: it is loaded only
 * for documents with patterns, so that a run without any starts as fast as before.
 */
export async function loadLinearEngine(): Promise<void> {
  linearEngine ??= (await import('re2js')).RE2JS
}

/** Whether a document's text may hold a pattern (a `pattern` or `patternProperties` keyword, or the word in data). */
export function mayHavePatterns(text: string): boolean {
  return text.includes('"pattern')
}

/** Whether a pattern can backtrack catastrophically and needs syntax RE2 lacks (lookarounds, backreferences). */
export function unchecked(pattern: string): boolean {
  return backtracks(pattern) && /\(\?<?[=!]|\\[1-9]|\\k</.test(pattern)
}

/** ajv's hook for compiling patterns (`code.regExp`). */
export const schemaRegExp = Object.assign((pattern: string, flags: string) => compilePattern(pattern, flags), { code: 'compilePattern' })

/** Whether a quantified group holds a quantifier or an alternation: the shape of catastrophic backtracking. */
export function backtracks(pattern: string): boolean {
  // For each open group: whether anything inside it repeats or alternates.
  const open: boolean[] = []
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') inClass = true
    else if (c === '(') open.push(false)
    else if (c === '|' || ((c === '*' || c === '+' || c === '{') && i > 0)) {
      if (open.length > 0) open[open.length - 1] = true
    } else if (c === ')') {
      const inner = open.pop() ?? false
      const next = pattern[i + 1]
      if (inner && (next === '*' || next === '+' || next === '{')) return true
      // A group that repeats inside makes its parent one that repeats inside too.
      if (inner && open.length > 0) open[open.length - 1] = true
    }
  }
  return false
}
