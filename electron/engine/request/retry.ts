import type { SockeyeError } from '../../contract'
import { sockeyeError, staleSocketError } from '../errors'
import type { RequestRun } from './attempt'

/** RFC 9110 §9.2.2: methods whose repetition has the same intended effect as one request. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])

/** What a dead keep-alive socket looks like to undici: FIN ('other side closed'), RST, broken pipe. */
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method)
}

/**
 * A reused socket that fails before any response byte was closed by the server while idle (RFC
 * 9112 §9.6; the race curl and browsers retry). Returns the typed error and whether to retry once
 * on a fresh socket: only for a first attempt with an idempotent method, so a POST is never sent
 * twice. A request undici never wrote (the idle socket was reset while the request waited for it)
 * is safe to retry whatever its method. Null when the failure is not a stale socket.
 */
export function staleSocket(err: unknown, run: RequestRun): { error: SockeyeError; retry: boolean } | null {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !STALE_CODES.has(code) || run.responseStarted) return null
  const first = run.retryOf === null
  const record = run.record
  if (!record) {
    if (code === 'UND_ERR_SOCKET' || !first) return null
    const message = `the server reset an idle connection to ${run.target.origin} before the request was written; retrying once on a fresh socket`
    return { error: sockeyeError('STALE_SOCKET', 'send', message), retry: true }
  }
  if (!run.reused || !first) return null
  const retry = isIdempotent(run.target.method)
  const hint = record.info.keepAliveHint?.timeout ?? null
  return { error: staleSocketError(run.target.origin, record.id, run.idleBefore, hint, retry), retry }
}
