import type { ErrorCode, Origin, Phase, SockeyeError } from '../contract'
import { LIMITS } from '../contract/limits'

/**
 * Every Sockeye error is created here (as undici keeps every error type in `lib/core/errors.js`).
 * Errors are plain values `{ code, phase, message }`; `message` is one line a person can act on and
 * never carries a stack trace. Node/undici errors are classified by their `code` (and, for
 * Sockeye's own faults, by class), never by their message text: texts change in patch releases.
 */

const MAX_MESSAGE = LIMITS.messageChars

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
interface ErrorLike {
  code?: unknown
  name?: unknown
  message?: unknown
  cause?: unknown
  errors?: unknown
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** The error's message as one line, or `fallback` when it has none. */
function firstLine(e: ErrorLike | undefined, fallback: string): string {
  const message = e ? oneLine(str(e.message)) : ''
  return message || fallback
}

/**
 * A failure Sockeye itself decided (cancel, deadline, GOAWAY, a response no request asked for).
 * It travels through undici as an ordinary Error (controller.abort, socket.destroy) and comes back
 * to `classifyError` as the same object, already typed.
 */
export class EngineFault extends Error {
  constructor(readonly typed: SockeyeError) {
    super(typed.message)
    this.name = 'EngineFault'
  }
}

/** An EngineFault for `code`, `phase` and `message`. */
export function fault(code: ErrorCode, phase: Phase, message: string): EngineFault {
  return new EngineFault(sockeyeError(code, phase, message))
}

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

/** What the request was doing in each phase, for messages ("… while receiving the body"). */
export const PHASE_WORDS: Record<Phase, string> = {
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

/** The timeout that applied, as the caller knew it (undici's own figure is only in its message). */
function timeoutOf(ctx: ErrorContext): string {
  return ctx.timeoutMs !== undefined ? `${ctx.timeoutMs} ms` : 'the configured time'
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
  // undici's SocketError: the connection ended under the request (the server's FIN or reset).
  UND_ERR_SOCKET: (e, c, at) =>
    sockeyeError(
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
  UND_ERR_CONNECT_TIMEOUT: (_e, c, at) =>
    sockeyeError(
      'CONNECT_TIMEOUT',
      'connect',
      `connect to ${at} timed out after ${timeoutOf(c)}; is the host reachable?`,
    ),
  UND_ERR_HEADERS_TIMEOUT: (_e, c, at) =>
    sockeyeError(
      'HEADERS_TIMEOUT',
      'wait',
      `no response headers from ${at} within ${timeoutOf(c)} (headers timeout); raise --timeout or check the server`,
    ),
  UND_ERR_BODY_TIMEOUT: (_e, c, at) =>
    sockeyeError(
      'BODY_TIMEOUT',
      'receive',
      `response body from ${at} stalled for more than ${timeoutOf(c)} (body timeout); raise --timeout or check the server`,
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
  UND_ERR_INVALID_ARG: (e) =>
    sockeyeError('INVALID_OPTION', 'input', `invalid request: ${firstLine(e, 'invalid argument')}`),
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
    if (e instanceof EngineFault) return e.typed
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

/* TLS and DNS failures: the ones a person fixes outside Sockeye (certificate, host name, resolver). */

/** Codes of OpenSSL certificate verification failures that mean "self-signed" (openssl verify(1)). */
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'])
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const TLS_OTHER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'EPROTO',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
])

/** OpenSSL verification and handshake failures, by Node's error code. */
function classifyTls(code: string, e: ErrorLike, at: string): SockeyeError | null {
  if (SELF_SIGNED.has(code)) {
    return sockeyeError(
      'TLS_SELF_SIGNED',
      'tls',
      `TLS: self-signed certificate for ${at}; use --insecure to skip verification`,
    )
  }
  if (EXPIRED.has(code)) {
    const when = code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not yet valid'
    return sockeyeError(
      'TLS_EXPIRED',
      'tls',
      `TLS: certificate for ${at} ${when}; check the server's certificate (or the clock) or use --insecure`,
    )
  }
  if (TLS_OTHER.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return sockeyeError(
      'TLS_FAILED',
      'tls',
      `TLS handshake with ${at} failed: ${firstLine(e, code)} (${code})`,
    )
  }
  return null
}

/** ERR_TLS_CERT_ALTNAME_INVALID: the certificate is valid, but not for the host name asked for. */
function classifyAltName(e: ErrorLike, c: ErrorContext, at: string): SockeyeError {
  // Node attaches the peer certificate; its subjectAltName says which names it is valid for.
  const san = str((e as { cert?: { subjectaltname?: unknown } }).cert?.subjectaltname)
  const names = san
    .split(',')
    .map((n) => n.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean)
  const valid =
    names.length > 0 ? `is for ${names.slice(0, 3).join(', ')}, not ${c.host}` : `is not for ${c.host}`
  return sockeyeError(
    'TLS_HOSTNAME_MISMATCH',
    'tls',
    `TLS: certificate of ${at} ${valid}; use a matching host name or --insecure`,
  )
}

/** getaddrinfo failures: ENOTFOUND (no such name) and the EAI_* family (resolver trouble). */
function classifyDns(code: string, c: ErrorContext): SockeyeError | null {
  if (code === 'ENOTFOUND') {
    return sockeyeError('DNS_FAILED', 'dns', `DNS: cannot resolve ${c.host} (ENOTFOUND); check the host name`)
  }
  if (!code.startsWith('EAI_')) return null
  const hint = code === 'EAI_AGAIN' ? 'temporary failure; check your network or DNS server' : 'lookup failed'
  return sockeyeError('DNS_FAILED', 'dns', `DNS: cannot resolve ${c.host} (${code}): ${hint}`)
}
