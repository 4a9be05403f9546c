import type { SockeyeError } from './contract'

/** A failed call: an Error that still carries the contract's `{code, phase, message}`. */
export class ApiError extends Error implements SockeyeError {
  readonly code: SockeyeError['code']
  readonly phase: SockeyeError['phase']

  constructor(error: SockeyeError) {
    super(error.message)
    this.name = 'ApiError'
    this.code = error.code
    this.phase = error.phase
  }
}

/** One line a person can read, whatever was thrown. */
export function errorLine(err: unknown): string {
  if (err instanceof ApiError) return `${err.code} (${err.phase}): ${err.message}`
  if (err instanceof Error) return err.message.split('\n')[0] ?? 'Unknown error'
  return String(err).split('\n')[0] ?? 'Unknown error'
}
