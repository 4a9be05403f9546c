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
import type { EngineApi, EngineOptions, RunOptions } from './api'
import { runBatch } from './batch'
import { decodeBody } from './body'
import { classifyError, sockeyeError } from './errors'
import { buildHar } from './har'
import { History } from './history'
import { originOf, parseTarget, type Target } from './input'
import { ParseCache } from './parse-cache'
import { OriginPool } from './pools'
import { buildResult, inputFailure } from './result'
import { staleSocket } from './retry'
import { RequestRun, type RunEnv, type Settle } from './run'
import { applyPatch, checkPatch, DEFAULT_SETTINGS, needsNewPool } from './settings'
import { SocketRegistry } from './registry'
import { StatsEmitter } from './stats'
import { AssignmentTracker } from './tracker'

/** The engine: per-origin undici pools, socket identity, lifecycle events, history. */
export class Engine implements EngineApi, RunEnv {
  private seq = 0
  private listeners: Array<(event: EngineEvent) => void> = []
  private nextRequestId = 1
  private readonly base: PoolSettings
  private readonly overrides = new Map<Origin, Partial<PoolSettings>>()
  /** Effective settings per origin, computed once (requests read them on every send). */
  private readonly effective = new Map<Origin, PoolSettings>()
  private readonly pools = new Map<Origin, OriginPool>()
  private readonly history: History
  private readonly parseCache = new ParseCache()
  private readonly statsEmitter = new StatsEmitter((event) => this.emit(event))
  private readonly registry: SocketRegistry
  private readonly tracker: AssignmentTracker
  private closed = false

  constructor(options: EngineOptions = {}) {
    const problem = checkPatch(options.defaults ?? {})
    if (problem) throw new TypeError(`engine defaults: ${problem}`)
    this.base = applyPatch({ ...DEFAULT_SETTINGS }, options.defaults ?? {})
    const maxHistory = Math.max(1, options.maxHistory ?? 100_000)
    this.history = new History(maxHistory)
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
    return { ...this.base }
  }

  getSettings(origin: Origin): PoolSettings {
    return { ...this.settingsOf(normalizeOrigin(origin)) }
  }

  configure(origin: Origin, patch: Partial<PoolSettings>): PoolSettings {
    const problem = checkPatch(patch)
    if (problem) throw new TypeError(`configure ${origin}: ${problem}`)
    const key = normalizeOrigin(origin)
    const before = this.getSettings(key)
    this.overrides.set(key, applyPatch(before, patch))
    this.effective.delete(key)
    const after = this.getSettings(key)
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
    for (const origin of new Set([...this.pools.keys(), ...this.overrides.keys()])) {
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
    const history = this.history
    const entries = history.list().map((result) => ({
      result,
      body: history.body(result.id),
      requestBody: history.requestBody(result.id),
    }))
    return buildHar(entries, this.connections())
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
    if (error) this.failed(run, error)
    else this.completed(run)
  }

  /** Effective settings of an origin (frozen, shared by its requests). */
  settingsOf(origin: Origin): PoolSettings {
    let settings = this.effective.get(origin)
    if (!settings) {
      const override = this.overrides.get(origin)
      settings = Object.freeze(override ? applyPatch(this.base, override) : { ...this.base })
      this.effective.set(origin, settings)
    }
    return settings
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

  private completed(run: RequestRun): void {
    const raw = run.body.buffer()
    const encoding = run.contentEncoding
    if (encoding === null || encoding === '' || /^\s*identity\s*$/i.test(encoding)) {
      this.succeed(run, raw, run.body.wireBytes, run.body.truncated, null)
      return
    }
    decodeBody(raw, encoding, run.settings.maxDecodedBytes).then(
      (d) => this.succeed(run, d.data, d.data.length, d.truncated || run.body.truncated, d.error),
      (err: unknown) => this.succeed(run, raw, raw.length, run.body.truncated, String(err)),
    )
  }

  private succeed(
    run: RequestRun,
    data: Buffer,
    bytes: number,
    truncated: boolean,
    decodeError: string | null,
  ) {
    const result = buildResult(run, null, bytes, truncated)
    const kept = { data, truncated, contentType: run.contentType, decodeError }
    this.history.add(result, kept, run.target.body)
    this.emit({ type: 'request:completed', seq: 0, t: performance.now(), result })
    this.statsChanged(run.pool)
    this.settle(run, result)
  }

  private failed(run: RequestRun, err: Error): void {
    const stale = staleSocket(err, run)
    const phase = run.phase()
    const settings = run.settings
    const timeoutMs =
      phase === 'wait' ? settings.headersTimeout : phase === 'receive' ? settings.bodyTimeout : undefined
    let error =
      stale?.error ??
      classifyError(err, { phase, origin: run.target.origin, host: run.target.url.hostname, timeoutMs })
    if (this.closed)
      error = sockeyeError('POOL_CLOSED', phase, 'the engine was closed before the response arrived')
    const willRetry = !this.closed && stale?.retry === true
    const result = buildResult(run, error, run.body.wireBytes, run.body.truncated)
    this.history.add(result, null, run.target.body)
    this.emit({ type: 'request:failed', seq: 0, t: performance.now(), result, willRetry })
    this.statsChanged(run.pool)
    if (!willRetry) return this.settle(run, result)
    const settle = run.settle
    run.settle = null
    if (settle) this.launch(this.nextRequestId++, run.target, run.id, settle, true)
  }

  private settle(run: RequestRun, result: RequestResult): void {
    const settle = run.settle
    run.settle = null
    settle?.(result)
  }
}

function normalizeOrigin(origin: Origin): Origin {
  try {
    return originOf(new URL(origin))
  } catch {
    throw new TypeError(`not an origin: '${origin}'; expected scheme://host:port`)
  }
}
