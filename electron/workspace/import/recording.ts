import type {
  BodyPayload,
  CloseReason,
  Reuse,
  ConnectionInfo,
  ErrorCode,
  HeaderList,
  HttpProtocol,
  NewSocketReason,
  PoolStats,
  RequestResult,
  SockeyeError,
  Timings,
  TlsInfo,
} from '../../contract'
import type { HarInput } from '../../engine/har'
import { harEntries } from './har'
import { isRecord, list, str } from './text'
import { originFor } from './types'

/**
 * A HAR file as a recording: the requests and connections a live run reports, built from the
 * entries. HAR's `connection` (Chrome: its socket id; Sockeye: `#n`) becomes socket #1, #2, … in
 * order of first use; reuse and the nth request follow from entry order on each connection.
 * Sockeye's own `_socket`, `_error`, `_requestId`, `_retryOf` and `_redirectOf`/`_redirectHop`/
 * `_redirectHead`/`_redirectedTo` are read back as written.
 */

/** A connection as recorded: ConnectionInfo plus the id the HAR gave it. */
export type RecordedConnection = ConnectionInfo & { recorded: string }

export interface Recording {
  requests: RequestResult[]
  connections: RecordedConnection[]
  pools: PoolStats[]
  /** What `buildHar` needs to write the recording back out (bodies included). */
  inputs: HarInput[]
}

const num = (v: unknown, fallback = -1): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback

function headers(v: unknown): HeaderList {
  return list(v)
    .filter(isRecord)
    .map((h) => [str(h.name), str(h.value)] as [string, string])
}

function header(list: HeaderList, name: string): string | null {
  return list.find(([n]) => n.toLowerCase() === name)?.[1] ?? null
}

/** 'HTTP/1.1' → '1.1'; 'h2', 'HTTP/2', 'http/2.0' → '2'. */
function version(v: string): string | null {
  if (v === '') return null
  if (/^(h2|http\/2(\.0)?)$/i.test(v)) return '2'
  return /^http\/([\d.]+)$/i.exec(v)?.[1] ?? v
}

function timings(v: unknown): Timings {
  const t = isRecord(v) ? v : {}
  return {
    blocked: num(t.blocked),
    dns: num(t.dns),
    connect: num(t.connect),
    ssl: num(t.ssl),
    send: num(t.send, 0),
    wait: num(t.wait, 0),
    receive: num(t.receive, 0),
  }
}

/** Chrome's `_error` ('net::ERR_CONNECTION_REFUSED') or Sockeye's typed `_error`. */
function errorOf(entry: Record<string, unknown>): SockeyeError | null {
  const e = entry._error
  if (isRecord(e) && typeof e.code === 'string') {
    return {
      code: e.code as ErrorCode,
      phase: str(e.phase, 'input') as SockeyeError['phase'],
      message: str(e.message),
    }
  }
  if (typeof e !== 'string' || e === '') return null
  const codes: Array<[RegExp, ErrorCode, SockeyeError['phase']]> = [
    [/CONNECTION_REFUSED/, 'CONNECTION_REFUSED', 'connect'],
    [/NAME_NOT_RESOLVED/, 'DNS_FAILED', 'dns'],
    [/CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE/, 'CONNECTION_RESET', 'wait'],
    [/TIMED_OUT/, 'CONNECT_TIMEOUT', 'connect'],
    [/CERT/, 'TLS_FAILED', 'tls'],
  ]
  const [, code, phase] = codes.find(([re]) => re.test(e)) ?? [
    null,
    'ABORTED' as ErrorCode,
    'receive' as const,
  ]
  return { code, phase, message: `recorded error: ${e}` }
}

interface Socketed {
  id: number
  reused: boolean
  nth: number
  reason: NewSocketReason | null
  protocol: HttpProtocol | null
  tls: TlsInfo | null
  /** Sockeye's own HAR: how a reused socket was shared, and the socket's state when it was written. */
  reuse?: Reuse
  closeReason?: CloseReason | null
  closeDetail?: string | null
}

/** Sockeye's `_socket` as written by the engine's HAR export. */
function ownSocket(entry: Record<string, unknown>): Socketed | null {
  const s = entry._socket
  if (!isRecord(s) || typeof s.id !== 'number') return null
  return {
    id: s.id,
    reused: s.reused === true,
    nth: num(s.nth, 0),
    reason: (typeof s.reason === 'string' ? s.reason : null) as NewSocketReason | null,
    protocol: s.protocol === 'h2' ? 'h2' : s.protocol === 'http/1.1' ? 'http/1.1' : null,
    tls: isRecord(s.tls) ? (s.tls as unknown as TlsInfo) : null,
    ...(isRecord(s.reuse) ? { reuse: s.reuse as unknown as Reuse } : {}),
    ...('closeReason' in s ? { closeReason: (s.closeReason ?? null) as CloseReason | null } : {}),
    ...('closeDetail' in s ? { closeDetail: typeof s.closeDetail === 'string' ? s.closeDetail : null } : {}),
  }
}

