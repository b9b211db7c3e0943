/**
 * The `format` checks of JSON Schema 2020-12, written from the RFCs each format names: RFC 3339
 * (date, time, date-time, duration), RFC 5321/6531 (email, idn-email), RFC 1123 and IDNA2008
 * (hostname, idn-hostname: RFC 5891-5893, with Punycode from RFC 3492), RFC 2673/4291 (ipv4, ipv6),
 * RFC 3986/3987 (uri, uri-reference, iri, iri-reference), RFC 6570 (uri-template), RFC 6901 and the
 * relative JSON Pointer draft, RFC 4122 (uuid), ECMA-262 (regex). Every check is linear in the
 * length of its string: a schema's default can be hostile.
 *
 * IDNA2008's tables are derived here from Unicode properties the JavaScript engine knows (general
 * category, scripts, normalization, case), following RFC 5892's algorithm rather than a frozen
 * table; the Bidi classes and joining types that RFC 5893 and 5892's CONTEXTJ rule ask for are
 * approximated by script, which decides every realistic host name the same way.
 */

import type { Ajv2020 } from 'ajv/dist/2020.js'

type Check = (value: string) => boolean

/**
 * A value made on first use: the Unicode property classes below take milliseconds to build, and
 * every validation run loads this module, though few schemas use the formats that need them.
 */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

const DIGITS = /^\d+$/

// ---- RFC 3339 -------------------------------------------------------------------------------

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:z|([+-])(\d{2}):(\d{2}))$/i

function date(value: string): boolean {
  const match = DATE.exec(value)
  if (!match) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  return day <= days
}

function time(value: string): boolean {
  const match = TIME.exec(value)
  if (!match) return false
  const [hour, minute, second] = [match[1], match[2], match[3]].map(Number) as [number, number, number]
  if (hour > 23 || minute > 59 || second > 60) return false
  let offset = 0
  if (match[4] !== undefined) {
    const offsetHour = Number(match[5])
    const offsetMinute = Number(match[6])
    if (offsetHour > 23 || offsetMinute > 59) return false
    offset = (match[4] === '+' ? 1 : -1) * (offsetHour * 60 + offsetMinute)
  }
  if (second < 60) return true
  // A leap second is the last second of a UTC day: 23:59:60 once the offset is taken off.
  return (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59
}

function dateTime(value: string): boolean {
  const separator = value.search(/t/i)
  return separator === 10 && date(value.slice(0, 10)) && time(value.slice(11))
}

// RFC 3339 appendix A: years, months, days (each only after the one before it), weeks alone, or a time part.
const DURATION_TIME = 'T(?:\\d+H(?:\\d+M(?:\\d+S)?)?|\\d+M(?:\\d+S)?|\\d+S)'
const DURATION = new RegExp(`^P(?:(?:\\d+D|\\d+M(?:\\d+D)?|\\d+Y(?:\\d+M(?:\\d+D)?)?)(?:${DURATION_TIME})?|${DURATION_TIME}|\\d+W)$`)

// ---- Punycode (RFC 3492) -------------------------------------------------------------------------

const BASE = 36
const T_MIN = 1
const T_MAX = 26
const SKEW = 38
const DAMP = 700

function adapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1
  delta += Math.floor(delta / points)
  let k = 0
  while (delta > ((BASE - T_MIN) * T_MAX) >> 1) {
    delta = Math.floor(delta / (BASE - T_MIN))
    k += BASE
  }
  return k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW))
}

function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26
  if (code >= 0x61 && code <= 0x7a) return code - 0x61
  if (code >= 0x41 && code <= 0x5a) return code - 0x41
  return BASE
}

function digitChar(digit: number): string {
  return String.fromCharCode(digit < 26 ? 0x61 + digit : 0x30 + digit - 26)
}

