import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { FileError, unreadableFile, UserError } from './errors.js'

/** The model page's overview: Markdown, generous for any README. */
export const MAX_OVERVIEW_BYTES = 1024 * 1024

/** What an input names a file for, and how much of it may be read. */
export interface FileInput {
  /** The input's name, for messages. */
  input: string
  /** At most this many bytes are read. */
  limit: number
  /** Past the limit: refuse the file, or keep its start (release notes are cut anyway). */
  over: 'refuse' | 'cut'
  /**
   * The action confines files to the workspace: the path, symlinks resolved, must lie inside this
   * folder. A committed symlink to /proc/self/environ or ~/.docker/config.json is refused unread.
   * Without a root (the CLI), `-` is standard input, and a pipe the user names (`<(git show …)`,
   * /dev/fd/N) is read: bounded by the same limit.
   */
  root?: string
}

/**
 * Reads a file an input names (`file` is how it is shown): a regular file only (no directory,
 * device or FIFO: /dev/zero has no end), inside `root` when there is one, and never more than
 * `limit` bytes, whatever its size says.
 */
export function readInputFile(location: string, file: string, options: FileInput): string {
  const { input, root } = options
  if (root === undefined) {
    if (location === '-') return readBounded(0, options, 'standard input')
    let stats: import('node:fs').Stats | undefined
    try {
      stats = statSync(location)
    } catch {
      // Reported below, as for any file that cannot be read.
    }
    if (stats?.isFIFO() || stats?.isCharacterDevice()) {
      let fd: number
      try {
        fd = openSync(location, constants.O_RDONLY)
      } catch (error: unknown) {
        throw unreadableFile(input, file, error)
      }
      try {
        return readBounded(fd, options, file)
      } finally {
        closeSync(fd)
      }
    }
  }
  let real: string
  try {
    real = realpathSync(location)
  } catch (error: unknown) {
    throw unreadableFile(input, file, error)
  }
  if (root !== undefined) {
    const base = realpathSync(root)
    const relative = path.relative(base, real)
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      throw new FileError(`${input}: ${file} resolves to ${real}, outside the workspace; only files inside the repository are read`)
    }
    // Git's own folder holds the checkout's credentials (http.extraheader) and is never the repository's content.
    if (relative.split(path.sep).includes('.git')) {
      throw new FileError(`${input}: ${file} resolves to ${relative}, inside git's own folder; only the repository's files are read`)
    }
  }
  let fd: number
  try {
    const before = statSync(real)
    if (!before.isFile()) throw new FileError(`${input}: ${file} is ${kindOf(before)}, not a regular file`)
    // Non-blocking, so that a pipe put in the file's place since the check cannot hold the open.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error: unknown) {
    if (error instanceof UserError) throw error
    throw unreadableFile(input, file, error)
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw new FileError(`${input}: ${file} is ${kindOf(stats)}, not a regular file`)
    return readBounded(fd, options, file, stats.size)
  } finally {
    closeSync(fd)
  }
}

/** Reads an open file, pipe or standard input to its end, never more than the limit. */
function readBounded(fd: number, options: FileInput, file: string, size = 0): string {
  const { input, limit } = options
  // Read to one byte past the limit, so that a file longer than its size says is caught too.
  const buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(size + 1, 64 * 1024)))
  let chunks: Buffer[] = []
  let total = 0
  for (;;) {
    let n: number
    try {
      n = readSync(fd, buffer, 0, Math.min(buffer.length, limit + 1 - total), null)
    } catch (error: unknown) {
      // A pipe with nothing in it yet (non-blocking standard input) is waited for; anything else cannot be read.
      if ((error as { code?: string }).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10)
        continue
      }
      if ((error as { code?: string }).code === 'EOF') break
      throw unreadableFile(input, file, error)
    }
    if (n === 0) break
    chunks.push(Buffer.from(buffer.subarray(0, n)))
    total += n
    if (total > limit) break
  }
  if (total > limit) {
    if (options.over === 'refuse') throw new FileError(`${input}: ${file} is larger than ${describeBytes(limit)}, the limit`)
    chunks = [Buffer.concat(chunks).subarray(0, limit)]
  }
  // A character cut in two at the limit decodes as a replacement character, which is harmless.
  return Buffer.concat(chunks).toString('utf8')
}

function kindOf(stats: import('node:fs').Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isFIFO()) return 'a pipe'
  if (stats.isSocket()) return 'a socket'
  return 'not a file'
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`
}