/** `truncated: 123 bytes kept; <decode error>` → the flags the engine's HAR export wrote. */
function contentNotes(comment: string): { truncated: boolean; decodeError: string | null } {
  const notes = comment === '' ? [] : comment.split('; ')
  const truncated = notes.some((n) => /^truncated: \d+ bytes kept$/.test(n))
  const rest = notes.filter((n) => !/^truncated: \d+ bytes kept$/.test(n))
  return { truncated, decodeError: rest.length > 0 ? rest.join('; ') : null }
}

export function openHar(doc: unknown): Recording {
  const entries = harEntries(doc)
    .map((entry, index) => ({ entry, index, wall: Date.parse(str(entry.startedDateTime)) }))
    // HAR 1.2 orders entries by start; a file that does not is read in time order (stable).
    .sort((a, b) => (Number.isNaN(a.wall) || Number.isNaN(b.wall) ? 0 : a.wall - b.wall) || a.index - b.index)
  const first = entries.find((e) => !Number.isNaN(e.wall))?.wall ?? 0
  const ids = new Map<string, number>()
  const counts = new Map<number, number>()
  const busyUntil = new Map<number, number>()
  const closedByServer = new Set<number>()
  const connections = new Map<number, RecordedConnection>()
  const requests: RequestResult[] = []
  const inputs: HarInput[] = []
  let nextId = 1

  for (const [i, { entry, wall }] of entries.entries()) {
    const request = isRecord(entry.request) ? entry.request : {}
    const response = isRecord(entry.response) ? entry.response : {}
    const content = isRecord(response.content) ? response.content : {}
    const url = str(request.url)
    const origin = originFor(url) ?? url
    const startedAt = Number.isNaN(wall) ? 0 : wall - first
    const t = timings(entry.timings)
    const totalMs = num(entry.time, 0)
    const status = num(response.status, 0)
    const requestHeaders = headers(request.headers)
    const responseHeaders = headers(response.headers)
    const own = ownSocket(entry)
    const recorded = entry.connection === undefined ? null : str(entry.connection)

    let socket: Socketed | null = own
    if (!socket && recorded !== null && recorded !== '') {
      const known = ids.get(recorded)
      const id = known ?? nextId
      if (known === undefined) {
        ids.set(recorded, id)
        nextId++
      }
      const nth = (counts.get(id) ?? 0) + 1
      // A new socket while another of its origin was still busy: the pool had to open one.
      const others = [...connections.values()].filter((c) => c.origin === origin && c.id !== id)
      const busy = others.some((c) => (busyUntil.get(c.id) ?? -Infinity) > startedAt)
      // Else, when every earlier socket's last response said `Connection: close`, none was left to reuse.
      const closed = others.length > 0 && others.every((c) => closedByServer.has(c.id))
      const reason: NewSocketReason | null =
        nth > 1 ? null : others.length === 0 ? 'first' : busy ? 'all-busy' : closed ? 'server-closed' : null
      const h2 = /^(h2|http\/2)/i.test(str(response.httpVersion) || str(request.httpVersion))
      socket = { id, reused: nth > 1, nth, reason, protocol: h2 ? 'h2' : 'http/1.1', tls: null }
    }
    if (socket) {
      if (own) nextId = Math.max(nextId, own.id + 1)
      counts.set(socket.id, Math.max(counts.get(socket.id) ?? 0, socket.nth))
      busyUntil.set(socket.id, Math.max(busyUntil.get(socket.id) ?? -Infinity, startedAt + totalMs))
      if (/\bclose\b/i.test(header(responseHeaders, 'connection') ?? '')) closedByServer.add(socket.id)
      else closedByServer.delete(socket.id)
    }
    const post = isRecord(request.postData) ? request.postData : null
    const requestBodyBytes = num(request.bodySize, 0) > 0 ? num(request.bodySize) : str(post?.text).length
    const result: RequestResult = {
      id: num(entry._requestId, i + 1),
      method: str(request.method, 'GET'),
      url,
      origin,
      startedAt,
      startedWall: Number.isNaN(wall) ? 0 : wall,
      status: status === 0 ? null : status,
      statusText: status === 0 ? null : str(response.statusText),
      httpVersion: status === 0 ? null : version(str(response.httpVersion)),
      contentType: status === 0 ? null : str(content.mimeType) || header(responseHeaders, 'content-type'),
      requestHeaders,
      requestBodyBytes,
      responseHeaders,
      bodyBytes: Math.max(0, num(content.size, 0)),
      wireBytes: Math.max(0, num(response.bodySize, num(response._transferSize, 0))),
      truncated: contentNotes(str(content.comment)).truncated,
      socket: socket?.id ?? null,
      reused: socket?.reused ?? false,
      nth: socket?.nth ?? 0,
      reason: socket && !socket.reused ? socket.reason : null,
      timings: t,
      totalMs,
      error: errorOf(entry),
      retryOf: typeof entry._retryOf === 'number' ? entry._retryOf : null,
    }
    if (socket?.reuse) result.reuse = socket.reuse
    // A followed redirect's hop (Sockeye's `_redirectOf`…): the recorded chain shows as linked rows again.
    const from = entry._redirectOf
    if (typeof from === 'number' && typeof entry._redirectHop === 'number') {
      const head = typeof entry._redirectHead === 'number' ? entry._redirectHead : from
      result.redirect = { from, hop: entry._redirectHop, head }
    }
    if (typeof entry._redirectedTo === 'number') result.redirectedTo = entry._redirectedTo
    if (result.status === null && !result.error) {
      result.error = { code: 'ABORTED', phase: 'receive', message: 'recorded without a response' }
    }
    requests.push(result)
    inputs.push({ result, body: bodyOf(result, content), requestBody: requestBodyOf(post) })
    if (socket) connect(connections, socket, result, entry, recorded)
  }

  return { requests, connections: [...connections.values()], pools: poolsOf(requests, connections), inputs }
}

