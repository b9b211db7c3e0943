/** A semantic version, as a release tag writes it: `v1.4.0` or `1.4.0` (a pre-release after `-`). */
export interface Version {
  major: number
  minor: number
  patch: number
  prerelease?: string
}

export type Bump = 'major' | 'minor' | 'patch' | 'none'

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

export function parseVersion(tag: string): Version | undefined {
  const m = SEMVER.exec(tag)
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] !== undefined && { prerelease: m[4] }) }
}

/** Orders versions as semver does: a pre-release comes before its release. */
export function compareVersions(a: Version, b: Version): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (a[key] !== b[key]) return a[key] - b[key]
  if (a.prerelease === b.prerelease) return 0
  if (a.prerelease === undefined) return 1
  if (b.prerelease === undefined) return -1
  return a.prerelease < b.prerelease ? -1 : 1
}

/** The highest semantic-version tag below `current` among `tags`. */
export function previousRelease(current: Version, tags: readonly string[]): { tag: string; version: Version } | undefined {
  let best: { tag: string; version: Version } | undefined
  for (const tag of tags) {
    const version = parseVersion(tag)
    if (!version || version.prerelease !== undefined || compareVersions(version, current) >= 0) continue
    if (!best || compareVersions(version, best.version) > 0) best = { tag, version }
  }
  return best
}

/** How far `to` moves from `from`. */
export function bumpOf(from: Version, to: Version): Bump {
  if (to.major !== from.major) return 'major'
  if (to.minor !== from.minor) return 'minor'
  if (to.patch !== from.patch) return 'patch'
  return 'none'
}

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 }

/**
 * Whether a bump says enough for what changed. Under 0.x, as semver and cargo-semver-checks read it,
 * a minor bump may break: anything may change before 1.0.0.
 */
export function bumpAllows(from: Version, bump: Bump, required: Bump): boolean {
  const needed = from.major === 0 && required === 'major' ? 'minor' : required
  return RANK[bump] >= RANK[needed]
}

/** The smallest tag that allows a break after `from`: the next major (under 0.x, the next minor). */
export function nextBreakingVersion(from: Version, prefix: string): string {
  return from.major === 0 ? `${prefix}0.${from.minor + 1}.0` : `${prefix}${from.major + 1}.0.0`
}