/** The code points a Punycode string stands for, or undefined when it is not well-formed. */
export function punycodeDecode(input: string): number[] | undefined {
  const end = input.lastIndexOf('-')
  const output: number[] = []
  for (let i = 0; i < Math.max(end, 0); i++) {
    const code = input.charCodeAt(i)
    if (code >= 0x80) return undefined
    output.push(code)
  }
  let n = 0x80
  let bias = 72
  let i = 0
  for (let index = end > 0 ? end + 1 : 0; index < input.length; ) {
    const oldI = i
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) return undefined
      const digit = digitValue(input.charCodeAt(index++))
      if (digit >= BASE) return undefined
      i += digit * w
      if (i > 0x7fffffff) return undefined
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias
      if (digit < t) break
      w *= BASE - t
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0)
    n += Math.floor(i / (output.length + 1))
    i %= output.length + 1
    if (n > 0x10ffff) return undefined
    output.splice(i++, 0, n)
  }
  return output
}

/** The Punycode form of some code points. */
export function punycodeEncode(points: readonly number[]): string {
  let output = points
    .filter((point) => point < 0x80)
    .map((point) => String.fromCharCode(point))
    .join('')
  const basic = output.length
  let handled = basic
  if (basic > 0) output += '-'
  let n = 0x80
  let delta = 0
  let bias = 72
  while (handled < points.length) {
    const next = Math.min(...points.filter((point) => point >= n))
    delta += (next - n) * (handled + 1)
    n = next
    for (const point of points) {
      if (point < n) delta++
      if (point !== n) continue
      let q = delta
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias
        if (q < t) break
        output += digitChar(t + ((q - t) % (BASE - t)))
        q = Math.floor((q - t) / (BASE - t))
      }
      output += digitChar(q)
      bias = adapt(delta, handled + 1, handled === basic)
      delta = 0
      handled++
    }
    delta++
    n++
  }
  return output
}

// ---- IDNA2008 (RFC 5891, 5892, 5893) --------------------------------------------------------------

const PVALID_EXCEPTIONS = new Set([0xdf, 0x3c2, 0x6fd, 0x6fe, 0xf0b, 0x3007])
const DISALLOWED_EXCEPTIONS = new Set([0x640, 0x7fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b])
const CONTEXTO = new Set([0xb7, 0x375, 0x5f3, 0x5f4, 0x30fb])
const ARABIC_INDIC = (point: number): boolean => point >= 0x660 && point <= 0x669
const EXTENDED_ARABIC_INDIC = (point: number): boolean => point >= 0x6f0 && point <= 0x6f9
const ZWNJ = 0x200c
const ZWJ = 0x200d
// Code points with canonical combining class 9 (virama), which JavaScript's regular expressions cannot name.
const VIRAMAS = new Set([
  0x94d, 0x9cd, 0xa4d, 0xacd, 0xb4d, 0xbcd, 0xc4d, 0xccd, 0xd3b, 0xd3c, 0xd4d, 0xdca, 0xe3a, 0xeba, 0xf84, 0x1039, 0x103a, 0x1714, 0x1715, 0x1734, 0x17d2, 0x1a60, 0x1b44, 0x1baa,
  0x1bab, 0x1bf2, 0x1bf3, 0x2d7f, 0xa806, 0xa82c, 0xa8c4, 0xa953, 0xa9c0, 0xaaf6, 0xabed, 0x10a3f, 0x11046, 0x11070, 0x1107f, 0x110b9, 0x11133, 0x11134, 0x111c0, 0x11235, 0x112ea,
  0x1134d, 0x11442, 0x114c2, 0x115bf, 0x1163f, 0x116b6, 0x1172b, 0x11839, 0x1193d, 0x1193e, 0x119e0, 0x11a34, 0x11a47, 0x11a99, 0x11c3f, 0x11d44, 0x11d45, 0x11d97,
])

const LETTER_DIGIT = lazy(() => /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u)
const IGNORABLE = lazy(() => /^[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}]$/u)
const UNASSIGNED = lazy(() => /^\p{Cn}$/u)
const MARK = lazy(() => /^\p{M}/u)
const GREEK = lazy(() => /^\p{Script=Greek}$/u)
const HEBREW = lazy(() => /^\p{Script=Hebrew}$/u)
const HIRAGANA_KATAKANA_HAN = lazy(() => /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u)
// Scripts written right to left: their letters are Bidi class R or AL, and the cursive ones join.
const RTL_LETTER = lazy(
  () =>
    /^[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Yezidi}]$/u,
)
const JOINING_LETTER = lazy(
  () =>
    /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mongolian}\p{Script=Phags_Pa}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}]$/u,
)
const TRANSPARENT = lazy(() => /^[\p{Mn}\p{Me}\p{Cf}]$/u)

