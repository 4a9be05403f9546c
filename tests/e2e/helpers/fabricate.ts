/**
 * Fabricated engine events and records, for store unit tests and for building the UI before the
 * engine lands. Shapes follow electron/contract exactly; values are plausible, not measured.
 */
import type {
  ConnectionInfo,
  EngineEvent,
  EngineEventMap,
  EngineEventType,
  PoolSettings,
  PoolStats,
  RequestResult,
  Snapshot,
} from '../../../electron/contract'

let seq = 0
/** One event with the next sequence number; `t` defaults to the sequence number. */
export function ev<K extends EngineEventType>(type: K, payload: EngineEventMap[K], t = seq + 1): EngineEvent {
  seq++
  return { type, seq, t, ...payload } as EngineEvent
}

/** Current sequence number (the last one handed out). */
export const lastSeq = (): number => seq

export const ORIGIN = 'http://127.0.0.1:4000'

export function result(id: number, fields: Partial<RequestResult> = {}): RequestResult {
  return {
    id,
    method: 'GET',
    url: `${ORIGIN}/search?q=${id}`,
    origin: ORIGIN,
    startedAt: id * 10,
    startedWall: 1_700_000_000_000 + id,
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    contentType: 'application/json',
    requestHeaders: [['accept', '*/*']],
    requestBodyBytes: 0,
    responseHeaders: [['content-type', 'application/json']],
    bodyBytes: 42,
    wireBytes: 42,
    truncated: false,
    socket: 1,
    reused: false,
    nth: 1,
    reason: 'first',
    timings: { blocked: 0.2, dns: -1, connect: 1.1, ssl: -1, send: 0.1, wait: 2.5, receive: 0.3 },
    totalMs: 4.2,
    error: null,
    retryOf: null,
    ...fields,
  }
}

export function connection(id: number, fields: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    id,
    origin: ORIGIN,
    protocol: 'http/1.1',
    remoteAddress: '127.0.0.1',
    remotePort: 4000,
    localAddress: '127.0.0.1',
    localPort: 50000 + id,
    tls: null,
    dns: -1,
    connect: 1.1,
    ssl: -1,
    openedAt: id * 10,
    closedAt: null,
    closeReason: null,
    closeDetail: null,
    requests: 0,
    keepAliveHint: { timeout: 5, max: null },
    openReason: 'first',
    ...fields,
  }
}

export function stats(origin = ORIGIN, fields: Partial<PoolStats> = {}): PoolStats {
  return {
    origin,
    connected: 1,
    free: 1,
    pending: 0,
    queued: 0,
    running: 0,
    size: 0,
    numConnections: 1,
    numRequests: 1,
    ...fields,
  }
}

export const DEFAULTS: PoolSettings = {
  connections: 6,
  pipelining: 1,
  keepAliveTimeout: 4000,
  keepAliveMaxTimeout: 600000,
  allowH2: true,
  rejectUnauthorized: true,
  connectTimeout: 10000,
  headersTimeout: 300000,
  bodyTimeout: 300000,
  maxBodyBytes: 10485760,
  maxDecodedBytes: 52428800,
  maxTime: 0,
}

/** A snapshot of an engine that has sent nothing yet, as of event `lastSeq`. */
export const emptySnapshot = (lastSeq: number): Snapshot => ({
  requests: [],
  connections: [],
  pools: [],
  settings: {},
  defaults: DEFAULTS,
  lastSeq,
})

/** The whole event sequence of one request that completes on `socket`. */
export function lifecycle(
  id: number,
  socket: number,
  opts: { reused?: boolean; nth?: number; open?: boolean; origin?: string } = {},
): EngineEvent[] {
  const origin = opts.origin ?? ORIGIN
  const url = `${origin}/search?q=${id}`
  const reused = opts.reused ?? false
  const nth = opts.nth ?? 1
  const out: EngineEvent[] = [
    ev('request:queued', {
      requestId: id,
      method: 'GET',
      url,
      origin,
      requestHeaders: [],
      requestBodyBytes: 0,
      retryOf: null,
    }),
  ]
  if (opts.open) {
    out.push(ev('socket:connecting', { socketId: socket, origin }))
    out.push(ev('socket:opened', { connection: connection(socket, { origin }) }))
  }
  out.push(
    ev('request:assigned', { requestId: id, socketId: socket, reused, nth, reason: reused ? null : 'first' }),
    ev('request:headersSent', { requestId: id }),
    ev('request:bodySent', { requestId: id, bytes: 0 }),
    ev('request:responseHeaders', {
      requestId: id,
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['content-type', 'application/json']],
    }),
    ev('request:bodyProgress', { requestId: id, wireBytes: 42 }),
    ev('request:completed', {
      result: result(id, { url, origin, socket, reused, nth, reason: reused ? null : 'first' }),
    }),
  )
  return out
}
