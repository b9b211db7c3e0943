import { UserError } from '../errors.js'
import { isDigest } from '../registry/reference.js'
import { isModelSegment } from './identifier.js'

/**
 * An answer from the API whose shape is not what the action uses: it is refused before any part
 * of it is printed, sent on, or written to the outputs. The message names the field, never its value.
 */
export class AnswerError extends UserError {
  override name = 'AnswerError'
}

/** A check of one answer; it throws an AnswerError naming the first field that is wrong. */
export type AnswerCheck = (body: unknown, fail: (field: string, why: string) => never) => void

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export const checkVersion: AnswerCheck = (body, fail) => {
  if (!isObject(body)) return fail('', 'is not an object')
  if (!Number.isSafeInteger(body.number) || (body.number as number) < 0) fail('number', 'is not a version number (an integer)')
  if (!isDigest(body.container_image_digest)) fail('container_image_digest', 'is not a sha256 digest')
  if (body.release_notes !== undefined && body.release_notes !== null && typeof body.release_notes !== 'string') fail('release_notes', 'is not text')
  if (body.schemas !== undefined && body.schemas !== null && !isObject(body.schemas)) fail('schemas', 'is not an object')
}

export const checkUser: AnswerCheck = (body, fail) => {
  if (!isObject(body)) return fail('', 'is not an object')
  if (!isModelSegment(body.username)) fail('username', 'is not a WriftAI user name')
}

export const checkModel: AnswerCheck = (body, fail) => {
  if (!isObject(body)) return fail('', 'is not an object')
  if (!isModelSegment(body.name)) fail('name', 'is not a model name')
  checkUser(body.owner, (field, why) => fail(`owner${field ? `.${field}` : ''}`, why))
  if (body.latest_version !== undefined && body.latest_version !== null) checkVersion(body.latest_version, (field, why) => fail(`latest_version${field ? `.${field}` : ''}`, why))
}

/** A page of items, each checked with `item`. */
export function checkPage(item: AnswerCheck): AnswerCheck {
  return (body, fail) => {
    if (!isObject(body) || !Array.isArray(body.items)) return fail('items', 'is not a list')
    if (body.next_cursor !== undefined && body.next_cursor !== null && typeof body.next_cursor !== 'string') fail('next_cursor', 'is not text')
    body.items.forEach((entry: unknown, i: number) => item(entry, (field, why) => fail(`items[${i}]${field ? `.${field}` : ''}`, why)))
  }
}

/** An item of a list whose named fields the action shows (hardware identifiers, category slugs): text on one line. */
export function checkTextFields(...fields: string[]): AnswerCheck {
  return (body, fail) => {
    if (!isObject(body)) return fail('', 'is not an object')
    for (const field of fields) if (typeof body[field] !== 'string' || /[\u0000-\u001f\u007f]/.test(body[field])) fail(field, 'is not one line of text')
  }
}

/** Runs a check on a parsed answer to `operation`. */
export function checkAnswer<T>(operation: string, body: unknown, check: AnswerCheck): T {
  check(body, (field, why) => {
    throw new AnswerError(`the WriftAI API's answer to ${operation} was refused: ${field ? `"${field}"` : 'the body'} ${why}`)
  })
  return body as T
}
