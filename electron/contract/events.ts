import type {
  CloseReason,
  ConnectionInfo,
  HeaderList,
  NewSocketReason,
  Origin,
  RedirectLink,
  PoolSettings,
  PoolStats,
  RequestResult,
  Reuse,
  SockeyeError,
} from './model'

/**
 * Engine lifecycle events, named like undici's diagnostics channels (`<subject>:<event>`).
 * Order for one request: request:queued → [socket:connecting → socket:opened] → request:assigned
 * → request:headersSent → request:bodySent → request:responseHeaders → request:bodyProgress*
 * → request:completed | request:failed.
 */
export interface EngineEventMap {
  'request:queued': {
    requestId: number
    method: string
    url: string
    /** null when the URL did not parse. */
    origin: Origin | null
    requestHeaders: HeaderList
    requestBodyBytes: number
    retryOf: number | null
    /** A hop of a followed redirect chain (absent or null otherwise). */
    redirect?: RedirectLink | null
  }
  'request:assigned': {
    requestId: number
    socketId: number
    reused: boolean
    nth: number
    reason: NewSocketReason | null
    /** How the reused socket was shared (null on a new socket). */
    reuse?: Reuse | null
  }
  'request:headersSent': { requestId: number }
  'request:bodySent': { requestId: number; bytes: number }
  'request:responseHeaders': {
    requestId: number
    status: number
    statusText: string
    httpVersion: string
    headers: HeaderList
  }
  'request:bodyProgress': { requestId: number; wireBytes: number }
  'request:completed': { result: RequestResult }
  /** `willRetry` is true when the engine retries this (stale-socket, idempotent) request once. */
  'request:failed': { result: RequestResult; willRetry: boolean }
  'socket:connecting': { socketId: number; origin: Origin }
  'socket:opened': { connection: ConnectionInfo }
  'socket:closed': {
    socketId: number
    origin: Origin
    reason: CloseReason
    detail: string | null
    closedAt: number
    requests: number
    error: SockeyeError | null
  }
  'pool:stats': { stats: PoolStats }
  'pool:settings': { origin: Origin; settings: PoolSettings }
  'pool:closed': { origin: Origin }
  /**
   * Files of an open collection changed on disk (Sockeye's own saves, an editor, `git pull`):
   * collection-relative paths, gathered over ~75 ms. Sent by the host, not the engine: its seq
   * sits between the engine's (last engine seq + n/1024), so `seq > lastSeq` ordering holds.
   */
  'workspace:changed': { dir: string; paths: string[] }
}

export type EngineEventType = keyof EngineEventMap

/** Every event carries a per-engine sequence number and a monotonic timestamp (ms). */
export interface EventEnvelope {
  seq: number
  t: number
}

export type EngineEventOf<K extends EngineEventType> = EventEnvelope & { type: K } & EngineEventMap[K]

export type EngineEvent = { [K in EngineEventType]: EngineEventOf<K> }[EngineEventType]

/**
 * The steps of a request's lifecycle before its final record (`request:completed`/`failed`), which
 * carries all they told: the engine's `lifecycleEvents` option and the host's batcher leave them
 * out where nobody will see them.
 */
export const REQUEST_STEPS = [
  'request:queued',
  'request:assigned',
  'request:headersSent',
  'request:bodySent',
  'request:responseHeaders',
  'request:bodyProgress',
] as const satisfies readonly EngineEventType[]

/** Every event type, for snapshot tests of the channel list. */
export const ENGINE_EVENT_TYPES = [
  ...REQUEST_STEPS,
  'request:completed',
  'request:failed',
  'socket:connecting',
  'socket:opened',
  'socket:closed',
  'pool:stats',
  'pool:settings',
  'pool:closed',
  'workspace:changed',
] as const satisfies readonly EngineEventType[]