/** Whether one code point may stand in a label (PVALID), or only in context, per RFC 5892's derivation. */
function property(point: number): 'PVALID' | 'CONTEXTJ' | 'CONTEXTO' | 'DISALLOWED' {
  if (PVALID_EXCEPTIONS.has(point)) return 'PVALID'
  if (DISALLOWED_EXCEPTIONS.has(point)) return 'DISALLOWED'
  if (CONTEXTO.has(point) || ARABIC_INDIC(point) || EXTENDED_ARABIC_INDIC(point)) return 'CONTEXTO'
  const char = String.fromCodePoint(point)
  if (UNASSIGNED().test(char)) return 'DISALLOWED'
  if ((point >= 0x61 && point <= 0x7a) || (point >= 0x30 && point <= 0x39) || point === 0x2d) return 'PVALID'
  if (point === ZWNJ || point === ZWJ) return 'CONTEXTJ'
  if (char.normalize('NFKC').toLowerCase().normalize('NFKC') !== char) return 'DISALLOWED'
  if (IGNORABLE().test(char)) return 'DISALLOWED'
  // Combining marks for symbols, musical notation, and the old Hangul jamo: not for host names.
  if ((point >= 0x20d0 && point <= 0x20ff) || (point >= 0x1d100 && point <= 0x1d24f)) return 'DISALLOWED'
  if ((point >= 0x1100 && point <= 0x11ff) || (point >= 0xa960 && point <= 0xa97f) || (point >= 0xd7b0 && point <= 0xd7ff)) return 'DISALLOWED'
  return LETTER_DIGIT().test(char) ? 'PVALID' : 'DISALLOWED'
}

function contextAllows(points: readonly number[], index: number): boolean {
  const point = points[index] as number
  const before = points[index - 1]
  const after = points[index + 1]
  const is = (test: RegExp, at: number | undefined): boolean => at !== undefined && test.test(String.fromCodePoint(at))
  switch (point) {
    case 0xb7:
      return before === 0x6c && after === 0x6c
    case 0x375:
      return is(GREEK(), after)
    case 0x5f3:
    case 0x5f4:
      return is(HEBREW(), before)
    case 0x30fb:
      return points.some((other) => other !== 0x30fb && HIRAGANA_KATAKANA_HAN().test(String.fromCodePoint(other)))
    case ZWJ:
      return before !== undefined && VIRAMAS.has(before)
    case ZWNJ: {
      if (before !== undefined && VIRAMAS.has(before)) return true
      let left = index - 1
      while (left >= 0 && is(TRANSPARENT(), points[left])) left--
      let right = index + 1
      while (right < points.length && is(TRANSPARENT(), points[right])) right++
      return is(JOINING_LETTER(), points[left]) && is(JOINING_LETTER(), points[right])
    }
  }
  if (ARABIC_INDIC(point)) return !points.some(EXTENDED_ARABIC_INDIC)
  if (EXTENDED_ARABIC_INDIC(point)) return !points.some(ARABIC_INDIC)
  return false
}

type BidiClass = 'L' | 'R' | 'AN' | 'EN' | 'NSM' | 'ON'

function bidiClass(point: number): BidiClass {
  if ((point >= 0x30 && point <= 0x39) || EXTENDED_ARABIC_INDIC(point)) return 'EN'
  if (ARABIC_INDIC(point) || (point >= 0x600 && point <= 0x605) || point === 0x66b || point === 0x66c || point === 0x6dd) return 'AN'
  const char = String.fromCodePoint(point)
  if (/^[\p{Mn}\p{Me}]$/u.test(char)) return 'NSM'
  if (RTL_LETTER().test(char)) return 'R'
  // The hyphen and the joiners are neutral (ES, BN): allowed in either direction, never last.
  if (point === 0x2d || point === ZWNJ || point === ZWJ) return 'ON'
  return 'L'
}

