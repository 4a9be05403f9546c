import { performance } from 'node:perf_hooks'
import type {
  BodyPayload,
  ConnectionInfo,
  EngineEvent,
  MemoryUse,
  Origin,
  PoolSettings,
  PoolStats,
  RequestPage,
  RequestResult,
  RequestSpec,
  Snapshot,
} from '../contract'
import { LIMITS } from '../contract/limits'
import type { EngineApi, EngineOptions, RunOptions, SendOptions } from './api'
import { runBatch } from './batch'
import { sockeyeError } from './errors'
import { historyHar, historyHarParts, type HarParts } from './har'
import { History } from './history'
import { parseTarget, type Target } from './input'
import { normalizeOrigin, OriginSettings } from './origin-settings'
import { ParseCache } from './parse-cache'
import { OriginPool } from './pool/origin'
import { SocketRegistry } from './pool/registry'
import { RequestRun, type RunEnv, type Settle } from './request/attempt'
import { Cancels, SINGLE } from './request/cancel'
import { withCookies } from './request/cookies'
import type { CookieStore } from './cookies'
import { Outcomes } from './request/outcome'
import { Chain, chained, followRun, type ChainEnv, type Hop } from './request/redirect'
import { inputFailure, queuedEvent } from './result'
import { checkPatch, needsNewPool } from './settings'
import { StatsEmitter } from './stats'

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
  private readonly cancels = new Cancels()
  private closed = false
  private readonly statsEvents: boolean
  readonly lifecycle: boolean
  private jar: CookieStore | null
  /** What redirect chains need: request ids, cancel links, and start() for each hop. */
  private readonly chains: ChainEnv = {
    nextId: () => this.nextRequestId++,
    cancels: this.cancels,
    start: (id, spec, settle, hop) => this.start(id, spec, settle, parseTarget(spec), hop),
  }

  constructor(options: EngineOptions = {}) {
    this.settings = new OriginSettings(options.defaults ?? {})
    this.statsEvents = options.statsEvents ?? true
    this.lifecycle = options.lifecycleEvents ?? true
    this.jar = options.cookies ?? null
    const maxHistory = Math.max(1, options.maxHistory ?? LIMITS.history)
    this.history = new History(
      options.keepResults === false ? 0 : maxHistory,
      options.bodyBudget ?? LIMITS.bodyBudgetBytes,
      options.keepBodies,
    )
    this.outcomes = new Outcomes(this.history, {
      emit: (event) => this.emit(event),
      statsChanged: (pool) => this.statsChanged(pool),
      isClosed: () => this.closed,
      retry: (run, settle, fresh) => {
        const id = this.nextRequestId++
        const hop = run.chain ? { chain: run.chain, link: run.link } : null
        if (hop) this.cancels.hop(id, run.id, hop.chain)
        else this.cancels.follow(id, run.id)
        this.launch(
          id,
          run.target,
          run.id,
          settle,
          fresh,
          run.firstQueuedAt,
          run.resends + (fresh ? 0 : 1),
          hop,
        )
      },
      follow: (run) => followRun(this.chains, run),
    })
    this.registry = new SocketRegistry(
      (event) => this.emit(event),
      (pool) => this.statsChanged(pool),
      (origin) => this.settingsOf(origin),
      (origin) => this.settings.explicitKeepAlive(origin),
      maxHistory,
    )
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

  send(spec: RequestSpec, options: SendOptions = {}): Promise<RequestResult> {
    const id = this.nextRequestId++
    this.cancels.track(id, SINGLE)
    const result = new Promise<RequestResult>((resolve) =>
      this.start(id, spec, resolve, this.parseCache.parse(spec)),
    )
    // Without a signal there is nothing to stop watching: no extra promise per request.
    return options.signal ? result.finally(this.cancels.watch(options.signal, [id])) : result
  }

  run(options: RunOptions): { runId: number; requestIds: number[]; done: Promise<RequestResult[]> } {
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
    const runId = this.cancels.batch()
    for (const id of ids) this.cancels.track(id, runId)
    const stop = this.cancels.watch(options.signal, ids)
    // One parse for the whole batch: every send of it is the same request.
    const spec = options.request
    const parsed = parseTarget(spec)
    const done = runBatch(repeat, concurrency, delayMs, async (i) => {
      const final = await new Promise<RequestResult>((resolve) => this.start(ids[i]!, spec, resolve, parsed))
      return this.history.attempts(final)
    }).finally(stop)
    return { runId, requestIds: ids, done }
  }

  useCookies(store: CookieStore | null): void {
    this.jar = store
  }

  cancel(requestId: number): boolean {
    return this.cancels.cancel(requestId)
  }

  cancelRun(runId: number): number {
    return this.cancels.cancelRun(runId)
  }

  /** Resolves once sockets the server is already closing have closed (bounded by `ms`). */
  async settled(ms = 200): Promise<void> {
    // Two loop turns: a FIN read with the last response is processed, undici's busy mark clears.
    await new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
    await Promise.all([...this.pools.values()].map((pool) => pool.settled(ms)))
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
      void pool.retire('settings changed', 'settings-changed')
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
        await pool.retire('pool closed', 'fresh')
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

  listRequests(limit: number, before?: number): RequestPage {
    return this.history.page(limit, before)
  }

  memory(bodyBudget?: number): MemoryUse {
    if (bodyBudget !== undefined) this.history.setBudget(bodyBudget)
    return this.history.memory()
  }

  snapshot(): Snapshot {
    // A reconnecting renderer gets the newest page, not 100,000 records in one frame.
    const page = this.history.page(LIMITS.pageRequests)
    const settings: Record<string, PoolSettings> = {}
    for (const origin of new Set([...this.pools.keys(), ...this.settings.overridden()])) {
      settings[origin] = this.getSettings(origin)
    }
    return {
      requests: page.requests,
      olderRequests: page.older,
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

  harParts(): HarParts {
    return historyHarParts(this.history, this.connections())
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.statsEmitter.stop()
    await Promise.all([...this.pools.values()].map((pool) => pool.destroy()))
  }

  /** `request:queued`, the first of a request's steps (none when lifecycle events are off). */
  private queued(...args: Parameters<typeof queuedEvent>): void {
    if (this.lifecycle) this.emit(queuedEvent(...args))
  }

  // ---- RunEnv: what request attempts report ----

  statsChanged(pool: OriginPool): void {
    if (this.statsEvents) this.statsEmitter.changed(pool)
  }

  ended(run: RequestRun, error: Error | null): void {
    this.cancels.ended(run)
    this.outcomes.ended(run, error)
  }

  /** Effective settings of an origin (frozen, shared by its requests). */
  settingsOf(origin: Origin): PoolSettings {
    return this.settings.of(origin)
  }

  // ---- internals ----

  /**
   * `settle` gets the final result; launch() untracks `id` first (here: on bad input). `hop`: a hop
   * of a redirect chain (every hop enters here, as a send does).
   */
  private start(
    id: number,
    spec: RequestSpec,
    settle: Settle,
    parsed = parseTarget(spec),
    hop: Hop | null = null,
  ): void {
    if (!hop && spec.redirects?.follow) {
      const chain = new Chain(id, spec.redirects.max, spec)
      hop = { chain, link: null }
      settle = chained(this.chains, chain, settle)
    }
    // CONNECT opens a tunnel (RFC 9110 §9.3.6), it is not a request whose response we can show.
    if (parsed.ok && parsed.value.method === 'CONNECT') {
      const message = 'CONNECT opens a tunnel through a proxy and is not supported; use GET, POST, …'
      parsed = { ok: false, error: sockeyeError('INVALID_METHOD', 'input', message) }
    }
    if (!parsed.ok) {
      const now = performance.now()
      this.queued(id, now, spec, null, hop)
      const result = inputFailure(id, spec, parsed.error, now)
      if (hop) result.redirect = hop.link
      this.history.add(result, null, null)
      this.emit({ type: 'request:failed', seq: 0, t: now, result, willRetry: false })
      this.cancels.untrack(id)
      settle(result)
      return
    }
    this.launch(id, parsed.value, null, settle, spec.fresh === true, hop?.chain.firstQueuedAt, 0, hop)
  }

  private launch(
    id: number,
    target: Target,
    retryOf: number | null,
    given: Settle,
    fresh: boolean,
    firstQueuedAt?: number,
    resends = 0,
    hop: Hop | null = null,
  ): void {
    const settle: Settle = (result) => {
      this.cancels.untrack(id)
      given(result)
    }
    const cancelled = this.cancels.cancelled(id)
    if (this.closed || cancelled) {
      const spec = { method: target.method, url: target.url.href, headers: target.headers, body: null }
      const error = cancelled
        ? sockeyeError('CANCELLED', 'queue', `request #${id} was cancelled before it was sent`)
        : sockeyeError('POOL_CLOSED', 'queue', 'the engine is closed; start a new one to send requests')
      const result = inputFailure(id, spec, error, performance.now(), target.origin)
      if (hop) result.redirect = hop.link
      if (!this.closed) {
        // Every request the UI sees starts with request:queued, a cancelled one too.
        this.queued(id, result.startedAt, target, retryOf, hop)
        this.history.add(result, null, null)
        this.emit({ type: 'request:failed', seq: 0, t: result.startedAt, result, willRetry: false })
      }
      return settle(result)
    }
    let pool = this.pools.get(target.origin)
    if (!pool) {
      pool = new OriginPool(target.origin, this.registry)
      this.pools.set(target.origin, pool)
    }
    const jarred = withCookies(this.jar, target)
    target = jarred.target
    const run = new RequestRun(id, target, pool, this.settingsOf(target.origin), retryOf, this, firstQueuedAt)
    run.cookies = jarred.trace
    run.resends = resends
    run.settle = settle
    if (hop) {
      run.chain = hop.chain
      run.link = hop.link
    }
    this.cancels.started(id, run)
    this.queued(id, run.queuedAt, target, retryOf, hop)
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
    if (run.isEnded()) return
    try {
      pool.dispatch(run)
    } catch (err) {
      run.fail(err instanceof Error ? err : new Error(String(err)))
    }
  }
}
