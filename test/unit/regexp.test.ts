import { beforeAll, describe, expect, it } from 'vitest'
import { backtracks, compilePattern, loadLinearEngine, unchecked } from '../../src/schemas/regexp.js'

beforeAll(loadLinearEngine)

describe('schema patterns', () => {
  it.each([
    ['^(a+)+$', true],
    ['^(a|aa)+$', true],
    ['^((ab)*c)+$', true],
    ['^(?:[a-z]+_)*[a-z]+$', true],
    ['^[0-9]+$', false],
    ['^(abc)+$', false],
    ['^([a-z]+)$', false],
    ['^[(a+)+]$', false],
    ['^\\(a+\\)+$', false],
  ])('%s backtracks: %s', (pattern, expected) => {
    expect(backtracks(pattern)).toBe(expected)
  })

  it('matches a catastrophic pattern in linear time, with the same answers', () => {
    const pattern = compilePattern('^(a+)+$')
    // Hundreds of thousands of steps in a backtracking engine per extra character; one pass in RE2.
    expect(pattern.test(`${'a'.repeat(5000)}!`)).toBe(false)
    expect(pattern.test('a'.repeat(5000))).toBe(true)
    expect(pattern).not.toBeInstanceOf(RegExp)
  })

  it("keeps JavaScript's engine for other patterns", () => {
    expect(compilePattern('^\\s+$')).toBeInstanceOf(RegExp)
    expect(compilePattern('(?=a)a+')).toBeInstanceOf(RegExp)
    expect(compilePattern('^\\p{L}+$').test('Émile')).toBe(true)
  })

  it('runs no nested repetition that needs a lookaround or backreference, which RE2 cannot take', () => {
    for (const pattern of ['^((?=a)a+)+$', '^(?=a)(a+)+$', '^((a)\\2+)+$', '^((?<!b)a+)*$']) {
      expect(unchecked(pattern), pattern).toBe(true)
      // Natively, 5,000 characters and a "!" would not finish; the pattern is not run.
      expect(compilePattern(pattern).test(`${'a'.repeat(5000)}!`)).toBe(true)
    }
    expect(unchecked('^(a+)+$')).toBe(false)
    expect(unchecked('(?=a)a+')).toBe(false)
  })
})
