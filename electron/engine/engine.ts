import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { setTimeout as delay } from 'node:timers/promises'
import type {
  BodyPayload,
  CloseReason,
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
import { bodyPayload, decodeBody } from './body'
import { classifyError, sockeyeError } from './errors'
import { buildHar } from './har'
import { originOf, parseTarget, type Target } from './input'
import { OriginPool, type PoolEnv } from './pools'
import { buildResult } from './result'
import { staleSocket } from './retry'
import { RequestRun, type RunEnv, type Settle } from './run'
import { applyPatch, checkPatch, DEFAULT_SETTINGS, needsNewPool } from './settings'
import { SocketRecord } from './sockets'
import { AssignmentTracker } from './tracker'

interface KeptBody {
  data: Buffer
  truncated: boolean
  contentType: string | null
  decodeError: string | null
}

/** The engine: per-origin undici pools, socket identity, lifecycle events, history. */
export class Engine implements EngineApi, PoolEnv, RunEnv {
  private seq = 0
  private listeners: Array<(event: EngineEvent) => void> = []
  private nextRequestId = 1
  private nextSocketId = 1
  private readonly base: PoolSettings
  private readonly overrides = new Map<Origin, Partial<PoolSettings>>()
  /** Effective settings per origin, computed once (requests read them on every send). */
  private readonly effective = new Map<Origin, PoolSettings>()
  private readonly pools = new Map<Origin, OriginPool>()
  private readonly sockets = new WeakMap<object, SocketRecord>()
  private readonly records = new Map<number, SocketRecord>()
  private readonly history = new Map<number, RequestResult>()
  private readonly bodies = new Map<number, KeptBody>()
  private readonly tracker = new AssignmentTracker(this.sockets)
  private readonly maxHistory: number
  private readonly dirty = new Set<OriginPool>()
  private readonly lastStats = new Map<Origin, PoolStats>()
  private flushing: NodeJS.Immediate | null = null
  private closed = false

  constructor(options: EngineOptions = {}) {
    const problem = checkPatch(options.defaults ?? {})
    if (problem) throw new TypeError(`engine defaults: ${problem}`)
    this.base = applyPatch({ ...DEFAULT_SETTINGS }, options.defaults ?? {})
    this.maxHistory = Math.max(1, options.maxHistory ?? 100_000)
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
    return new Promise((resolve) => this.start(id, spec, resolve))
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
    return { requestIds: ids, done: this.runBatch(options.request, ids, concurrency, delayMs) }
  }

  defaults(): PoolSettings {
    return { ...this.base }
  }

  getSettings(origin: Origin): PoolSettings {
    return { ...this.settingsOf(origin) }
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
    return [...this.records.values()].map((record) => ({ ...record.info }))
  }

  results(): RequestResult[] {
    return [...this.history.values()]
  }

  getBody(requestId: number): BodyPayload | null {
    const kept = this.bodies.get(requestId)
    if (!kept) return null
    return bodyPayload(requestId, kept.data, kept.truncated, kept.contentType, kept.decodeError)
  }

  clearHistory(): void {
    this.history.clear()
    this.bodies.clear()
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
    const entries = this.results().map((result) => ({ result, body: this.getBody(result.id) }))
    return buildHar(entries, this.connections())
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.tracker.close()
    if (this.flushing) clearImmediate(this.flushing)
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()))
  }

  // ---- RunEnv: what request attempts report ----

  expectAssignment(run: RequestRun): void {
    this.tracker.expect(run)
  }

  statsChanged(pool: OriginPool): void {
    this.dirty.add(pool)
    // One pool:stats per origin per event-loop turn, whatever the number of changes in it.
    this.flushing ??= setImmediate(() => this.flushStats())
  }

  ended(run: RequestRun, error: Error | null): void {
    if (error) this.failed(run, error)
    else this.completed(run)
  }

  // ---- PoolEnv: what the pools report about sockets ----

  settingsOf(origin: Origin): PoolSettings {
    let settings = this.effective.get(origin)
    if (!settings) {
      const override = this.overrides.get(origin)
      settings = Object.freeze(override ? applyPatch(this.base, override) : { ...this.base })
      this.effective.set(origin, settings)
    }
    return settings
  }

  newSocket(origin: Origin, reason: SocketRecord['info']['openReason']): SocketRecord {
    const now = performance.now()
    const record = new SocketRecord(this.nextSocketId++, origin, reason, now)
    this.records.set(record.id, record)
    this.pruneRecords()
    this.emit({ type: 'socket:connecting', seq: 0, t: now, socketId: record.id, origin })
    return record
  }

  socketOpened(pool: OriginPool, record: SocketRecord, socket: Socket): void {
    this.sockets.set(socket, record)
    this.emit({ type: 'socket:opened', seq: 0, t: performance.now(), connection: { ...record.info } })
    this.statsChanged(pool)
  }

  socketFailed(pool: OriginPool, record: SocketRecord, err: Error): void {
    const host = new URL(pool.origin).hostname
    const error = classifyError(err, { phase: 'connect', origin: pool.origin, host })
    this.socketClosed(pool, record, 'error', error.message, error)
  }

  socketClosed(
    pool: OriginPool,
    record: SocketRecord,
    reason: CloseReason,
    detail: string | null,
    error = reason === 'error' && record.lastError
      ? classifyError(record.lastError, { phase: 'receive', origin: pool.origin, host: '' })
      : null,
  ): void {
    const now = performance.now()
    const info = record.info
    info.closedAt = now
    info.closeReason = reason
    info.closeDetail = detail
    this.emit({
      type: 'socket:closed',
      seq: 0,
      t: now,
      socketId: info.id,
      origin: info.origin,
      reason,
      detail,
      closedAt: now,
      requests: info.requests,
      error,
    })
    this.statsChanged(pool)
  }

  // ---- internals ----

  private start(id: number, spec: RequestSpec, settle: Settle, parsed = parseTarget(spec)): void {
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
      this.remember(result, null)
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
      pool = new OriginPool(target.origin, this)
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
    this.remember(result, { data, truncated, contentType: run.contentType, decodeError })
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
    this.remember(result, null)
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

  private remember(result: RequestResult, body: KeptBody | null): void {
    this.history.set(result.id, result)
    if (body) this.bodies.set(result.id, body)
    if (this.history.size <= this.maxHistory) return
    const oldest = this.history.keys().next().value
    if (oldest !== undefined) {
      this.history.delete(oldest)
      this.bodies.delete(oldest)
    }
  }

  /** Keeps every open socket and at most `maxHistory` closed ones. */
  private pruneRecords(): void {
    if (this.records.size <= this.maxHistory) return
    for (const [id, record] of this.records) {
      if (this.records.size <= this.maxHistory) break
      if (record.state === 'closed') this.records.delete(id)
    }
  }

  private flushStats(): void {
    this.flushing = null
    if (this.closed) return
    for (const pool of this.dirty) {
      const stats = pool.stats()
      const last = this.lastStats.get(pool.origin)
      if (last && sameStats(last, stats)) continue
      this.lastStats.set(pool.origin, stats)
      this.emit({ type: 'pool:stats', seq: 0, t: performance.now(), stats })
    }
    this.dirty.clear()
  }

  private async runBatch(spec: RequestSpec, ids: number[], concurrency: number, delayMs: number) {
    const attempts: RequestResult[][] = ids.map(() => [])
    // One parse for the whole batch: every send of it is the same request.
    const parsed = parseTarget(spec)
    let next = 0
    const worker = async (): Promise<void> => {
      let first = true
      while (next < ids.length) {
        const i = next++
        if (!first && delayMs > 0) await delay(delayMs)
        first = false
        const final = await new Promise<RequestResult>((resolve) =>
          this.start(ids[i]!, spec, resolve, parsed),
        )
        attempts[i] = this.chainOf(final)
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker))
    return attempts.flat()
  }

  /** A final result preceded by the attempts it retried (oldest first). */
  private chainOf(final: RequestResult): RequestResult[] {
    const chain = [final]
    let previous = final.retryOf === null ? undefined : this.history.get(final.retryOf)
    while (previous) {
      chain.unshift(previous)
      previous = previous.retryOf === null ? undefined : this.history.get(previous.retryOf)
    }
    return chain
  }
}

function sameStats(a: PoolStats, b: PoolStats): boolean {
  return (
    a.connected === b.connected &&
    a.free === b.free &&
    a.pending === b.pending &&
    a.queued === b.queued &&
    a.running === b.running &&
    a.size === b.size &&
    a.numConnections === b.numConnections &&
    a.numRequests === b.numRequests
  )
}

function normalizeOrigin(origin: Origin): Origin {
  try {
    return originOf(new URL(origin))
  } catch {
    throw new TypeError(`not an origin: '${origin}'; expected scheme://host:port`)
  }
}

function inputFailure(
  id: number,
  spec: RequestSpec,
  error: RequestResult['error'],
  now: number,
): RequestResult {
  return {
    id,
    method: spec.method,
    url: spec.url,
    origin: '',
    startedAt: now,
    startedWall: Date.now(),
    status: null,
    statusText: null,
    httpVersion: null,
    contentType: null,
    requestHeaders: spec.headers,
    requestBodyBytes: 0,
    responseHeaders: [],
    bodyBytes: 0,
    wireBytes: 0,
    truncated: false,
    socket: null,
    reused: false,
    nth: 0,
    reason: null,
    timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    totalMs: 0,
    error,
    retryOf: null,
  }
}
