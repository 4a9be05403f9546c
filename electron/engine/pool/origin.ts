import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { TLSSocket } from 'node:tls'
import type { Dispatcher } from 'undici'
import type { CloseReason, NewSocketReason, Origin, PoolSettings, PoolStats } from '../../contract'
import type { RequestRun } from '../request/attempt'
import { socketRecords } from '../request/tracker'
import { closeReasonOf, nextReason } from './close'
import { connectOptions, connectWith, secureInfo, type ConnectHooks } from './connector'
import { TlsRefusal } from './tls'
import { Generation, type Owner, type TrackedClient } from './generation'
import { H2Connection } from './h2'
import { effectiveIdleMs, type SocketRecord } from './socket'
import { poolStats } from './counts'
import { closed, FIN_SETTLE_MS, finWithin, settle } from './fin'
import { currentTurn } from './turn'
import { watchWire } from './wire'

/** What an origin's pools report to the engine. */
export interface PoolEnv {
  /** Effective settings for an origin, read when a new pool generation is built. */
  settingsOf(origin: Origin): PoolSettings
  /** True when the origin's keepAliveTimeout was set explicitly (it then beats the server's hint). */
  explicitKeepAlive(origin: Origin): boolean
  /** Allocate a socket id and emit socket:connecting. */
  newSocket(origin: Origin, reason: NewSocketReason): SocketRecord
  socketOpened(pool: OriginPool, record: SocketRecord, socket: Socket): void
  socketFailed(pool: OriginPool, record: SocketRecord, err: Error): void
  socketClosed(pool: OriginPool, record: SocketRecord, reason: CloseReason, detail: string | null): void
  statsChanged(pool: OriginPool): void
}

/**
 * Everything for one origin: the current pool generation, draining ones and lifetime counters.
 * Why a socket opens is decided when its connection attempt starts, from who asks: an undici
 * Client replacing the socket it lost (that socket's close reason), the engine's h2 connection
 * replacing a retired one, a new generation, or a request that asked for a fresh connection.
 */
export class OriginPool {
  current: Generation | null = null
  readonly generations = new Set<Generation>()
  numConnections = 0
  numRequests = 0
  /** Requests handed to the pool that have not reached a socket yet. */
  waiting = 0
  statsDirty = false
  private everOpened = false
  /** Reason for the next socket when the engine itself forced it (fresh, retry). */
  nextReason: NewSocketReason | null = null
  /** Reason for the next generation's first socket (settings changed, pool closed). */
  nextGeneration: NewSocketReason | null = null
  /**
   * Whether this origin's server keeps an idle HTTP/1.1 socket open after a response: null until
   * seen; false once a socket got its FIN within FIN_SETTLE_MS of going idle; true once a socket
   * stayed open through that wait, or (declared) through the two-turn wait (see dispatchH1).
   */
  keepsAlive: boolean | null = null
  /**
   * A response said it keeps the connection (`Connection: keep-alive` or a `Keep-Alive` header):
   * no FIN probe. (A FIN sent right after such a response is still seen by the two-turn wait.)
   */
  declared = false

  constructor(
    readonly origin: Origin,
    private readonly env: PoolEnv,
  ) {}

  /** Sends a request through the current generation, creating it with the current settings if needed. */
  dispatch(run: RequestRun): void {
    const gen = this.current ?? this.createGeneration()
    if (!run.waiting) {
      run.waiting = true
      this.waiting++
    }
    if (gen.mode === 'h1') return this.dispatchH1(gen, run)
    if (gen.mode === 'h2') return this.dispatchH2(gen, run)
    gen.held.push(run)
    if (!gen.probing) this.probe(gen)
  }

