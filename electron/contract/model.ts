import type { CookieReport } from './cookies'

/**
 * Plain-JSON data model shared by the engine, main, preload, browser mode and renderer.
 * Nothing here may hold a live object: only numbers, strings, booleans, arrays and records.
 * All times are monotonic milliseconds (`performance.now()` of the engine process) unless a
 * field name ends in `Wall` (epoch ms, for HAR `startedDateTime`).
 */

/** `scheme://host:port`, always with an explicit port, lower-case host, IPv6 in brackets. */
export type Origin = string

export type HttpProtocol = 'http/1.1' | 'h2'

/** Why the engine had to open a new socket for a request (rather than reuse one). */
export type NewSocketReason =
  | 'first' // no socket had ever been opened for this origin
  | 'all-busy' // every open socket was busy and the pool had room for another
  | 'server-closed' // the previous socket was closed by the server (or `Connection: close`)
  | 'keep-alive-expired' // the previous socket was closed by the client idle timer
  | 'fresh' // the user asked for a fresh connection
  | 'retry' // a stale reused socket failed; the idempotent request is retried on a new one
  | 'previous-error' // the previous socket died with an error
  | 'settings-changed' // the pool settings changed: a new pool was built with them
  | 'goaway' // the previous h2 connection ended with GOAWAY; streams it had not processed moved here

/** Why a socket closed. */
export type CloseReason =
  | 'idle-timeout' // client keep-alive timer fired
  | 'server-closed' // the server ended the connection (FIN) while idle or after a response
  | 'connection-close' // a response carried `Connection: close`
  | 'error' // socket error (reset, TLS, parse error, timeout)
  | 'pool-closed' // the user (or shutdown) closed the pool

/** The request phase in which something happened; HAR phases plus a few of our own. */
export type Phase =
  | 'input' // the request could not be built (bad URL, header, file)
  | 'queue' // waiting for a socket
  | 'dns'
  | 'connect'
  | 'tls'
  | 'send'
  | 'wait' // waiting for response headers
  | 'receive' // reading the body
  | 'decode' // content decoding

/** Stable, documented error codes. */
export type ErrorCode =
  | 'INVALID_URL'
  | 'UNSUPPORTED_SCHEME'
  | 'MISSING_HOST'
  | 'INVALID_PORT'
  | 'INVALID_METHOD'
  | 'INVALID_HEADER'
  | 'FILE_NOT_FOUND'
  | 'INVALID_OPTION'
  | 'DNS_FAILED'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'STALE_SOCKET' // a reused keep-alive socket had been closed by the server
  | 'TLS_SELF_SIGNED'
  | 'TLS_EXPIRED'
  | 'TLS_HOSTNAME_MISMATCH'
  | 'TLS_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'HEADERS_TIMEOUT'
  | 'BODY_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'MALFORMED_RESPONSE'
  | 'DECODE_FAILED'
  | 'ABORTED'
  | 'POOL_CLOSED'
  | 'NOT_PROCESSED' // h2 GOAWAY/REFUSED_STREAM: the server did not process it; sent again on a new connection
  | 'CANCELLED' // cancelled by the caller (cancel, cancelRun, an AbortSignal)
  | 'MAX_TIME' // the request's total deadline (maxTime, --max-time) passed
  | 'GOAWAY' // the h2 server ended the connection with an error code
  | 'TOO_MANY_REDIRECTS' // a followed chain answered one more redirect than its `redirects.max`
  | 'BAD_REDIRECT' // a redirect that cannot be followed: Location not a URL, not http(s), or credentials in it
  | 'FORBIDDEN' // a call from a frame other than the app's own window (desktop IPC sender check)
  | 'INTERNAL'

/** Every error crossing any boundary has this shape. `message` is one line a person can act on. */
export interface SockeyeError {
  code: ErrorCode
  phase: Phase
  message: string
}

/** True for a value shaped like a SockeyeError (e.g. one that crossed IPC or a WebSocket as plain data). */
export function isSockeyeError(value: unknown): value is SockeyeError {
  if (typeof value !== 'object' || value === null) return false
  const e = value as Record<string, unknown>
  return typeof e.code === 'string' && typeof e.phase === 'string' && typeof e.message === 'string'
}

/** HAR 1.2 timing vocabulary, milliseconds, -1 where not applicable. */
export interface Timings {
  blocked: number
  dns: number
  connect: number // includes ssl, as HAR says
  ssl: number
  send: number
  wait: number
  receive: number
}

export interface CertificateSummary {
  subject: string
  issuer: string
  validFrom: string
  validTo: string
  san: string[]
  fingerprint256: string
  selfSigned: boolean
}

export interface TlsInfo {
  version: string // e.g. 'TLSv1.3'
  cipher: string
  alpn: string | null // 'h2', 'http/1.1' or null
  servername: string | null
  authorized: boolean
  authorizationError: string | null
  peer: CertificateSummary | null
  /** True when the session was resumed (no full handshake); `peer` then comes from the full one. */
  resumed?: boolean
}

/** The server's `Keep-Alive: timeout=N, max=M` hint, seconds as sent. */
export interface KeepAliveHint {
  timeout: number | null
  max: number | null
}

/** Response HTTP version as it arrived on the wire. */
export type HttpVersion = '1.0' | '1.1' | '2'

/**
 * How a request shared a connection that was already open: an idle keep-alive socket, one more h2
 * stream next to `inFlight` others, or an HTTP/1.1 request pipelined behind request `behind`.
 */