/** RFC 5893's Bidi rule for one label of a domain name that has a right-to-left label. */
function bidiAllows(points: readonly number[]): boolean {
  const classes = points.map(bidiClass)
  const first = classes[0]
  let last = classes.length - 1
  while (last > 0 && classes[last] === 'NSM') last--
  const final = classes[last]
  if (first === 'R') {
    if (classes.includes('L')) return false
    if (classes.includes('EN') && classes.includes('AN')) return false
    return final === 'R' || final === 'EN' || final === 'AN'
  }
  if (first === 'L') return !classes.includes('R') && !classes.includes('AN') && (final === 'L' || final === 'EN')
  return false
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** A U-label's own rules (RFC 5891 section 5.4), without the Bidi rule, which looks at the whole name. */
function uLabelAllows(label: string, points: readonly number[]): boolean {
  if (label !== label.normalize('NFC')) return false
  if (label.startsWith('-') || label.endsWith('-') || label.slice(2, 4) === '--') return false
  if (MARK().test(label)) return false
  for (let index = 0; index < points.length; index++) {
    const kind = property(points[index] as number)
    if (kind === 'DISALLOWED') return false
    if (kind !== 'PVALID' && !contextAllows(points, index)) return false
  }
  return true
}

interface Label {
  points: number[]
  ascii: string
}

/** One label of a host name: its code points and its ASCII form, or undefined when it is not a valid label. */
function readLabel(label: string, unicode: boolean): Label | undefined {
  if (/^xn--/i.test(label)) {
    const ascii = label.toLowerCase()
    if (ascii.length > 63 || !/^[a-z0-9-]+$/.test(ascii)) return undefined
    const points = punycodeDecode(ascii.slice(4))
    // An A-label must stand for something that is not plain ASCII, and be the one encoding of it.
    if (!points || points.every((point) => point < 0x80) || `xn--${punycodeEncode(points)}` !== ascii) return undefined
    return uLabelAllows(String.fromCodePoint(...points), points) ? { points, ascii } : undefined
  }
  if (/^[\x00-\x7f]*$/.test(label)) {
    if (!LDH_LABEL.test(label) || label.slice(2, 4) === '--') return undefined
    return { points: [...label].map((char) => char.codePointAt(0) as number), ascii: label.toLowerCase() }
  }
  if (!unicode) return undefined
  // DNS compares ASCII letters without case, in a label with other characters too.
  label = label.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
  const points = [...label].map((char) => char.codePointAt(0) as number)
  // Each code point adds at least one character to the A-label, which has 63 at most: a longer
  // label is refused before Punycode, whose encoding takes time quadratic in the label.
  if (points.length > 59 || !uLabelAllows(label, points)) return undefined
  const ascii = `xn--${punycodeEncode(points)}`
  return ascii.length <= 63 ? { points, ascii } : undefined
}

function hostName(value: string, unicode: boolean): boolean {
  // 253 octets in ASCII form; no label is shorter in Unicode, so a longer string is no host name.
  if (value.length > 253 * 2) return false
  const labels = value.split(unicode ? /[.\u3002\uff0e\uff61]/ : '.')
  const read: Label[] = []
  for (const label of labels) {
    const result = label === '' ? undefined : readLabel(label, unicode)
    if (!result) return false
    read.push(result)
  }
  if (read.reduce((length, label) => length + label.ascii.length + 1, -1) > 253) return false
  const rtl = read.some(({ points }) => points.some((point) => ['R', 'AN'].includes(bidiClass(point))))
  return !rtl || read.every(({ points }) => bidiAllows(points))
}

// ---- IP addresses ----------------------------------------------------------------------------------

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/i

function ipv6(value: string): boolean {
  const halves = value.split('::')
  if (halves.length > 2) return false
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'))
  const all = halves.flatMap(groups)
  let count = all.length
  const last = all[all.length - 1]
  if (last?.includes('.')) {
    if (!IPV4.test(last)) return false
    all.pop()
    count++
  }
  if (!all.every((group) => HEX_GROUP.test(group))) return false
  return halves.length === 2 ? count <= 7 : count === 8
}

// ---- E-mail (RFC 5321, 6531) -------------------------------------------------------------------------

const ATOM = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]"
const UTF8_NON_ASCII = '[^\\x00-\\x7f]'
const DOT_STRING = new RegExp(`^${ATOM}+(?:\\.${ATOM}+)*$`)
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/
const IDN_DOT_STRING = lazy(() => new RegExp(`^(?:${ATOM}|${UTF8_NON_ASCII})+(?:\\.(?:${ATOM}|${UTF8_NON_ASCII})+)*$`, 'u'))
const IDN_QUOTED = lazy(() => /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|[^\x00-\x7f]|\\[\x20-\x7e])*"$/u)

