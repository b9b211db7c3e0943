export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/

export interface ImageReference {
  /** As the user wrote it. */
  text: string
  /** Everything before `@` or the tag, e.g. `ghcr.io/acme/model`. */
  repository: string
  tag?: string
  digest?: string
}

/** Splits `repo[:tag][@sha256:…]`; returns a reason instead when it is not a reference. */
export function parseImageReference(text: string): ImageReference | string {
  const at = text.indexOf('@')
  const namePart = at === -1 ? text : text.slice(0, at)
  const digest = at === -1 ? undefined : text.slice(at + 1)
  if (digest !== undefined && !DIGEST_PATTERN.test(digest)) {
    return `"${text}" has a malformed digest; expected sha256: followed by 64 lower-case hex characters`
  }
  // A colon after the last slash starts the tag; one before it belongs to host:port.
  const colon = namePart.lastIndexOf(':')
  const hasTag = colon > namePart.lastIndexOf('/')
  const repository = hasTag ? namePart.slice(0, colon) : namePart
  const tag = hasTag ? namePart.slice(colon + 1) : undefined
  if (!/^[a-z0-9]+(?:[._:-][a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository) || repository.length > 255) {
    return `"${text}" is not a valid image reference (lower-case repository path expected)`
  }
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return `"${text}" has an invalid tag "${tag}"`
  return { text, repository, tag, digest }
}