  /**
   * HTTP/1.1: an idle socket takes the request at once (undici's Pool marks a client busy from a
   * response's end until the next loop turn, so a request sent right after a response would get a
   * second socket). A socket that became idle in this very turn may have its server's FIN or reset
   * still on the way (a server that closes after each response without saying so): the request then
   * waits two loop turns, so that close is read and the socket retired before anything is written.
   *
   * Two turns are not enough for a server that sends its FIN with a separate write after the
   * response (hypercorn: the body, then the close once its app has returned, a few ms later under
   * load): the request would be written into a socket the server has already closed. So until this
   * origin has shown that it keeps an idle socket open (`keepsAlive`), a socket idle for less than
   * FIN_SETTLE_MS is reused only once its FIN had that long to come (the wait ends at the FIN),
   * unless its responses said `Connection: keep-alive` or `Keep-Alive` (`declared`). Once the origin
   * has shown it, a same-turn reuse goes at once: an unannounced close is then a real race, reported
   * as one. (undici itself reads what is already pending on an idle socket, a loop turn, before it
   * writes the next request on it; a wait of ours came on top of that one.) Handed to the Client
   * directly, since the Pool still counts it busy: it does until the Client's `drain`, which comes
   * only once this request is done too.
   */
  private dispatchH1(gen: Generation, run: RequestRun, held = false): void {
    // Cancelled (or timed out) while it waited: it must not reach the server.
    if (run.isEnded()) return
    // First come, first served: behind requests held here (below), a new one takes its turn.
    if (!held && gen.held.length > 0) {
      gen.held.push(run)
      return this.flushH1(gen)
    }
    const risk = this.unannounced()
    // Pipelined requests are meant to queue on busy sockets: only without pipelining are they held.
    const hold = risk && gen.settings.pipelining <= 1
    // Behind other waiting requests the Pool's queue decides, unless this origin may close without
    // saying so or the request comes from the held queue: then it looks for an idle socket itself.
    const idle = held || hold || this.waiting <= 1 ? gen.idle() : null
    if (idle && run.waitedOn !== idle && risk && idle.socket) {
      const left = FIN_SETTLE_MS - (performance.now() - idle.idleSince)
      if (left > 0) return this.awaitFin(gen, run, idle, left)
    }
    if (idle && run.waitedOn !== idle && idle.idleTurn === currentTurn() && this.keepsAlive !== true)
      return this.awaitTurn(gen, run, idle)
    // At the connection limit undici's Pool would queue the request and hand it to the next Client
    // that frees up at once, before that socket's FIN can arrive: hold it here until a socket frees
    // (freed), so it takes the wait above like any other reuse.
    if (!idle && hold && gen.sockets.size >= gen.settings.connections) {
      if (held) gen.held.unshift(run)
      else gen.held.push(run)
      return
    }
    if (!idle) return send(gen.pool, run)
    // Through the Pool when the idle socket's Client is the one it would choose: handed to a Client
    // the Pool counts free, directly, the Pool would go on counting it free, and a request sent
    // meanwhile would queue behind this one on its socket instead of taking another. Otherwise the
    // idle socket takes it directly (the Pool would pick a Client without a socket, or queue it).
    const client = idle.client as TrackedClient
    if (gen.poolChoice() === client) return send(gen.pool, run)
    client.direct = true
    try {
      send(client, run)
    } finally {
      client.direct = false
    }
  }

  /** `run` tries again after a wait: on the same generation, unless the settings changed meanwhile. */
  private again(gen: Generation, run: RequestRun): void {
    if (this.current === gen) this.dispatchH1(gen, run, true)
    else this.dispatch(run)
  }

  /** Waits up to `left` ms for the FIN of `idle`, a socket of an origin that may close unannounced. */
  private awaitFin(gen: Generation, run: RequestRun, idle: SocketRecord, left: number): void {
    run.waitedOn = idle
    void finWithin(idle, left).then((fin) => {
      // Still open after the settle time: this server keeps idle sockets (learned once).
      this.keepsAlive = !fin
      // After a FIN, two turns more so that undici retires that socket before the request.
      if (fin) setImmediate(() => setImmediate(() => this.again(gen, run)))
      else this.again(gen, run)
    })
  }

  /**
   * `idle` went idle in this very turn, on an origin that has not shown yet that it keeps sockets:
   * two turns, so that a FIN sent with the response is read first.
   */
  private awaitTurn(gen: Generation, run: RequestRun, idle: SocketRecord): void {
    run.waitedOn = idle
    setImmediate(() =>
      setImmediate(() => {
        // A declared keep-alive that held through the wait is shown: later reuses go at once.
        if (this.declared && this.keepsAlive === null) this.keepsAlive = open(idle)
        this.again(gen, run)
      }),
    )
  }

  /**
   * The request held longest tries again (a socket freed, or a new request queued behind it). Once
   * the origin has shown that it does not close unannounced (a response said keep-alive, or an idle
   * socket stayed open), nothing needs holding: every held request goes on at once, oldest first.
   * (Released one at a time, a run that never paused kept each of its requests passing through the
   * queue: a new one joined it as the oldest left, 10,000 requests at 10 concurrent and all held.)
   */
  private flushH1(gen: Generation): void {
    do {
      const run = nextHeld(gen)
      if (run && this.current === gen) this.dispatchH1(gen, run, true)
      else if (run) this.dispatch(run)
    } while (gen.held.length > 0 && !this.unannounced())
  }

