import type {
  CertificateSummary,
  HeaderList,
  NewSocketReason,
  Origin,
  RedirectLink,
  RequestResult,
  Reuse,
  SockeyeError,
  Timings,
} from '../api/contract'

/** Where a request is in its lifecycle, as the list shows it. */
export type RowState = 'queued' | 'sending' | 'waiting' | 'receiving' | 'done' | 'failed'

/** One request as the renderer shows it: built from request:* events, final once `result` is set. */
export interface RequestRow {
  id: number
  method: string
  url: string
  origin: Origin | null
  state: RowState
  /** Monotonic engine ms when queued, and when it ended (null while in flight). */
  startedAt: number
  /** When it got its socket: after queueing and, on a new socket, the handshake (its lane bar starts here). */
  assignedAt: number | null
  endedAt: number | null
  status: number | null
  statusText: string | null
  httpVersion: string | null
  socket: number | null
  reused: boolean
  nth: number
  reason: NewSocketReason | null
  /** How a reused socket was shared (idle, h2 stream, pipelined); null on a new socket. */
  reuse?: Reuse | null
  /** Body bytes: decoded once done, on-the-wire progress before. */
  size: number
  /** Body bytes on the wire (encoded, e.g. gzip); equals `size` for an identity body. */
  wireBytes: number
  durationMs: number | null
  requestHeaders: HeaderList
  responseHeaders: HeaderList
  /** Cookies sent from and offered to the jar (absent: the jar was off, or none were involved). */
  cookies?: import('../api/contract').CookieReport | null
  contentType: string | null
  timings: Timings | null
  error: SockeyeError | null
  retryOf: number | null
  /** A hop of a followed redirect chain: the request it follows, its hop number, the chain's first. */
  redirect?: RedirectLink | null
  /** This 3xx was followed by request `redirectedTo`. */
  redirectedTo?: number | null
  /** A failed attempt the engine retries on a new socket. */
  willRetry: boolean
  truncated: boolean
  /** From an opened recording (a HAR), not this engine: no body to fetch, no spec to resend. */
  recorded?: boolean
  /** The certificate the engine refused (TLS verification failure), shown before trusting. */
  peer?: CertificateSummary | null
}

/** What the Connections timeline draws of a request: kept after the list let its row go. */
export type LaneRow = Pick<
  RequestRow,
  'id' | 'origin' | 'socket' | 'startedAt' | 'assignedAt' | 'endedAt' | 'state'
>

/** A row's lane fields alone (a few numbers instead of its headers and timings). */
export function laneRowOf(row: RequestRow): LaneRow {
  const { id, origin, socket, startedAt, assignedAt, endedAt, state } = row
  return { id, origin, socket, startedAt, assignedAt, endedAt, state }
}

/** The list's status filter buckets. */
export type StatusFilter = 'all' | '2xx' | '3xx' | '4xx' | '5xx' | 'failed' | 'pending'

/** A finished row from the engine's final record. */
export function rowFromResult(r: RequestResult, willRetry = false): RequestRow {
  return {
    id: r.id,
    method: r.method,
    url: r.url,
    origin: r.origin,
    state: r.error ? 'failed' : 'done',
    startedAt: r.startedAt,
    assignedAt: r.socket === null ? null : r.startedAt + sendOffset(r.timings),
    endedAt: r.startedAt + Math.max(0, r.totalMs),
    status: r.status,
    statusText: r.statusText,
    httpVersion: r.httpVersion,
    socket: r.socket,
    reused: r.reused,
    nth: r.nth,
    reason: r.reason,
    reuse: r.reuse ?? null,
    size: r.bodyBytes,
    wireBytes: r.wireBytes,
    durationMs: r.totalMs,
    requestHeaders: r.requestHeaders,
    responseHeaders: r.responseHeaders,
    cookies: r.cookies,
    contentType: r.contentType,
    timings: r.timings,
    error: r.error,
    retryOf: r.retryOf,
    redirect: r.redirect ?? null,
    redirectedTo: r.redirectedTo ?? null,
    willRetry,
    truncated: r.truncated,
    ...(r.peer ? { peer: r.peer } : {}),
  }
}

/** HAR phases before `send`: blocked + dns + connect (connect includes ssl, HAR 1.2 §timings). */
function sendOffset(t: Timings): number {
  return Math.max(0, t.blocked) + Math.max(0, t.dns) + Math.max(0, t.connect)
}

/** Which status bucket a row falls in. */
export function statusBucket(row: RequestRow): Exclude<StatusFilter, 'all'> {
  if (row.state === 'failed') return 'failed'
  if (row.status === null) return 'pending'
  if (row.status >= 500) return '5xx'
  if (row.status >= 400) return '4xx'
  if (row.status >= 300) return '3xx'
  return '2xx'
}

/** 'h2' or 'http/1.1' from the response's HTTP version, or null before headers. */
export function protocolOf(httpVersion: string | null): string | null {
  if (httpVersion === null) return null
  return httpVersion.startsWith('2') ? 'h2' : `http/${httpVersion}`
}
