export interface Challenge {
  /** Lower-case, e.g. `bearer` or `basic`. */
  scheme: string
  /** Parameter names lower-cased. */
  params: Record<string, string>
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z\-/]/

/**
 * Parses WWW-Authenticate (RFC 7235): several challenges in one value, several headers joined
 * with ", ", quoted values with commas and escapes in them.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const value = Array.isArray(header) ? header.join(', ') : (header ?? '')
  const challenges: Challenge[] = []
  let pos = 0
  const skip = (chars: RegExp): void => {
    while (pos < value.length && chars.test(value[pos]!)) pos++
  }
  const token = (): string => {
    const start = pos
    while (pos < value.length && TOKEN_CHAR.test(value[pos]!)) pos++
    return value.slice(start, pos)
  }
  const quoted = (): string => {
    let out = ''
    pos++ // opening quote
    while (pos < value.length && value[pos] !== '"') {
      if (value[pos] === '\\' && pos + 1 < value.length) pos++
      out += value[pos++]
    }
    pos++ // closing quote
    return out
  }

  // Lenient: an unquoted value runs to the next comma or space, so `realm=https://x/token` reads whole.
  const bare = (): string => {
    const start = pos
    while (pos < value.length && !/[\s,]/.test(value[pos]!)) pos++
    return value.slice(start, pos)
  }

  while (pos < value.length) {
    skip(/[\s,]/)
    const start = pos
    const name = token()
    if (name === '') {
      pos = Math.max(pos + 1, start + 1) // not a token character: step over it
      continue
    }
    skip(/\s/)
    const current = challenges.at(-1)
    if (value[pos] === '=' && current) {
      pos++
      skip(/\s/)
      if (value[pos] === '=' || pos >= value.length) {
        skip(/=/) // token68 padding, e.g. "Basic dXNlcg==": not a parameter
        continue
      }
      current.params[name.toLowerCase()] = value[pos] === '"' ? quoted() : bare()
    } else {
      challenges.push({ scheme: name.toLowerCase(), params: {} })
    }
  }
  return challenges
}
