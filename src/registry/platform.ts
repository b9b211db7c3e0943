export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** Parses `os/arch[/variant]`, e.g. `linux/arm64/v8`; returns a reason instead when it is not one. */
export function parsePlatform(text: string): Platform | string {
  const parts = text.split('/')
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/i.test(p))) {
    return `"${text}" is not os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8`
  }
  return normalizePlatform({ os: parts[0]!, architecture: parts[1]!, variant: parts[2] })
}

/** `os/arch[/variant]`, leaving out the variant an architecture implies (linux/amd64, not linux/amd64/v1). */
export function formatPlatform(p: Platform): string {
  const { os, architecture, variant } = normalizePlatform(p)
  return [os, architecture, variant !== DEFAULT_VARIANT[architecture] ? variant : undefined].filter(Boolean).join('/')
}

// Architecture aliases and the variant an architecture implies when none is named.
const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
}
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7', amd64: 'v1' }

/** One spelling per platform, so `linux/aarch64`, `linux/arm64` and `linux/arm64/v8` compare equal. */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase()
  const alias = ARCH_ALIASES[p.architecture.toLowerCase()]
  const architecture = alias?.architecture ?? p.architecture.toLowerCase()
  const variant = (p.variant?.toLowerCase() || alias?.variant || DEFAULT_VARIANT[architecture]) ?? undefined
  return variant ? { os, architecture, variant } : { os, architecture }
}

export function samePlatform(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a)
  const y = normalizePlatform(b)
  return x.os === y.os && x.architecture === y.architecture && x.variant === y.variant
}