  /** A socket of this origin went idle or closed: a held HTTP/1.1 request may go now (next turn). */
  freed(record: SocketRecord): void {
    for (const gen of this.generations) {
      if (gen.mode !== 'h1' || gen.held.length === 0 || !gen.sockets.has(record)) continue
      setImmediate(() => this.flushH1(gen))
    }
  }

  private dispatchH2(gen: Generation, run: RequestRun): void {
    if (run.isEnded()) return
    const connection = gen.h2
    if (connection?.usable && gen.held.length === 0) {
      run.reached()
      connection.request(run)
      return
    }
    gen.held.push(run)
    if (!connection?.open && !gen.probing) this.probe(gen)
  }

  /** Opens a connection whose ALPN decides the protocol; held requests go to it. */
  private probe(gen: Generation): void {
    gen.probing = true
    const options = connectOptions(this.origin)
    connectWith(
      gen.h2Base,
      this.hooks(gen, null),
      options,
      (err, socket) => {
        gen.probing = false
        if (err || !socket) {
          // As undici does on a failed connect: the requests waiting for it fail with its error.
          for (const run of gen.held.splice(0)) run.fail(err ?? new Error('connection failed'))
          return
        }
        const record = socketRecords.get(socket)!
        if ((socket as TLSSocket).alpnProtocol === 'h2' && !gen.closing) {
          gen.mode = 'h2'
          gen.h2 = new H2Connection(
            record,
            socket as TLSSocket,
            gen.settings,
            {
              freed: (c) => this.flushH2(gen, c),
              retired: (c) => {
                if (gen.h2 === c) gen.h2 = null
                gen.lastRetired = c.record
                if (gen.held.length > 0 && !gen.probing && !gen.closing) this.probe(gen)
              },
            },
            gen.h2Budget,
          )
          this.flushH2(gen, gen.h2)
          return
        }
        gen.mode = 'h1'
        gen.parked = { record, socket }
        for (const run of gen.held.splice(0)) this.dispatchH1(gen, run)
      },
      gen.settings.connectTimeout,
    )
  }

  private flushH2(gen: Generation, connection: H2Connection): void {
    while (gen.held.length > 0 && connection.usable && gen.h2 === connection) {
      const run = gen.held.shift()!
      if (run.isEnded()) continue
      run.reached()
      connection.request(run)
    }
    this.env.statsChanged(this)
  }

  /** Stop routing to the current pool and let it drain; resolves when its sockets are closed. */
  async retire(detail: string, next: NewSocketReason): Promise<void> {
    const gen = this.current
    if (!gen) return
    this.current = null
    this.nextGeneration = next
    gen.closing = detail
    // Requests held for a free HTTP/1.1 socket stay with the pool they were sent to, like the ones
    // in its own queue (in-flight and queued requests finish on the old settings).
    for (const run of gen.held.splice(0)) {
      if (gen.mode === 'h1') send(gen.pool, run)
      else this.dispatch(run)
    }
    const h2 = gen.h2
    if (h2) {
      h2.record.closedBy = detail
      h2.retire()
    }
    const closing = [...gen.sockets].map((r) => closed(r))
    // close() rejects only when the pool was destroyed meanwhile (engine closed): nothing to wait for.
    await Promise.all([gen.pool.close().catch(() => undefined), ...closing])
    this.generations.delete(gen)
    this.env.statsChanged(this)
  }