export interface Reuse {
  kind: 'idle' | 'multiplexed' | 'pipelined'
  /** Other requests in flight on the socket when this one was written. */
  inFlight: number
  /** Pipelined: the request written just before this one on the socket. */
  behind: number | null
}

export interface ConnectionInfo {
  id: number // #1, #2, … per engine instance
  origin: Origin
  protocol: HttpProtocol
  remoteAddress: string
  remotePort: number
  localAddress: string
  localPort: number
  tls: TlsInfo | null
  /** dns / connect / ssl durations measured when the socket opened (ms, -1 if n/a). */
  dns: number
  connect: number
  ssl: number
  openedAt: number
  closedAt: number | null
  closeReason: CloseReason | null
  /** Human detail for the close, e.g. 'idle 5012 ms > keepAliveTimeout 5000 ms'. */
  closeDetail: string | null
  requests: number // requests served so far
  keepAliveHint: KeepAliveHint | null
  /** Why it was opened (the reason of the request that caused it). */
  openReason: NewSocketReason
  /** The client's idle timer for this socket (ms): the pool setting, or the server's hint minus the margin. */
  idleTimeout?: number
  /** h2: the client sends no idle close; the connection stays open until the server (or the pool) closes it. */
  idleUntilServerCloses?: boolean
  /** The socket failed before it was usable (connect or TLS handshake): the error, kept with its id. */
  error?: SockeyeError | null
}

/** Per-origin pool configuration. All durations in milliseconds. */
export interface PoolSettings {
  connections: number // max sockets per origin (HTTP/1.1)
  pipelining: number
  keepAliveTimeout: number
  keepAliveMaxTimeout: number
  allowH2: boolean
  rejectUnauthorized: boolean // TLS verification; false only when turned off explicitly
  connectTimeout: number
  headersTimeout: number
  bodyTimeout: number
  maxBodyBytes: number // kept in memory per response; the rest is counted, not kept
  maxDecodedBytes: number // decoded-size cap for gzip/br/deflate display
  /** Total deadline per request in ms (curl -m), queue to last body byte; 0 = none. */
  maxTime: number
}

export interface PoolStats {
  origin: Origin
  connected: number
  free: number
  pending: number
  queued: number
  running: number
  size: number
  numConnections: number // lifetime sockets opened
  numRequests: number // lifetime requests completed or failed on this pool
}

export type HeaderList = Array<[name: string, value: string]>

/** What to send. Body is UTF-8 text, or base64 when `bodyEncoding` is 'base64'. */
export interface RequestSpec {
  method: string
  url: string
  headers: HeaderList
  body: string | null
  bodyEncoding?: 'utf8' | 'base64'
  /** Close this origin's idle sockets first so the request opens a new one. */
  fresh?: boolean
  /** Follow 3xx redirects (absent or `follow: false`: a redirect is an ordinary response). */
  redirects?: RedirectSetting
}

/**
 * Follow redirects for one request, at most `max` hops (RANGES.redirects). Every hop is its own
 * request (own id, socket, timings, events), linked to the one it came from.
 */
export interface RedirectSetting {
  follow: boolean
  max: number
}

/** Where a hop of a followed redirect chain came from. */
export interface RedirectLink {
  /** The request whose 3xx response this hop follows. */
  from: number
  /** 1 for the first redirect followed, 2 for the next, … */
  hop: number
  /** The chain's first request (the one the user sent). */
  head: number
}

/** Final record of one request (one attempt; a retry is a separate record with `retryOf`). */
export interface RequestResult {
  id: number
  method: string
  url: string
  /** null when the request failed before its URL parsed. */
  origin: Origin | null
  startedAt: number
  startedWall: number
  status: number | null
  statusText: string | null
  httpVersion: string | null // '1.1', '2'
  contentType: string | null
  requestHeaders: HeaderList
  requestBodyBytes: number
  responseHeaders: HeaderList
  bodyBytes: number // decoded bytes (what the user sees)
  wireBytes: number // bytes on the wire (body, encoded)
  truncated: boolean // body exceeded maxBodyBytes or maxDecodedBytes; the rest was counted, not kept
  socket: number | null
  reused: boolean
  nth: number // nth request on its socket (1-based), 0 when never assigned
  reason: NewSocketReason | null // null when reused
  /** How a reused socket was shared (null on a new socket or no socket). */
  reuse?: Reuse | null
  timings: Timings
  totalMs: number
  error: SockeyeError | null
  /** When this attempt was a retry: the id of the failed attempt. */
  retryOf: number | null
  /** A hop of a followed redirect chain: which request it follows (absent or null otherwise). */
  redirect?: RedirectLink | null
  /** This response was followed: the id of the hop that followed it (absent or null otherwise). */
  redirectedTo?: number | null
  /**
   * The certificate the server showed when verification refused it (TLS_* errors), so it can be
   * read before choosing to trust the origin. Absent otherwise.
   */
  peer?: CertificateSummary | null
  /**
   * True once the kept body was dropped to stay within the engine's body budget (oldest first);
   * the record stays. Absent (or false) while the body is kept or there never was one.
   */
  evicted?: boolean
  /** Cookies sent from and offered to the jar (absent while the jar is off or none were involved). */
  cookies?: CookieReport
}

/**
 * How long before the server's `Keep-Alive: timeout=` the client retires an idle socket (undici's
 * `keepAliveTimeoutThreshold`), so that the client, not the server, closes it first: reusing a socket
 * the server is closing at that moment is the stale-socket race. Node's http Agent uses 1 s too.
 */
export const KEEP_ALIVE_MARGIN_MS = 1000
