/**
 * Host names as RFC 1123 and IDNA2008 (RFC 5891-5893) define them, with Punycode from RFC 3492: the
 * `hostname` and `idn-hostname` formats, and the domain of an e-mail address. IDNA2008's tables
 * are derived from Unicode properties the JavaScript engine knows (general category, scripts,
 * normalization, case), following RFC 5892's algorithm rather than a frozen table; the Bidi
 * classes and joining types that RFC 5893 and 5892's CONTEXTJ rule ask for are approximated by
 * script, which decides every realistic host name the same way. Linear in the name's length.
 */

/**
 * A value made on first use: the Unicode property classes below take milliseconds to build, and
 * every validation run loads this module, though few schemas use the formats that need them.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}

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

/** Whether `value` is a host name (`unicode`: an internationalized one, U-labels allowed). */
export function hostName(value: string, unicode: boolean): boolean {
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
