import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { Pool, type Dispatcher } from 'undici'
import type { CloseReason, NewSocketReason, Origin, PoolSettings, PoolStats } from '../contract'
import { createConnector } from './connector'
import { Generation, H2_STREAMS, idleClient, watchProtocol } from './generation'
import { closeReasonOf, effectiveIdleMs, KEEP_ALIVE_MARGIN_MS, type SocketRecord } from './sockets'

/** A request as the origin's pools see it: counted in `OriginPool.waiting` until it reaches a socket. */
export interface PoolRequest extends Dispatcher.DispatchHandler {
  waiting: boolean
}

/** What an origin's pools report to the engine. */
export interface PoolEnv {
  /** Effective settings for an origin, read when a new pool generation is built. */
  settingsOf(origin: Origin): PoolSettings
  /** Allocate a socket id and emit socket:connecting. */
  newSocket(origin: Origin, reason: NewSocketReason): SocketRecord
  socketOpened(pool: OriginPool, record: SocketRecord, socket: Socket): void
  socketFailed(pool: OriginPool, record: SocketRecord, err: Error): void
  socketClosed(pool: OriginPool, record: SocketRecord, reason: CloseReason, detail: string | null): void
  statsChanged(pool: OriginPool): void
}

/** Previous socket's close reason → why the next one had to be opened. */
const NEXT_REASON: Record<CloseReason, NewSocketReason> = {
  'idle-timeout': 'keep-alive-expired',
  'server-closed': 'server-closed',
  'connection-close': 'server-closed',
  error: 'previous-error',
  'pool-closed': 'fresh',
}

/**
 * Everything for one origin: the current pool generation, draining ones, lifetime counters and
 * the memory of why the last socket closed (which explains why the next one opens).
 */
export class OriginPool {
  current: Generation | null = null
  readonly generations = new Set<Generation>()
  numConnections = 0
  numRequests = 0
  /**
   * Requests handed to undici that have not reached a socket yet (RequestRun.onConnect / its end).
   * Zero means no pool queue; it stands in for undici's `pool.stats.queued`, whose PoolStats walks
   * every client five times, on every send.
   */
  waiting = 0
  statsDirty = false
  private everOpened = false
  private lastCloseReason: CloseReason | null = null
  /** Reason for the next socket when the engine itself forced it (fresh, retry). */
  nextReason: NewSocketReason | null = null

  constructor(
    readonly origin: Origin,
    private readonly env: PoolEnv,
  ) {}

  /** Sends a request through the current generation, creating it with the current settings if needed. */
  dispatch(opts: Dispatcher.DispatchOptions, handler: PoolRequest): void {
    const gen = this.current ?? this.createGeneration(this.env.settingsOf(this.origin))
    // Requests queued in the pool go first.
    const idle = gen.mode === 'h1' && this.waiting === 0 ? idleClient(gen) : null
    if (!handler.waiting) {
      handler.waiting = true
      this.waiting++
    }
    if (gen.mode === 'h1') (idle ?? gen.pool).dispatch(opts, handler)
    else if (gen.mode === 'h2' && gen.h2Client) gen.h2Client.dispatch(opts, handler)
    else if (!gen.probing) {
      // The first request opens the one connection whose ALPN decides; the rest wait for it, so
      // an h2 origin gets one multiplexed socket instead of one socket per pending request.
      gen.probing = true
      gen.pool.dispatch(opts, handler)
    } else gen.held.push([opts, handler])
  }

  /** Stop routing to the current pool and let it drain; resolves when its sockets are closed. */
  async retire(detail: string): Promise<void> {
    const gen = this.current
    if (!gen) return
    this.current = null
    gen.closing = detail
    const held = gen.held
    gen.held = []
    for (const [opts, handler] of held) this.dispatch(opts, handler)
    // close() rejects only when the pool was destroyed meanwhile (engine closed): nothing to wait for.
    await gen.pool.close().catch(() => undefined)
    this.generations.delete(gen)
    this.env.statsChanged(this)
  }

  /** Destroy every pool now (engine shutdown); in-flight requests fail. */
  async destroy(): Promise<void> {
    const all = [...this.generations]
    this.current = null
    for (const gen of all) {
      gen.closing = 'engine closed'
      for (const [, handler] of gen.held) handler.onError?.(new Error('engine closed'))
      gen.held = []
    }
    await Promise.all(all.map((gen) => gen.pool.destroy().catch(() => undefined)))
    this.generations.clear()
  }

