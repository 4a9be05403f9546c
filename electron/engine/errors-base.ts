import type { ErrorCode, Phase, SockeyeError } from '../contract'

/**
 * Every Sockeye error is created here or in the `errors*.ts` modules built on this one (as undici
 * keeps every error type in `lib/core/errors.js`).
 * Errors are plain values `{ code, phase, message }`; `message` is one line a person can act on and
 * never carries a stack trace.
 */

const MAX_MESSAGE = 300

/** Creates a typed error value; the message is flattened to one line and bounded in length. */
export function sockeyeError(code: ErrorCode, phase: Phase, message: string): SockeyeError {
  return { code, phase, message: oneLine(message) }
}

/** First line of `text`, whitespace collapsed, at most MAX_MESSAGE characters. */
export function oneLine(text: string): string {
  const first = text.split(/\r?\n|\r/, 1)[0] ?? ''
  const flat = first.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat
}

/** The fields of a Node/undici error the classifiers read; any of them may be missing. */
export interface ErrorLike {
  code?: unknown
  name?: unknown
  message?: unknown
  cause?: unknown
  errors?: unknown
}

/** `value` when it is a string, else ''. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** The error's message as one line, or `fallback` when it has none. */
export function firstLine(e: ErrorLike | undefined, fallback: string): string {
  const message = e ? oneLine(str(e.message)) : ''
  return message || fallback
}