  /** Destroy every pool now (engine shutdown); in-flight requests fail. */
  async destroy(): Promise<void> {
    const all = [...this.generations]
    this.current = null
    for (const gen of all) {
      gen.closing = 'engine closed'
      for (const run of gen.held.splice(0)) run.fail(new Error('engine closed'))
      gen.h2?.destroy()
      gen.parked?.socket.destroy()
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
        closing.push(closed(record))
        if (gen.h2?.record === record) gen.h2.destroy()
        else socket.destroy()
      }
    }
    await Promise.all(closing)
    return closing.length
  }

  /** Resolves once every socket the server (or undici) is already closing has closed, or after `ms`. */
  settled(ms: number): Promise<void> {
    const sockets = [...this.generations].flatMap((gen) => [...gen.sockets])
    return settle(sockets, this.unannounced(), ms)
  }

  /** This origin may close a socket right after a response without saying so (not shown otherwise). */
  private unannounced(): boolean {
    return this.keepsAlive !== true && !this.declared
  }

  /** Sockets connecting or open, over every generation. */
  openSockets(): number {
    let n = 0
    for (const gen of this.generations) n += gen.sockets.size
    return n
  }

  stats(): PoolStats {
    return poolStats(this.origin, this.generations, this.numConnections, this.numRequests)
  }

  /** Why the socket `owner` (or the engine's h2/probe connect) opens now. */
  private reasonFor(gen: Generation, owner: Owner | null): NewSocketReason {
    const forced = this.nextReason ?? gen.forced
    if (this.nextReason) this.nextReason = null
    else gen.forced = null
    if (!this.everOpened) return 'first'
    if (forced) return forced
    // An undici Client reconnects after its socket closed: that close explains this socket.
    const previous = owner ? owner.last : gen.lastRetired
    const replaced = previous ? nextReason(previous) : null
    if (replaced) return replaced
    // A new Client (or connection) while a socket the server closed has not been replaced yet.
    for (const record of gen.sockets) {
      if (record.state !== 'open') continue
      const s = record.socket
      if (record.gotEnd || record.goaway || !s || s.destroyed) return 'server-closed'
    }
    return 'all-busy'
  }

  private createGeneration(): Generation {
    const settings = this.env.settingsOf(this.origin)
    const explicit = this.env.explicitKeepAlive(this.origin)
    const forced = this.nextGeneration
    this.nextGeneration = null
    const gen = new Generation(settings, this.origin, explicit, forced, (g, owner) => this.hooks(g, owner))
    this.current = gen
    this.generations.add(gen)
    return gen
  }

  private hooks(gen: Generation, owner: Owner | null): ConnectHooks {
    const env = this.env
    const s = gen.settings
    const idleMs = (record: SocketRecord) =>
      effectiveIdleMs(record, s.keepAliveTimeout, s.keepAliveMaxTimeout, gen.explicitKeepAlive)
    return {
      begin: () => {
        const record = env.newSocket(this.origin, this.reasonFor(gen, owner))
        this.everOpened = true
        record.client = owner?.client ?? null
        if (owner) owner.last = record
        gen.sockets.add(record)
        return record
      },
      opened: (record, socket) => {
        const host = this.origin.replace(/^[a-z]+:\/\//, '')
        const tls = secureInfo(socket, host)
        record.info.tls = tls
        if (tls?.alpn === 'h2') {
          // h2 follows the same client idle policy (h2.ts); a server hint does not apply to h2.
          record.info.protocol = 'h2'
          record.setIdlePolicy(s.keepAliveTimeout, s.keepAliveTimeout, true)
        } else {
          record.setIdlePolicy(s.keepAliveTimeout, s.keepAliveMaxTimeout, gen.explicitKeepAlive)
          watchWire(record, socket, host)
        }
        record.markOpen(socket, performance.now(), tls !== null)
        socketRecords.set(socket, record)
        this.numConnections++
        env.socketOpened(this, record, socket)
      },
      failed: (record, err) => {
        this.freed(record)
        gen.sockets.delete(record)
        // A refused certificate: the socket's TLS facts as the handshake showed them (authorized false).
        if (err instanceof TlsRefusal) record.info.tls = err.tls
        env.socketFailed(this, record, err)
        record.detach()
      },
      closed: (record) => {
        this.freed(record)
        record.state = 'closed'
        gen.sockets.delete(record)
        // A draining generation closes its sockets itself, unless the server closed them first.
        if (gen.closing && !record.closedBy && !record.gotEnd && !record.goaway) record.closedBy = gen.closing
        if (record.idleClosed) {
          const idle = Math.round(performance.now() - record.idleSince)
          env.socketClosed(
            this,
            record,
            'idle-timeout',
            `idle ${idle} ms ≥ keep-alive timeout ${s.keepAliveTimeout} ms`,
          )
        } else {
          const { reason, detail } = closeReasonOf(record, performance.now(), idleMs(record))
          env.socketClosed(this, record, reason, detail)
        }
        record.detach()
      },
    }
  }
}

/** The request held longest that is still to be sent (a cancelled one has ended meanwhile). */
function nextHeld(gen: Generation): RequestRun | undefined {
  let run = gen.held.shift()
  while (run?.isEnded()) run = gen.held.shift()
  return run
}

/** Hands `run` to undici (a Client or the Pool); a synchronous throw fails the request. */
function send(target: Dispatcher, run: RequestRun): void {
  try {
    target.dispatch(run.dispatchOptions(), run)
  } catch (err) {
    run.fail(err instanceof Error ? err : new Error(String(err)))
  }
}

/** Still open as far as anything read from it says (no FIN, not closing). */
function open(record: SocketRecord): boolean {
  const s = record.socket
  return record.state === 'open' && !record.gotEnd && !!s && !s.destroyed && !s.readableEnded
}