function email(value: string, unicode: boolean): boolean {
  const at = value.lastIndexOf('@')
  if (at <= 0) return false
  const local = value.slice(0, at)
  const domain = value.slice(at + 1)
  if (Buffer.byteLength(local) > 64) return false
  const localOk = unicode ? IDN_DOT_STRING().test(local) || IDN_QUOTED().test(local) : DOT_STRING.test(local) || QUOTED.test(local)
  if (!localOk) return false
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1)
    if (/^ipv6:/i.test(literal)) return ipv6(literal.slice(5))
    // The only other tag RFC 5321 allows is one registered with IANA, and none is.
    return IPV4.test(literal)
  }
  return hostName(unicode ? domain.normalize('NFC') : domain, unicode)
}

// ---- URIs and IRIs (RFC 3986, 3987) ------------------------------------------------------------------

const UCSCHAR =
  '\\u{A0}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E1000}-\\u{EFFFD}'
const IPRIVATE = '\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}'
const UNRESERVED = "A-Za-z0-9\\-._~!$&'()*+,;="

interface UriGrammar {
  segment: RegExp
  segmentNoColon: RegExp
  query: RegExp
  fragment: RegExp
  regName: RegExp
  userinfo: RegExp
}

function uriGrammar(iri: boolean): UriGrammar {
  const plain = UNRESERVED + (iri ? UCSCHAR : '')
  const chars = (extra: string): RegExp => new RegExp(`^(?:[${plain}${extra}]|%[0-9A-Fa-f]{2})*$`, 'u')
  return {
    segment: chars(':@'),
    segmentNoColon: chars('@'),
    // Private-use characters may stand in an IRI's query only.
    query: chars(`:@/?${iri ? IPRIVATE : ''}`),
    fragment: chars(':@/?'),
    regName: chars(''),
    userinfo: chars(':'),
  }
}

const URI_GRAMMAR = lazy(() => uriGrammar(false))
const IRI_GRAMMAR = lazy(() => uriGrammar(true))
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/
const IPV_FUTURE = /^v[0-9a-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/i

function authority(value: string, grammar: UriGrammar): boolean {
  const at = value.indexOf('@')
  if (at >= 0 && !grammar.userinfo.test(value.slice(0, at))) return false
  const hostPort = value.slice(at + 1)
  let host = hostPort
  let port = ''
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    if (close < 0) return false
    const literal = hostPort.slice(1, close)
    if (!ipv6(literal) && !IPV_FUTURE.test(literal)) return false
    const rest = hostPort.slice(close + 1)
    if (rest !== '' && !rest.startsWith(':')) return false
    return DIGITS.test(rest.slice(1)) || rest.length <= 1
  }
  const colon = hostPort.indexOf(':')
  if (colon >= 0) {
    host = hostPort.slice(0, colon)
    port = hostPort.slice(colon + 1)
  }
  return grammar.regName.test(host) && (port === '' || DIGITS.test(port))
}

function reference(value: string, iri: boolean, absolute: boolean): boolean {
  const grammar = iri ? IRI_GRAMMAR() : URI_GRAMMAR()
  let rest = value
  const scheme = SCHEME.exec(rest)
  if (scheme) rest = rest.slice(scheme[0].length)
  else if (absolute) return false
  const hash = rest.indexOf('#')
  if (hash >= 0) {
    if (!grammar.fragment.test(rest.slice(hash + 1))) return false
    rest = rest.slice(0, hash)
  }
  const question = rest.indexOf('?')
  if (question >= 0) {
    if (!grammar.query.test(rest.slice(question + 1))) return false
    rest = rest.slice(0, question)
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2)
    const end = slash < 0 ? rest.length : slash
    if (!authority(rest.slice(2, end), grammar)) return false
    rest = rest.slice(end)
  }
  const segments = rest.split('/')
  // Without a scheme, a first segment with a colon would read as one ("1:b" is not a relative path).
  if (!scheme && !grammar.segmentNoColon.test(segments[0] as string)) return false
  return segments.every((segment) => grammar.segment.test(segment))
}

