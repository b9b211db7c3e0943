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

/** A file named by an input that cannot be read, as one line naming the input and the file. */
export function unreadableFile(input: string, file: string, error: unknown): UserError {
  const code = (error as { code?: string } | null)?.code
  return new UserError(`${input}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
