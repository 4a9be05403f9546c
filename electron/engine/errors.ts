import type { Origin, Phase, SockeyeError } from '../contract'
import { firstLine, oneLine, sockeyeError, str, type ErrorLike } from './errors-base'
import { classifyAltName, classifyDns, classifyTls } from './errors-tls'

export { oneLine, sockeyeError } from './errors-base'

/** Where a request failed, for the message. */
export interface ErrorContext {
  /** The phase the engine was in when the error surfaced; some errors carry their own phase. */
  phase: Phase
  origin: Origin
  /** Host name as the user wrote it (for DNS messages). */
  host: string
  /** The timeout that applied to `phase`, when the error is a timeout. */
  timeoutMs?: number
}

const PHASE_WORDS: Record<Phase, string> = {
  input: 'building the request',
  queue: 'waiting for a socket',
  dns: 'resolving the host',
  connect: 'connecting',
  tls: 'during the TLS handshake',
  send: 'sending the request',
  wait: 'waiting for response headers',
  receive: 'receiving the body',
  decode: 'decoding the body',
}

/** The error itself, then its `cause` chain and any `AggregateError.errors`, outermost first. */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = []
  const queue: unknown[] = [err]
  while (queue.length > 0 && out.length < 16) {
    const e = queue.shift()
    if (e === null || typeof e !== 'object' || out.includes(e as ErrorLike)) continue
    const like = e as ErrorLike
    out.push(like)
    if (like.cause !== undefined) queue.push(like.cause)
    if (Array.isArray(like.errors)) queue.push(...like.errors)
  }
  return out
}