// ---- URI Template (RFC 6570) -----------------------------------------------------------------------

const TEMPLATE_LITERAL = lazy(() => new RegExp(`^(?:[\\x21\\x23\\x24\\x26-\\x3b\\x3d\\x3f-\\x5b\\x5d\\x5f\\x61-\\x7a\\x7e${UCSCHAR}${IPRIVATE}]|%[0-9A-Fa-f]{2})*$`, 'u'))
const VARCHAR = '(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})'
const VARSPEC = `${VARCHAR}+(?:\\.${VARCHAR}+)*(?::[1-9]\\d{0,3}|\\*)?`
const EXPRESSION = new RegExp(`^[+#./;?&]?${VARSPEC}(?:,${VARSPEC})*$`)

function uriTemplate(value: string): boolean {
  let position = 0
  while (position < value.length) {
    const open = value.indexOf('{', position)
    const literal = value.slice(position, open < 0 ? value.length : open)
    if (literal.includes('}') || !TEMPLATE_LITERAL().test(literal)) return false
    if (open < 0) return true
    const close = value.indexOf('}', open)
    if (close < 0 || !EXPRESSION.test(value.slice(open + 1, close))) return false
    position = close + 1
  }
  return true
}

// ---- The rest --------------------------------------------------------------------------------------

const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/
const RELATIVE_JSON_POINTER = /^(?:0|[1-9]\d*)(?:[+-][1-9]\d*)?(?:#|(?:\/(?:[^~/]|~[01])*)*)$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function regex(value: string): boolean {
  try {
    new RegExp(value, 'u')
    return true
  } catch {
    return false
  }
}

/** The formats JSON Schema 2020-12 defines, each checked as its RFC says. */
export const STANDARD_FORMATS: Readonly<Record<string, Check>> = {
  date,
  time,
  'date-time': dateTime,
  duration: (value) => DURATION.test(value),
  email: (value) => email(value, false),
  'idn-email': (value) => email(value, true),
  hostname: (value) => hostName(value, false),
  'idn-hostname': (value) => hostName(value, true),
  ipv4: (value) => IPV4.test(value),
  ipv6,
  uri: (value) => reference(value, false, true),
  'uri-reference': (value) => reference(value, false, false),
  iri: (value) => reference(value, true, true),
  'iri-reference': (value) => reference(value, true, false),
  'uri-template': uriTemplate,
  'json-pointer': (value) => JSON_POINTER.test(value),
  'relative-json-pointer': (value) => RELATIVE_JSON_POINTER.test(value),
  regex,
  uuid: (value) => UUID.test(value),
}

/**
 * Formats from OpenAPI that real model schemas carry (Cog and FastAPI write them): known, so that
 * they are not called typos. The numeric ones bound numbers; the others constrain little or nothing.
 */
export const OPENAPI_FORMATS: Readonly<Record<string, Check | { type: 'number'; validate: (value: number) => boolean }>> = {
  int32: { type: 'number', validate: (value) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 },
  int64: { type: 'number', validate: (value) => Number.isInteger(value) },
  float: { type: 'number', validate: () => true },
  double: { type: 'number', validate: () => true },
  byte: (value) => BASE64.test(value),
  binary: () => true,
  password: () => true,
}

/** Every format name a `format` keyword may use without being called unknown. */
export const FORMAT_NAMES: readonly string[] = [...Object.keys(STANDARD_FORMATS), ...Object.keys(OPENAPI_FORMATS)]

/** Whether `value` is a valid `name`; undefined for a name that is not known. */
export function checkFormat(name: string, value: string): boolean | undefined {
  const check = STANDARD_FORMATS[name] ?? OPENAPI_FORMATS[name]
  if (check === undefined) return undefined
  return typeof check === 'function' ? check(value) : true
}

/** Teaches ajv the known formats among `names` (all of them by default); other names are left alone. */
export function addFormatChecks(ajv: Ajv2020, names: Iterable<string> = FORMAT_NAMES): void {
  for (const name of names) {
    const check = STANDARD_FORMATS[name] ?? OPENAPI_FORMATS[name]
    if (check !== undefined && !ajv.formats[name]) ajv.addFormat(name, check)
  }
}
