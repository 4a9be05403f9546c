import type {
  BodyPayload,
  ConnectionInfo,
  EngineEvent,
  Origin,
  PoolSettings,
  MemoryUse,
  PoolStats,
  RequestPage,
  RequestResult,
  RequestSpec,
  Snapshot,
} from '../contract'

/** Options for one engine instance. */
export interface EngineOptions {
  /** Defaults applied to every origin's pool; per-origin settings override them. */
  defaults?: Partial<PoolSettings>
  /** Keep at most this many finished request records (oldest dropped first). Default 100 000. */
  maxHistory?: number
  /**
   * Total bytes of kept bodies (responses, and request bodies for HAR) across the history; past it
   * the oldest bodies are dropped and their records marked `evicted`. Default LIMITS.bodyBudgetBytes.
   */
  bodyBudget?: number
  /** Keep response and request bodies at all (default true). The CLI without --har keeps none. */
  keepBodies?: boolean
  /**
   * Keep finished request records in the history (default true; `results()`, snapshots, HAR read
   * them). The CLI without --har turns it off: it prints or streams each result as it ends.
   * Sockets are still listed in `connections()`.
   */
  keepResults?: boolean
  /**
   * Emit `pool:stats` events as pools change (default true). The CLI reads the final stats once and
   * turns them off: one stats read and event per request it would never look at.
   */
  statsEvents?: boolean
  /**
   * Emit each request's progress (REQUEST_STEPS: `request:queued`, `assigned`, `headersSent`,
   * `bodySent`, `responseHeaders`, `bodyProgress`; default true). Final results (`request:completed`,
   * `request:failed`), socket and pool events are always emitted. The CLI prints only final results:
   * it turns them off (six events per request it would drop).
   */
  lifecycleEvents?: boolean
  /**
   * The cookie jar consulted for every request launched (engine/cookies.ts): its cookies for the
   * URL join the Cookie header, every Set-Cookie is offered to it. Absent or null: no jar (curl's
   * default: nothing is sent from or kept by one).
   */
  cookies?: import('./cookies').CookieStore | null
}

/** A batch run: `repeat` sends of one request, `concurrency` at a time, `delayMs` between sequential sends. */
export interface RunOptions {
  request: RequestSpec
  repeat?: number
  concurrency?: number
  delayMs?: number
  /** Aborting it cancels every request of the batch not finished yet (CANCELLED, with its phase). */
  signal?: AbortSignal
}

/** Options for one send. */
export interface SendOptions {
  /** Aborting it cancels the request (CANCELLED, with its phase). */
  signal?: AbortSignal
}

/**
 * The engine's public surface. The CLI, the browser-mode server and the Electron main process all
 * use the engine through this interface only. Nothing here rejects on a request failure: failures
 * are `RequestResult.error` values. Methods throw only on programmer error.
 */
export interface EngineApi {
  /** Receive every event in order (synchronously, as it happens). Returns an unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void
  /**
   * Send one request. Resolves with the final attempt's result (after the one automatic stale-socket
   * retry, if any; the failed attempt is kept in `results()` too). Never rejects.
   */
  send(spec: RequestSpec, options?: SendOptions): Promise<RequestResult>
  /**
   * Allocate a run id and request ids and start a batch; `done` resolves with every attempt's
   * result in send order.
   */
  run(options: RunOptions): { runId: number; requestIds: number[]; done: Promise<RequestResult[]> }
  /** Swap the cookie jar (null turns it off); requests launched from now on use it. */
  useCookies(store: import('./cookies').CookieStore | null): void
  /** Cancel one request (queued or in flight); false when it is unknown or already finished. */
  cancel(requestId: number): boolean
  /** Cancel every unfinished request of a batch; returns how many were cancelled. */
  cancelRun(runId: number): number
  /** Resolves once sockets the server is already closing have closed (at most `ms`, default 200). */
  settled(ms?: number): Promise<void>
  /** Default pool settings (engine-wide). */
  defaults(): PoolSettings
  /** Effective settings for one origin (defaults + overrides). */
  getSettings(origin: Origin): PoolSettings
  /**
   * Change an origin's settings at run time. In-flight requests finish on the old sockets; new
   * requests use the new settings. Emits `pool:settings`.
   */
  configure(origin: Origin, patch: Partial<PoolSettings>): PoolSettings
  /** Close one origin's pool (or all when null) so the next request opens a fresh socket. */
  closePool(origin: Origin | null): Promise<number>
  stats(): PoolStats[]
  connections(): ConnectionInfo[]
  results(): RequestResult[]
  /** The kept (decoded, capped) body of a finished request, or null if unknown. */
  getBody(requestId: number): BodyPayload | null
  clearHistory(): void
  /** Everything a (re)connecting renderer needs; `requests` holds only the newest page. */
  snapshot(): Snapshot
  /** A page of kept records older than request `before` (see the `listRequests` call). */
  listRequests(limit: number, before?: number): RequestPage
  /** What kept bodies cost; `bodyBudget` (bytes), when given, is applied first. */
  memory(bodyBudget?: number): MemoryUse
  /** HAR 1.2 document of every kept request, as a JS object (`JSON.stringify` it to save). */
  toHar(): import('har-format').Har
  /** The same HAR in parts, entries built one at a time (the CLI streams `--har` from it). */
  harParts(): import('./har').HarParts
  /** Close every pool and stop. */
  close(): Promise<void>
}
