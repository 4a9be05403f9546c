import { performance } from 'node:perf_hooks'
import type {
  BodyPayload,
  ConnectionInfo,
  EngineEvent,
  Origin,
  PoolSettings,
  PoolStats,
  RequestResult,
  RequestSpec,
  Snapshot,
} from '../contract'
import { LIMITS } from '../contract/limits'
import type { EngineApi, EngineOptions, RunOptions } from './api'
import { runBatch } from './batch'
import { sockeyeError } from './errors'
import { historyHar } from './har'
import { History } from './history'
import { parseTarget, type Target } from './input'
import { normalizeOrigin, OriginSettings } from './origin-settings'
import { ParseCache } from './parse-cache'
import { OriginPool } from './pools'
import { Outcomes } from './outcome'
import { inputFailure } from './result'
import { RequestRun, type RunEnv, type Settle } from './run'
import { checkPatch, needsNewPool } from './settings'
import { SocketRegistry } from './registry'
import { StatsEmitter } from './stats'
import { AssignmentTracker } from './tracker'

/** The engine: per-origin undici pools, socket identity, lifecycle events, history. */
export class Engine implements EngineApi, RunEnv {
  private seq = 0
  private listeners: Array<(event: EngineEvent) => void> = []
  private nextRequestId = 1
  private readonly settings: OriginSettings
  private readonly pools = new Map<Origin, OriginPool>()
  private readonly history: History
  private readonly outcomes: Outcomes
  private readonly parseCache = new ParseCache()
  private readonly statsEmitter = new StatsEmitter((event) => this.emit(event))
  private readonly registry: SocketRegistry
  private readonly tracker: AssignmentTracker
  private closed = false

  constructor(options: EngineOptions = {}) {
    this.settings = new OriginSettings(options.defaults ?? {})
    const maxHistory = Math.max(1, options.maxHistory ?? LIMITS.history)
    this.history = new History(maxHistory)
    this.outcomes = new Outcomes(this.history, {
      emit: (event) => this.emit(event),
      statsChanged: (pool) => this.statsChanged(pool),
      isClosed: () => this.closed,
      retry: (run, settle) => this.launch(this.nextRequestId++, run.target, run.id, settle, true),
    })
    this.registry = new SocketRegistry(
      (event) => this.emit(event),
      (pool) => this.statsChanged(pool),
      (origin) => this.settingsOf(origin),
      maxHistory,
    )
    this.tracker = new AssignmentTracker(this.registry.bySocket)
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners = [...this.listeners, listener]
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }

  /** Stamps `seq` and hands the event to every listener; a throwing listener cannot break a request. */
  emit(event: EngineEvent): void {
    event.seq = ++this.seq
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A subscriber's bug must not turn into a failed request.
      }
    }
  }

  send(spec: RequestSpec): Promise<RequestResult> {
    const id = this.nextRequestId++
    return new Promise((resolve) => this.start(id, spec, resolve, this.parseCache.parse(spec)))
  }

  run(options: RunOptions): { requestIds: number[]; done: Promise<RequestResult[]> } {
    const repeat = options.repeat ?? 1
    const concurrency = options.concurrency ?? 1
    const delayMs = options.delayMs ?? 0
    for (const [name, value, min] of [
      ['repeat', repeat, 1],
      ['concurrency', concurrency, 1],
      ['delayMs', delayMs, 0],
    ] as const) {
      if (!Number.isInteger(value) || value < min) throw new TypeError(`${name} must be an integer ≥ ${min}`)
    }
    const ids = Array.from({ length: repeat }, () => this.nextRequestId++)
    // One parse for the whole batch: every send of it is the same request.
    const spec = options.request
    const parsed = parseTarget(spec)
    const done = runBatch(repeat, concurrency, delayMs, async (i) => {
      const final = await new Promise<RequestResult>((resolve) => this.start(ids[i]!, spec, resolve, parsed))
      return this.history.attempts(final)
    })
    return { requestIds: ids, done }
  }

  defaults(): PoolSettings {
    return this.settings.defaults()
  }

  getSettings(origin: Origin): PoolSettings {
    return this.settings.get(origin)
  }

  configure(origin: Origin, patch: Partial<PoolSettings>): PoolSettings {
    const problem = checkPatch(patch)
    if (problem) throw new TypeError(`configure ${origin}: ${problem}`)
    const key = normalizeOrigin(origin)
    const { before, after } = this.settings.patch(key, patch)
    const pool = this.pools.get(key)
    // In-flight requests finish on the old pool; the next request builds one with the new settings.
    if (pool?.current && needsNewPool(before, after)) {
      pool.nextReason = 'fresh'
      void pool.retire('settings changed')
    }
    this.emit({ type: 'pool:settings', seq: 0, t: performance.now(), origin: key, settings: { ...after } })
    return after
  }

  /** Closes the pool(s) once their in-flight requests end; resolves with the number of sockets closed. */
  async closePool(origin: Origin | null): Promise<number> {
    const targets =
      origin === null
        ? [...this.pools.values()]
        : [this.pools.get(normalizeOrigin(origin))].filter((p) => !!p)
    let closed = 0
    await Promise.all(
      targets.map(async (pool) => {
        if (!pool) return
        closed += pool.openSockets()
        pool.nextReason = 'fresh'
        await pool.retire('pool closed')
        this.emit({ type: 'pool:closed', seq: 0, t: performance.now(), origin: pool.origin })
      }),
    )
    return closed
  }

  stats(): PoolStats[] {
    return [...this.pools.values()].map((pool) => pool.stats())
  }

  connections(): ConnectionInfo[] {
    return this.registry.list()
  }

  results(): RequestResult[] {
    return this.history.list()
  }

  getBody(requestId: number): BodyPayload | null {
    return this.history.body(requestId)
  }

  clearHistory(): void {
    this.history.clear()
  }

  snapshot(): Snapshot {
    const settings: Record<string, PoolSettings> = {}
    for (const origin of new Set([...this.pools.keys(), ...this.settings.overridden()])) {
      settings[origin] = this.getSettings(origin)
    }
    return {
      requests: this.results(),
      connections: this.connections(),
      pools: this.stats(),
      settings,
      defaults: this.defaults(),
      lastSeq: this.seq,
    }
  }

  toHar(): import('har-format').Har {
    return historyHar(this.history, this.connections())
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.tracker.close()
    this.statsEmitter.stop()
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()))
  }

  // ---- RunEnv: what request attempts report ----

  expectAssignment(run: RequestRun): void {
    this.tracker.expect(run)
  }

  statsChanged(pool: OriginPool): void {
    this.statsEmitter.changed(pool)
  }

  ended(run: RequestRun, error: Error | null): void {
    this.outcomes.ended(run, error)
  }

  /** Effective settings of an origin (frozen, shared by its requests). */
  settingsOf(origin: Origin): PoolSettings {
    return this.settings.of(origin)
  }

  // ---- internals ----

  private start(id: number, spec: RequestSpec, settle: Settle, parsed = parseTarget(spec)): void {
    // CONNECT opens a tunnel (RFC 9110 §9.3.6), it is not a request whose response we can show.
    if (parsed.ok && parsed.value.method === 'CONNECT') {
      const message = 'CONNECT opens a tunnel through a proxy and is not supported; use GET, POST, …'
      parsed = { ok: false, error: sockeyeError('INVALID_METHOD', 'input', message) }
    }
    if (!parsed.ok) {
      const now = performance.now()
      this.emit({
        type: 'request:queued',
        seq: 0,
        t: now,
        requestId: id,
        method: spec.method,
        url: spec.url,
        origin: '',
        requestHeaders: spec.headers,
        requestBodyBytes: 0,
        retryOf: null,
      })
      const result = inputFailure(id, spec, parsed.error, now)
      this.history.add(result, null, null)
      this.emit({ type: 'request:failed', seq: 0, t: now, result, willRetry: false })
      settle(result)
      return
    }
    this.launch(id, parsed.value, null, settle, spec.fresh === true)
  }

  private launch(id: number, target: Target, retryOf: number | null, settle: Settle, fresh: boolean): void {
    if (this.closed) {
      const error = sockeyeError(
        'POOL_CLOSED',
        'queue',
        'the engine is closed; start a new one to send requests',
      )
      const spec = { method: target.method, url: target.url.href, headers: target.headers, body: null }
      return settle(inputFailure(id, spec, error, performance.now()))
    }
    let pool = this.pools.get(target.origin)
    if (!pool) {
      pool = new OriginPool(target.origin, this.registry)
      this.pools.set(target.origin, pool)
    }
    const run = new RequestRun(id, target, pool, this.settingsOf(target.origin), retryOf, this)
    run.settle = settle
    this.emit({
      type: 'request:queued',
      seq: 0,
      t: run.queuedAt,
      requestId: id,
      method: target.method,
      url: target.url.href,
      origin: target.origin,
      requestHeaders: target.headers,
      requestBodyBytes: target.body?.length ?? 0,
      retryOf,
    })
    this.statsChanged(pool)
    if (!fresh) return this.dispatch(pool, run)
    // Idle sockets close first, so the request cannot be handed one of them.
    const owner = pool
    void pool
      .closeIdle(retryOf === null ? 'closed for a fresh connection' : 'closed before a retry')
      .then(() => {
        owner.nextReason = retryOf === null ? 'fresh' : 'retry'
        this.dispatch(owner, run)
      })
  }

  private dispatch(pool: OriginPool, run: RequestRun): void {
    try {
      pool.dispatch(run.dispatchOptions(), run)
    } catch (err) {
      run.onError(err instanceof Error ? err : new Error(String(err)))
    }
  }
}
