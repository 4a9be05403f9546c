import type { CloseReason, NewSocketReason } from '../../contract'
import { h2ErrorName } from './h2-codes'
import { KEEP_ALIVE_MARGIN_MS, type SocketRecord } from './socket'

/** Previous socket's close reason → why the socket that replaces it had to be opened. */
export const NEXT_REASON: Record<CloseReason, NewSocketReason> = {
  'idle-timeout': 'keep-alive-expired',
  'server-closed': 'server-closed',
  'connection-close': 'server-closed',
  error: 'previous-error',
  'pool-closed': 'fresh',
}

/** The reason for a socket that replaces `record`: GOAWAY is named as such. */
export function nextReason(record: SocketRecord): NewSocketReason | null {
  // A GOAWAY retires the connection at once, while its processed streams may still be running.
  if (record.goaway) return record.goaway.code === 0 ? 'goaway' : 'previous-error'
  const reason = record.info.closeReason
  return reason === null ? null : NEXT_REASON[reason]
}

/** `after 3 streams` / `after idling 1200 ms (3 streams)`. */
function goawayDetail(record: SocketRecord): string {
  const g = record.goaway!
  const name = h2ErrorName(g.code)
  // Streams the server answered: the ones above last_stream_id were sent again elsewhere.
  const n = record.info.requests
  const streams = `${n} ${n === 1 ? 'stream' : 'streams'}`
  const when = g.inFlight > 0 ? `after ${streams}` : `after idling ${Math.round(g.idleMs)} ms (${streams})`
  return `server sent GOAWAY (${name}) ${when}`
}

/**
 * Why a socket closed, from what was seen on it (never from undici's message texts): who closed
 * it (the engine, the server's FIN or GOAWAY, a `Connection: close`), else the client's own timer.
 */
export function closeReasonOf(
  record: SocketRecord,
  now: number,
  idleMs: number,
): { reason: CloseReason; detail: string | null } {
  const err = record.lastError as (Error & { code?: string }) | null
  const idle = Math.round(now - record.idleSince)
  if (record.closedBy) return { reason: 'pool-closed', detail: record.closedBy }
  if (err?.code === 'UND_ERR_DESTROYED') return { reason: 'pool-closed', detail: 'pool closed' }
  if (record.goaway) {
    return { reason: record.goaway.code === 0 ? 'server-closed' : 'error', detail: goawayDetail(record) }
  }
  if (record.connectionClose) {
    const detail =
      record.version === '1.0' && !record.info.keepAliveHint
        ? 'HTTP/1.0 response without keep-alive'
        : 'response had Connection: close'
    return { reason: 'connection-close', detail }
  }
  if (record.gotEnd) {
    const detail =
      record.inFlight > 0
        ? `server closed the connection with ${record.inFlight} request(s) in flight`
        : `server closed the connection after ${idle} ms idle`
    return { reason: 'server-closed', detail }
  }
  // undici's InformationalError (UND_ERR_INFO): undici closed the socket on purpose, while idle
  // (its keep-alive timer) or right after a response it would not reuse the socket for.
  if (err?.code === 'UND_ERR_INFO' || err === null) {
    if (idleMs <= 0) {
      const hint = record.info.keepAliveHint?.timeout
      return {
        reason: 'idle-timeout',
        detail: `server's Keep-Alive: timeout=${hint} leaves no safe idle time (margin ${KEEP_ALIVE_MARGIN_MS} ms); closed after the response`,
      }
    }
    if (record.inFlight === 0) {
      return { reason: 'idle-timeout', detail: `idle ${idle} ms ≥ keep-alive timeout ${idleMs} ms` }
    }
  }
  if (err) return { reason: 'error', detail: err.message.split('\n')[0] ?? null }
  return { reason: 'server-closed', detail: null }
}