/** `host:port` of an origin (`https://[::1]:8443` → `[::1]:8443`). */
function hostPort(origin: Origin): string {
  return origin.replace(/^[a-z]+:\/\//i, '')
}

/** The timeout in ms: the caller's, or undici's own figure from its message ("timeout: 10000ms"). */
function timeoutOf(ctx: ErrorContext, e: ErrorLike): string {
  if (ctx.timeoutMs !== undefined) return `${ctx.timeoutMs} ms`
  const m = /timeout:\s*(\d+)\s*ms/i.exec(str(e.message))
  return m ? `${m[1]} ms` : 'the configured time'
}

type Classifier = (e: ErrorLike, ctx: ErrorContext, at: string) => SockeyeError

const aborted: Classifier = (_e, c, at) => sockeyeError('ABORTED', c.phase, `request to ${at} was aborted`)
const poolClosed: Classifier = (_e, c) =>
  sockeyeError('POOL_CLOSED', c.phase, `the pool for ${c.origin} was closed before the request finished`)

const headersTooLarge: Classifier = (_e, _c, at) =>
  sockeyeError('HEADERS_TOO_LARGE', 'wait', `response headers from ${at} exceed the maximum header size`)

const byCode: Record<string, Classifier> = {
  ECONNREFUSED: (_e, _c, at) =>
    sockeyeError(
      'CONNECTION_REFUSED',
      'connect',
      `connection refused by ${at}; is a server listening there?`,
    ),
  EHOSTUNREACH: (_e, _c, at) =>
    sockeyeError('CONNECTION_REFUSED', 'connect', `host ${at} is unreachable; check the address and network`),
  ENETUNREACH: (_e, _c, at) =>
    sockeyeError('CONNECTION_REFUSED', 'connect', `network unreachable for ${at}; check your connection`),
  EADDRNOTAVAIL: (_e, _c, at) =>
    sockeyeError('CONNECTION_REFUSED', 'connect', `cannot connect to ${at}: address not available`),
  ECONNRESET: (_e, c, at) =>
    sockeyeError('CONNECTION_RESET', c.phase, `connection to ${at} was reset while ${PHASE_WORDS[c.phase]}`),
  EPIPE: (_e, c, at) =>
    sockeyeError('CONNECTION_RESET', c.phase, `connection to ${at} was closed while ${PHASE_WORDS[c.phase]}`),
  // undici's SocketError: "other side closed" is the server's FIN; "bad response" is a response
  // nobody asked for (client-h1.js: bytes with no request outstanding, or a stray 100).
  UND_ERR_SOCKET: (e, c, at) =>
    str(e.message) === 'bad response'
      ? sockeyeError('MALFORMED_RESPONSE', c.phase, `${at} sent a response that no request was waiting for`)
      : sockeyeError(
          'CONNECTION_RESET',
          c.phase,
          `${at} closed the connection while ${PHASE_WORDS[c.phase]} (${firstLine(e, 'socket error')})`,
        ),
  // undici's InformationalError: the socket was destroyed on purpose (reset, h2 PING/frame errors).
  UND_ERR_INFO: (e, c, at) =>
    sockeyeError(
      'CONNECTION_RESET',
      c.phase,
      `connection to ${at} was closed while ${PHASE_WORDS[c.phase]} (${firstLine(e, 'closed')})`,
    ),
  ETIMEDOUT: (_e, _c, at) =>
    sockeyeError('CONNECT_TIMEOUT', 'connect', `connect to ${at} timed out; is the host reachable?`),
  UND_ERR_CONNECT_TIMEOUT: (e, c, at) =>
    sockeyeError(
      'CONNECT_TIMEOUT',
      'connect',
      `connect to ${at} timed out after ${timeoutOf(c, e)}; is the host reachable?`,
    ),
  UND_ERR_HEADERS_TIMEOUT: (e, c, at) =>
    sockeyeError(
      'HEADERS_TIMEOUT',
      'wait',
      `no response headers from ${at} within ${timeoutOf(c, e)} (headers timeout); raise --timeout or check the server`,
    ),
  UND_ERR_BODY_TIMEOUT: (e, c, at) =>
    sockeyeError(
      'BODY_TIMEOUT',
      'receive',
      `response body from ${at} stalled for more than ${timeoutOf(c, e)} (body timeout); raise --timeout or check the server`,
    ),
  UND_ERR_HEADERS_OVERFLOW: headersTooLarge,
  HPE_HEADER_OVERFLOW: headersTooLarge,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: (_e, _c, at) =>
    sockeyeError(
      'MALFORMED_RESPONSE',
      'receive',
      `response body from ${at} does not match its Content-Length (server sent fewer or more bytes)`,
    ),
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: () =>
    sockeyeError('INVALID_HEADER', 'input', 'request body does not match its Content-Length header'),
  UND_ERR_ABORTED: aborted,
  UND_ERR_ABORT: aborted,
  ABORT_ERR: aborted,
  UND_ERR_DESTROYED: poolClosed,
  UND_ERR_CLOSED: poolClosed,
  UND_ERR_INVALID_ARG: (e) => {
    const detail = firstLine(e, 'invalid argument')
    const code = /header/i.test(detail) ? 'INVALID_HEADER' : 'INVALID_OPTION'
    return sockeyeError(code, 'input', `invalid request: ${detail}`)
  },
  UND_ERR_NOT_SUPPORTED: (e) => sockeyeError('INVALID_OPTION', 'input', `not supported: ${firstLine(e, '')}`),
  ERR_INVALID_URL: (e) => sockeyeError('INVALID_URL', 'input', `invalid URL: ${firstLine(e, '')}`),
  ENOENT: (e) => sockeyeError('FILE_NOT_FOUND', 'input', `file not found: ${firstLine(e, '')}`),
  ERR_TLS_CERT_ALTNAME_INVALID: classifyAltName,
}

/**
 * undici's HTTPParserError carries llhttp's code (HPE_INVALID_CONSTANT, …) when it maps it; some
 * undici 7 paths leave `code` undefined, so the error name counts too.
 */
function classifyParser(code: string, e: ErrorLike, c: ErrorContext, at: string): SockeyeError | null {
  if (!code.startsWith('HPE_') && e.name !== 'HTTPParserError') return null
  const phase = c.phase === 'receive' ? 'receive' : 'wait'
  const reason = firstLine(e, 'parse error').replace(/^Parse Error:\s*/i, '')
  const suffix = code ? ` (${code})` : ''
  return sockeyeError('MALFORMED_RESPONSE', phase, `malformed response from ${at}: ${reason}${suffix}`)
}

/** HTTP/2 failures (RST_STREAM, GOAWAY, session errors) surface with Node's ERR_HTTP2_* codes. */
function classifyH2(code: string, e: ErrorLike, c: ErrorContext, at: string): SockeyeError | null {
  if (!code.startsWith('ERR_HTTP2_')) return null
  return sockeyeError(
    'CONNECTION_RESET',
    c.phase,
    `HTTP/2 stream to ${at} failed while ${PHASE_WORDS[c.phase]}: ${firstLine(e, code)} (${code})`,
  )
}

/** zlib/brotli failures while decoding a body (Z_DATA_ERROR, ERR__ERROR_FORMAT_PADDING_1, …). */
function classifyZlib(code: string, e: ErrorLike): SockeyeError | null {
  if (!/^Z_|^ERR_BROTLI|^ERR_ZSTD|^ERR__ERROR/.test(code)) return null
  return sockeyeError('DECODE_FAILED', 'decode', `cannot decode the body: ${firstLine(e, code)}`)
}

/**
 * Maps a Node/undici error to a typed one-line error. Walks `cause` chains (fetch's "fetch failed"
 * wraps the real error) and `AggregateError.errors` (Node's happy-eyeballs connect), and uses the
 * first error whose code it knows. Unknown errors become INTERNAL with the error's first line.
 */
export function classifyError(err: unknown, ctx: ErrorContext): SockeyeError {
  const at = hostPort(ctx.origin)
  const all = chain(err)
  for (const e of all) {
    const code = str(e.code)
    if (!code && e.name !== 'HTTPParserError') continue
    const known = Object.hasOwn(byCode, code) ? byCode[code] : undefined
    const mapped =
      known?.(e, ctx, at) ??
      classifyDns(code, ctx) ??
      classifyTls(code, e, at) ??
      classifyParser(code, e, ctx, at) ??
      classifyH2(code, e, ctx, at) ??
      classifyZlib(code, e)
    if (mapped) return mapped
  }
  // DOMException and AbortSignal.reason carry no undici code, only a name.
  if (all.some((e) => e.name === 'AbortError' || e.name === 'TimeoutError')) return aborted({}, ctx, at)
  const outer = all[0]
  const text = outer ? firstLine(outer, str(outer.name) || 'unknown error') : oneLine(String(err))
  return sockeyeError('INTERNAL', ctx.phase, `${text || 'unknown error'} (while ${PHASE_WORDS[ctx.phase]})`)
}

/**
 * The error for a reused keep-alive socket that the server had already closed (RFC 9112 §9.6:
 * a server may close an idle connection at any time). The message names the idle time and the
 * server's `Keep-Alive: timeout=` hint when known, so the person can tune `keepAliveTimeout`.
 */
export function staleSocketError(
  origin: Origin,
  socketId: number,
  idleMs: number | null,
  hintSeconds: number | null,
  willRetry: boolean,
): SockeyeError {
  const idle = idleMs === null ? '' : ` after ${Math.round(idleMs)} ms idle`
  const hint = hintSeconds === null ? '' : ` (server hinted Keep-Alive: timeout=${hintSeconds})`
  const next = willRetry
    ? '; retrying once on a fresh socket'
    : '; not retried (method is not idempotent); lower keepAliveTimeout or send it again'
  return sockeyeError(
    'STALE_SOCKET',
    'send',
    `server closed reused socket #${socketId} to ${hostPort(origin)}${idle}${hint}${next}`,
  )
}