  /** Close the idle sockets of this origin (for a fresh connection); resolves once they are closed. */
  async closeIdle(detail: string): Promise<number> {
    const closing: Array<Promise<void>> = []
    for (const gen of this.generations) {
      for (const record of gen.sockets) {
        const socket = record.socket
        if (record.state !== 'open' || record.inFlight > 0 || !socket || socket.destroyed) continue
        record.closedBy = detail
        closing.push(new Promise((resolve) => socket.once('close', () => resolve())))
        socket.destroy()
      }
    }
    await Promise.all(closing)
    return closing.length
  }

  /** Sockets connecting or open, over every generation. */
  openSockets(): number {
    let n = 0
    for (const gen of this.generations) n += gen.sockets.size
    return n
  }

  stats(): PoolStats {
    const s: PoolStats = {
      origin: this.origin,
      connected: 0,
      free: 0,
      pending: 0,
      queued: 0,
      running: 0,
      size: 0,
      numConnections: this.numConnections,
      numRequests: this.numRequests,
    }
    for (const gen of this.generations) {
      const p = gen.pool.stats
      s.connected += p.connected
      s.free += p.free
      s.pending += p.pending + gen.held.length
      s.queued += p.queued + gen.held.length
      s.running += p.running
      s.size += p.size + gen.held.length
    }
    return s
  }

  private reasonFor(gen: Generation): NewSocketReason {
    if (this.nextReason) {
      const reason = this.nextReason
      this.nextReason = null
      return reason
    }
    if (!this.everOpened) return 'first'
    // A socket undici already destroyed (Connection: close, error) may not have emitted 'close'
    // yet: it no longer counts as busy, and why it is going explains the new one.
    let dying: SocketRecord | null = null
    for (const record of gen.sockets) {
      if (record.state === 'connecting' || !record.socket?.destroyed) return 'all-busy'
      dying = record
    }
    if (dying) {
      const s = gen.settings
      return NEXT_REASON[
        closeReasonOf(
          dying,
          performance.now(),
          effectiveIdleMs(dying, s.keepAliveTimeout, s.keepAliveMaxTimeout),
        ).reason
      ]
    }
    return this.lastCloseReason ? NEXT_REASON[this.lastCloseReason] : 'all-busy'
  }

  private createGeneration(settings: PoolSettings): Generation {
    const gen = new Generation(settings, this.origin.startsWith('https:'), (g) => this.createPool(g))
    this.current = gen
    this.generations.add(gen)
    return gen
  }

  private createPool(gen: Generation): Pool {
    const s = gen.settings
    const env = this.env
    const connect = createConnector(s, {
      begin: () => {
        const record = env.newSocket(this.origin, this.reasonFor(gen))
        this.everOpened = true
        gen.sockets.add(record)
        return record
      },
      opened: (record, socket) => {
        record.markOpen(socket, performance.now())
        gen.lastOpened = record
        gen.lastAlpn = record.info.protocol
        this.numConnections++
        env.socketOpened(this, record, socket)
      },
      failed: (record, err) => {
        record.state = 'closed'
        gen.sockets.delete(record)
        this.lastCloseReason = 'error'
        env.socketFailed(this, record, err)
        record.detach()
      },
      closed: (record) => {
        record.state = 'closed'
        gen.sockets.delete(record)
        if (
          gen.closing &&
          !record.closedBy &&
          (record.lastError as { code?: string } | null)?.code === 'UND_ERR_DESTROYED'
        ) {
          record.closedBy = gen.closing
        }
        const idleMs = effectiveIdleMs(record, s.keepAliveTimeout, s.keepAliveMaxTimeout)
        const { reason, detail } = closeReasonOf(record, performance.now(), idleMs)
        this.lastCloseReason = reason
        env.socketClosed(this, record, reason, detail)
        record.detach()
      },
    })
    const pool = new Pool(this.origin, {
      connections: s.connections,
      pipelining: s.pipelining,
      keepAliveTimeout: s.keepAliveTimeout,
      keepAliveMaxTimeout: s.keepAliveMaxTimeout,
      keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
      headersTimeout: s.headersTimeout,
      bodyTimeout: s.bodyTimeout,
      allowH2: s.allowH2,
      maxConcurrentStreams: H2_STREAMS,
      connect,
    })
    watchProtocol(gen, pool, () => this.env.statsChanged(this))
    return pool
  }
}