function bodyOf(result: RequestResult, content: Record<string, unknown>): BodyPayload | null {
  if (typeof content.text !== 'string') return null
  const notes = contentNotes(str(content.comment))
  const base64 = content.encoding === 'base64'
  return {
    requestId: result.id,
    encoding: base64 ? 'base64' : 'utf8',
    data: content.text,
    bytes: base64 ? Buffer.from(content.text, 'base64').length : Buffer.byteLength(content.text),
    truncated: notes.truncated,
    contentType: result.contentType,
    decodeError: notes.decodeError,
  }
}

function requestBodyOf(post: Record<string, unknown> | null): Buffer | null {
  if (!post || typeof post.text !== 'string' || post.comment === 'request body not kept') return null
  return Buffer.from(post.text, post._encoding === 'base64' ? 'base64' : 'utf8')
}

function connect(
  connections: Map<number, RecordedConnection>,
  socket: Socketed,
  result: RequestResult,
  entry: Record<string, unknown>,
  recorded: string | null,
): void {
  const known = connections.get(socket.id)
  const end = result.startedAt + result.totalMs
  if (known) {
    known.requests++
    known.closedAt = Math.max(known.closedAt ?? end, end)
    return
  }
  let remotePort = 0
  try {
    const u = new URL(result.url)
    remotePort = Number(u.port || (u.protocol === 'https:' ? 443 : 80))
  } catch {
    /* a URL the HAR got wrong: port unknown */
  }
  connections.set(socket.id, {
    id: socket.id,
    origin: result.origin ?? '',
    protocol: socket.protocol ?? (result.httpVersion === '2' ? 'h2' : 'http/1.1'),
    remoteAddress: str(entry.serverIPAddress).replace(/^\[|\]$/g, ''),
    remotePort,
    localAddress: '',
    // HAR records no local port; -1 says "not recorded" (0 would mean "never connected").
    localPort: -1,
    tls: socket.tls,
    dns: result.timings.dns,
    connect: result.timings.connect,
    ssl: result.timings.ssl,
    openedAt: result.startedAt,
    // The recording ends with its last entry; HAR does not say when or why a socket closed.
    closedAt: end,
    // Sockeye's HAR says how the socket ended; a browser's does not.
    closeReason: socket.closeReason ?? null,
    closeDetail: socket.closeDetail ?? null,
    requests: 1,
    keepAliveHint: null,
    openReason: socket.reason ?? 'first',
    recorded: recorded ?? String(socket.id),
  })
}

function poolsOf(requests: RequestResult[], connections: Map<number, RecordedConnection>): PoolStats[] {
  const origins = [...new Set(requests.flatMap((r) => (r.origin === null ? [] : [r.origin])))]
  return origins.map((origin) => ({
    origin,
    connected: 0,
    free: 0,
    pending: 0,
    queued: 0,
    running: 0,
    size: 0,
    numConnections: [...connections.values()].filter((c) => c.origin === origin).length,
    numRequests: requests.filter((r) => r.origin === origin).length,
  }))
}
