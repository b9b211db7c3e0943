import { beforeAll, describe, expect, it } from 'vitest'
import { compilePattern, hasPatterns, loadLinearEngine, repeats, unchecked } from '../../src/schemas/regexp.js'

beforeAll(loadLinearEngine)

describe('schema patterns', () => {
  it.each([
    ['^(a+)+$', true],
    ['^a*a*a*$', true],
    ['^\\d{3}$', true],
    ['^colou?r$', true],
    ['^(?:ab)$', false],
    ['^[a-z*+?{]$', false],
    ['^\\*\\+$', false],
    ['^(?<name>x)\\k<name>$', false],
  ])('%s repeats: %s', (pattern, expected) => {
    expect(repeats(pattern)).toBe(expected)
  })

  // JavaScript's engine is the oracle: every pattern that runs on RE2 after translation answers as it does.
  const SUBJECTS = [
    '',
    'a',
    'aaa',
    'ab',
    'A b',
    'x\ny',
    'x\ry',
    'x\u2028y',
    ' \u00a0\u3000',
    'tab\there',
    '😀',
    '😀😀',
    'é',
    'Émile',
    '\u0000',
    'a[b]',
    '/x/',
    'a-b',
    '\b',
    'colour',
    'color',
    '123',
    'abc123',
    'Ωmega',
    '\ufeffz',
  ]
  it.each([
    '^\\s+$',
    '^\\S+$',
    '^[\\s\\d]+$',
    '^.+$',
    '^[^]+$',
    '^[]*$',
    '^\\u{1F600}+$',
    '^\\uD83D\\uDE00+$',
    '^\\u00e9*$',
    '^\\x41?\\s*b?$',
    '^x\\cJ?y$',
    '^[\\b]*$',
    '^\\p{Script=Latin}+$',
    '^\\p{sc=Greek}\\p{L}*$',
    '^\\p{Lu}?\\p{Ll}*$',
    '^\\P{L}+$',
    '^(?<word>[a-z]+)\\d*$',
    '^a[[]b\\]?$',
    '^\\/x\\/?$',
    '^[a\\-b]+$',
    'colou?r',
    '^\\w+\\b.*$',
    '^[^\\s]+$',
  ])('%s answers on RE2 as on JavaScript', async (pattern) => {
    await loadLinearEngine()
    const linear = compilePattern(pattern)
    expect(linear).not.toBeInstanceOf(RegExp)
    const native = new RegExp(pattern, 'u')
    expect(SUBJECTS.map((s) => linear.test(s))).toEqual(SUBJECTS.map((s) => native.test(s)))
  })

  it('finds patterns in the parsed document, however the key was written', () => {
    expect(hasPatterns(JSON.parse('{"a": {"\\u0070attern": "x"}}'))).toBe(true)
    expect(hasPatterns(JSON.parse('[{"patternProperties": {}}]'))).toBe(true)
    expect(hasPatterns(JSON.parse('{"description": "a \\"pattern\\" in text"}'))).toBe(false)
  })

  it('matches a catastrophic pattern in linear time, with the same answers', () => {
    const pattern = compilePattern('^(a+)+$')
    // Hundreds of thousands of steps in a backtracking engine per extra character; one pass in RE2.
    expect(pattern.test(`${'a'.repeat(5000)}!`)).toBe(false)
    expect(pattern.test('a'.repeat(5000))).toBe(true)
    expect(pattern).not.toBeInstanceOf(RegExp)
  })

  it("keeps JavaScript's engine for patterns that repeat nothing", () => {
    expect(compilePattern('^\\s$')).toBeInstanceOf(RegExp)
    expect(compilePattern('(?=a)ab')).toBeInstanceOf(RegExp)
    expect(compilePattern('^\\p{L}$').test('É')).toBe(true)
  })

  it('runs no repetition that RE2 cannot take: lookarounds, backreferences, counts over 1,000', () => {
    for (const pattern of ['^((?=a)a+)+$', '^(?=a)(a+)+$', '^((a)\\2+)+$', '^((?<!b)a+)*$', '(?=a)a+', '^a{1,2000}$', '^[\\S\\d]+$']) {
      expect(unchecked(pattern), pattern).toBe(true)
      // Natively, 5,000 characters and a "!" may not finish; the pattern is not run.
      expect(compilePattern(pattern).test(`${'a'.repeat(5000)}!`)).toBe(true)
    }
    expect(unchecked('^(a+)+$')).toBe(false)
    expect(unchecked('^a*a*a*a*a*a*a*a*a*a*a*a*$')).toBe(false)
    expect(unchecked('(?=a)ab')).toBe(false)
  })
})
