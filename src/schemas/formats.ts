/**
 * The `format` checks of JSON Schema 2020-12, written from the RFCs each format names: RFC 3339
 * (date, time, date-time, duration), RFC 5321/6531 (email, idn-email), RFC 1123 and IDNA2008
 * (hostname, idn-hostname: RFC 5891-5893, with Punycode from RFC 3492), RFC 2673/4291 (ipv4, ipv6),
 * RFC 3986/3987 (uri, uri-reference, iri, iri-reference), RFC 6570 (uri-template), RFC 6901 and the
 * relative JSON Pointer draft, RFC 4122 (uuid), ECMA-262 (regex). Every check is linear in the
 * length of its string: a schema's default can be hostile. Host names (and IDNA2008) are in
 * hostname.ts.
 */

import type { Ajv2020 } from 'ajv/dist/2020.js'

type Check = (value: string) => boolean

import { hostName, lazy } from './hostname.js'

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

export { punycodeDecode, punycodeEncode } from './hostname.js'
