import { describe, expect, it } from 'vitest'
import * as peer from '@hyperjump/json-schema-formats'
import { checkFormat, punycodeDecode, punycodeEncode, STANDARD_FORMATS } from '../../src/schemas/formats.js'
import { validateSchemas } from '../../src/schemas/validate.js'
import { parseJson } from '../../src/schemas/document.js'

/** Values written for this project, each with what RFC its format names says of it. */
const CASES: Record<string, Array<[string, boolean]>> = {
  date: [
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2024-04-31', false],
    ['2024-13-01', false],
    ['2024-1-01', false],
    ['2024-01-00', false],
    ['2024-01-3১', false],
  ],
  time: [
    ['07:15:00Z', true],
    ['07:15:00.125+05:30', true],
    ['07:15:00', false],
    ['23:59:60Z', true],
    ['18:59:60-05:00', true],
    ['23:59:60+01:00', false],
    ['24:00:00Z', false],
    ['07:15:00+05', false],
    ['07:15:00 Z', false],
  ],
  'date-time': [
    ['2024-06-01T07:15:00Z', true],
    ['2024-06-01t07:15:00z', true],
    ['2024-06-01 07:15:00Z', false],
    ['2024-06-31T07:15:00Z', false],
    ['2016-12-31T23:59:60Z', true],
    ['2024-06-01T07:15Z', false],
  ],
  duration: [
    ['P3Y6M4DT12H30M5S', true],
    ['PT20M', true],
    ['P6W', true],
    ['P1W2D', false],
    ['PT', false],
    ['P1H', false],
    ['PT1.5S', false],
    ['P1Y3D', false],
  ],
  email: [
    ['ada@example.org', true],
    ['ada.lovelace+ml@example.org', true],
    ['"ada lovelace"@example.org', true],
    ['ada@[192.0.2.7]', true],
    ['ada@[IPv6:2001:db8::7]', true],
    ['ada@[IPv7:2001:db8::7]', false],
    ['ada..l@example.org', false],
    ['.ada@example.org', false],
    ['ada@example..org', false],
    ['ada@-example.org', false],
    ['adä@example.org', false],
    ['ada', false],
    [`${'a'.repeat(65)}@example.org`, false],
  ],
  'idn-email': [
    ['adä@example.org', true],
    ['ada@bücher.example', true],
    ['"adä l"@example.org', true],
    ['adä@bü cher.example', false],
    ['@example.org', false],
  ],
  hostname: [
    ['models.example.org', true],
    ['a', true],
    ['xn--bcher-kva.example', true],
    ['bücher.example', false],
    ['-models.example', false],
    ['models-.example', false],
    ['mod--els.example', true],
    ['mo--dels.example', false],
    ['ab--dels.example', false],
    ['xn--bcher.example', false],
    ['models..example', false],
    [`${'a'.repeat(63)}.example`, true],
    [`${'a'.repeat(64)}.example`, false],
    [`${'a.'.repeat(127)}a`, false],
  ],
  'idn-hostname': [
    ['bücher.example', true],
    ['例え.テスト', true],
    ['bücher。example', true],
    ['Bücher.example', true],
    ['BÜCHER.example', false],
    ['\u0301a.example', false],
    ['a\u200db.example', false],
    ['क्\u200dष.example', true],
    ['l·l.example', true],
    ['a·b.example', false],
    ['שלום.example', true],
    ['שלום1a.example', false],
    ['1שלום.example', false],
    ['ab--c.example', false],
    ['xn--bcher-kva.example', true],
  ],
  ipv4: [
    ['192.0.2.7', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['256.0.0.1', false],
    ['192.0.2.07', false],
    ['192.0.2', false],
    ['192.0.2.7.1', false],
    ['19২.0.2.7', false],
  ],
  ipv6: [
    ['2001:db8::7', true],
    ['::', true],
    ['::1', true],
    ['2001:db8:0:0:0:0:0:7', true],
    ['::ffff:192.0.2.7', true],
    ['2001:db8::7::8', false],
    ['2001:db8:0:0:0:0:0:0:7', false],
    ['12345::', false],
    ['::ffff:192.0.2.07', false],
    ['fe80::1%eth0', false],
    ['[::1]', false],
  ],
  uri: [
    ['https://models.example/a/b?c=d#e', true],
    ['urn:isbn:0451450523', true],
    ['mailto:ada@example.org', true],
    ['https://[2001:db8::7]:8443/', true],
    ['https://example.org:80a/', false],
    ['//example.org/a', false],
    ['/a/b', false],
    ['https://example.org/a b', false],
    ['https://example.org/%zz', false],
    ['https://example.org/ä', false],
    ['https://a@b@example.org/', false],
  ],
  'uri-reference': [
    ['/a/b', true],
    ['a/b?c', true],
    ['#frag', true],
    ['', true],
    ['//example.org', true],
    ['a:b/c', true],
    ['1a:b', false],
    ['/a b', false],
    ['/a\\b', false],
  ],
  iri: [
    ['https://bücher.example/straße?q=ä#ü', true],
    ['https://example.org/\u{E000}', false],
    ['https://example.org/?q=\u{E000}', true],
    ['/bücher', false],
    ['https://example.org/a b', false],
  ],
  'iri-reference': [
    ['/bücher', true],
    ['bücher/ä', true],
    ['#ü', true],
    ['/a b', false],
    ['1ä:b', false],
  ],
  'uri-template': [
    ['https://example.org/models/{owner}/{name}', true],
    ['{?q,page}', true],
    ['{/path*}', true],
    ['{var:30}', true],
    ['{owner', false],
    ['owner}', false],
    ['{}', false],
    ['{a b}', false],
    ['{var:0}', false],
    ['{var:12345}', false],
  ],
  'json-pointer': [
    ['', true],
    ['/a/0', true],
    ['/a~1b/~0', true],
    ['a', false],
    ['/a~2', false],
    ['/~', false],
  ],
  'relative-json-pointer': [
    ['0', true],
    ['1/a', true],
    ['2#', true],
    ['0+1/a', true],
    ['01', false],
    ['-1', false],
    ['/a', false],
    ['1#/a', false],
  ],
  regex: [
    ['^[a-z]+$', true],
    ['\\p{L}+', true],
    ['(a', false],
    ['[z-a]', false],
    ['a{2,1}', false],
  ],
  uuid: [
    ['2eb8aa08-aa98-11ea-b4aa-73b441d16380', true],
    ['2EB8AA08-AA98-11EA-B4AA-73B441D16380', true],
    ['2eb8aa08aa9811eab4aa73b441d16380', false],
    ['2eb8aa08-aa98-11ea-b4aa-73b441d1638', false],
    ['2eb8aa08-aa98-11ea-b4aa-73b441d1638g', false],
  ],
}

describe('formats: every 2020-12 format, checked as its RFC says', () => {
  it('knows each 2020-12 format', () => {
    expect(Object.keys(STANDARD_FORMATS).sort()).toEqual(Object.keys(CASES).sort())
  })
  for (const [format, cases] of Object.entries(CASES)) {
    it(format, () => {
      const wrong = cases.filter(([value, valid]) => checkFormat(format, value) !== valid)
      expect(wrong).toEqual([])
    })
  }

  it('refuses a host name of a megabyte at once, before any label is encoded', () => {
    for (const format of ['hostname', 'idn-hostname', 'idn-email']) {
      expect(checkFormat(format, `${format === 'idn-email' ? 'a@' : ''}${'ü'.repeat(1_000_000)}`)).toBe(false)
      expect(checkFormat(format, `${format === 'idn-email' ? 'a@' : ''}${'ü.'.repeat(100_000)}de`)).toBe(false)
    }
    expect(checkFormat('idn-hostname', `${'ü'.repeat(60)}.de`)).toBe(false)
  })

  it('Punycode round-trips and refuses what RFC 3492 does not produce', () => {
    const points = [...'bücher'].map((char) => char.codePointAt(0) as number)
    expect(punycodeEncode(points)).toBe('bcher-kva')
    expect(punycodeDecode('bcher-kva')).toEqual(points)
    expect(punycodeDecode('bcher-kv!')).toBeUndefined()
    expect(punycodeDecode('99999999999')).toBeUndefined()
  })
})

/** The peer's check for each format: @hyperjump/json-schema-formats, by a member of the JSON Schema team. */
const PEER: Record<string, (value: string) => boolean> = {
  date: peer.isDate,
  time: peer.isTime,
  'date-time': peer.isDateTime,
  duration: peer.isDuration,
  email: peer.isEmail,
  'idn-email': peer.isIdnEmail,
  hostname: peer.isAsciiIdn,
  'idn-hostname': peer.isIdn,
  ipv4: peer.isIPv4,
  ipv6: peer.isIPv6,
  uri: peer.isUri,
  'uri-reference': peer.isUriReference,
  iri: peer.isIri,
  'iri-reference': peer.isIriReference,
  'uri-template': peer.isUriTemplate,
  'json-pointer': peer.isJsonPointer,
  'relative-json-pointer': peer.isRelativeJsonPointer,
  regex: peer.isRegex,
  uuid: peer.isUuid,
}

/**
 * Where this product and the peer disagree on purpose. RFC 3339 allows a leap second in a time
 * whose UTC form is 23:59:60, as the official test suite does; the peer refuses every leap second.
 */
function deliberate(format: string, value: string): boolean {
  return (format === 'time' || format === 'date-time') && /:60(?:\.\d+)?(?:z|[+-]\d\d:\d\d)$/i.test(value)
}

/** Each case, and each case changed by one character (dropped, doubled, or replaced by one of a few that formats care about). */
function variants(value: string, random: () => number): string[] {
  const chars = [...value]
  const out = [value]
  const alphabet = ['.', '-', ':', '/', '@', '%', '~', '#', '?', 'a', 'Z', '0', '9', ' ', 'ü', '\u05d0', '{', '}', '[', ']']
  for (let n = 0; n < 12 && chars.length > 0; n++) {
    const at = Math.floor(random() * chars.length)
    const pick = alphabet[Math.floor(random() * alphabet.length)] as string
    const kind = n % 3
    const next = [...chars]
    if (kind === 0) next.splice(at, 1)
    else if (kind === 1) next.splice(at, 0, next[at] as string)
    else next[at] = pick
    out.push(next.join(''))
  }
  return out
}

describe('formats: agreement with a spec-faithful peer', () => {
  it('agrees with @hyperjump/json-schema-formats on ≥ 95% of the values, in every format', () => {
    let seed = 7
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const quiet = { log: console.log, error: console.error, warn: console.warn }
    console.log = console.error = console.warn = () => {}
    const rows: string[] = []
    let agree = 0
    let total = 0
    const worst: string[] = []
    try {
      for (const [format, cases] of Object.entries(CASES)) {
        const values = [...new Set(cases.flatMap(([value]) => variants(value, random)))].filter((value) => !deliberate(format, value))
        let same = 0
        for (const value of values) {
          let theirs: boolean
          try {
            theirs = (PEER[format] as (value: string) => boolean)(value)
          } catch {
            theirs = false
          }
          if (theirs === checkFormat(format, value)) same++
          else worst.push(`${format} ${JSON.stringify(value)}: peer ${theirs}`)
        }
        agree += same
        total += values.length
        rows.push(`${format} ${((100 * same) / values.length).toFixed(1)}%`)
        expect(same / values.length, format).toBeGreaterThanOrEqual(0.9)
      }
    } finally {
      Object.assign(console, quiet)
    }
    console.log(`formats: agreement with @hyperjump/json-schema-formats ${agree}/${total} = ${((100 * agree) / total).toFixed(1)}% (${rows.join(', ')})`)
    if (worst.length > 0) console.log(`formats: disagreements: ${worst.join('; ')}`)
    expect(agree / total).toBeGreaterThanOrEqual(0.95)
  })
})

describe('formats in validation', () => {
  const run = (format: string, value: string) =>
    validateSchemas(
      parseJson(
        JSON.stringify({ prediction: { input: { type: 'object', properties: { host: { type: 'string', format, default: value } } }, output: { type: 'string' } } }, null, 2),
        'schemas.json',
      ).document!,
    ).findings.map((f) => `${f.rule}:${f.line}`)

  it('takes the 2020-12 formats that were unknown before', () => {
    expect(run('idn-hostname', 'bücher.example')).toEqual([])
    expect(run('idn-email', 'adä@bücher.example')).toEqual([])
    expect(run('iri', 'https://bücher.example/ä')).toEqual([])
    expect(run('iri-reference', '/ä')).toEqual([])
  })

  it('holds a default to its format', () => {
    expect(run('idn-hostname', '-bücher.example')).toEqual(['default-mismatch:9'])
    expect(run('iri', '/ä')).toEqual(['default-mismatch:9'])
    expect(run('time', '12:00:00')).toEqual(['default-mismatch:9'])
  })
})
