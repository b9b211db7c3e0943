/**
 * A failure the user can act on: its message is one line and is shown as is,
 * without a stack trace.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** Several bad inputs, reported together. */
export class InputError extends UserError {
  override name = 'InputError'
  readonly problems: readonly string[]

  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} inputs are invalid: ${problems.join('; ')}`)
    this.problems = problems
  }
}

/** A file an input names that is not read: missing, not a file, too large, outside the workspace. */
export class FileError extends UserError {
  override name = 'FileError'
}

/** A file named by an input that cannot be read, as one line naming the input and the file. */
export function unreadableFile(input: string, file: string, error: unknown): FileError {
  const code = (error as { code?: string } | null)?.code
  return new FileError(`${input}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error)}`)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
