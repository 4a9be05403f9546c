import type { Socket } from 'node:net'
import { Client, Pool, type Dispatcher } from 'undici'
import type { NewSocketReason, PoolSettings } from '../../contract'
import type { RequestRun } from '../request/attempt'
import { requestOwner } from '../request/tracker'
import { baseConnector, connectWith, type ConnectHooks } from './connector'
import type { H2Connection } from './h2'
import { KEEP_ALIVE_MARGIN_MS, type SocketRecord } from './socket'

/** A Client's connector closure: which client it serves and the socket it opened last. */
export interface Owner {
  client: Dispatcher | null
  last: SocketRecord | null
}

/** Builds the hooks of one connection attempt for `owner` (null: the engine's own h2/probe connect). */
export type HooksFor = (gen: Generation, owner: Owner | null) => ConnectHooks

/**
 * undici's Client, told which of Sockeye's requests each dispatch carries: the dispatch options
 * object is the request's own, and `undici:request:create` is published while the Client builds
 * its Request from it, so the tracker can key that Request object to the run.
 *
 * It also knows whether its Pool counts it busy (`poolBusy`), from what the Pool documents in
 * code and events alone: the Pool hands a request to the first Client it counts free, counts one
 * busy when its `dispatch` answers false, and free again at its `drain` event (then hands it
 * queued requests, each answer counting as before). A request the engine hands to a Client itself
 * (`direct`) does not change the Pool's count.
 */
export class TrackedClient extends Client {
  poolBusy = false
  direct = false

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const previous = requestOwner.begin(opts)
    try {
      const free = super.dispatch(opts, handler)
      if (!this.direct) this.poolBusy = !free
      return free
    } finally {
      requestOwner.end(previous)
    }
  }
}

/**
 * One set of pool settings for one origin. When settings change, the origin gets a new generation
 * and the old one drains. HTTP/1.1 goes through an undici Pool whose `factory` gives every Client
 * its own connector closure; h2 runs on the engine's own sessions (see h2.ts). Whether an https
 * origin speaks h2 is known only from the first connection's ALPN, so requests wait for it.
 */
export class Generation {
  readonly pool: Pool
  /** 'probe': https with h2 allowed, protocol unknown until a connection's ALPN says. */
  mode: 'h1' | 'probe' | 'h2'
  probing = false
  readonly held: RequestRun[] = []
  h2: H2Connection | null = null
  /** Streams an h2 connection starts before waiting to see if the server ends it (see h2.ts). */
  readonly h2Budget = { streams: Number.MAX_SAFE_INTEGER }
  /** The last h2 connection that stopped taking streams: explains the next one. */
  lastRetired: SocketRecord | null = null
  /** A socket the probe opened that speaks HTTP/1.1: the first Client's connector takes it. */
  parked: { record: SocketRecord; socket: Socket } | null = null
  closing: string | null = null
  /** Reason for this generation's first socket (settings changed, pool closed). */
  forced: NewSocketReason | null
  readonly sockets = new Set<SocketRecord>()
  /** The Pool's Clients in creation order (its own order when it looks for a free one). */
  readonly clients: TrackedClient[] = []
  readonly h1Base
  readonly h2Base

  constructor(
    readonly settings: PoolSettings,
    readonly origin: string,
    readonly explicitKeepAlive: boolean,
    forced: NewSocketReason | null,
    hooksFor: HooksFor,
  ) {
    const https = origin.startsWith('https:')
    this.forced = forced
    this.mode = https && settings.allowH2 ? 'probe' : 'h1'
    this.h1Base = baseConnector(settings, false)
    this.h2Base = baseConnector(settings, true)
    const s = settings
    this.pool = new Pool(origin, {
      connections: s.connections,
      pipelining: s.pipelining,
      // An explicit keep-alive timeout overrides the server's hint (undici takes the smaller of
      // hint − threshold and keepAliveMaxTimeout): cap at the explicit value, push the hint away.
      keepAliveTimeout: s.keepAliveTimeout,
      keepAliveMaxTimeout: explicitKeepAlive ? s.keepAliveTimeout : s.keepAliveMaxTimeout,
      keepAliveTimeoutThreshold: explicitKeepAlive
        ? -s.keepAliveMaxTimeout - 3_600_000
        : KEEP_ALIVE_MARGIN_MS,
      headersTimeout: s.headersTimeout,
      bodyTimeout: s.bodyTimeout,
      factory: (url, opts) => {
        const owner: Owner = { client: null, last: null }
        const connect = (
          options: Parameters<typeof connectWith>[2],
          callback: Parameters<typeof connectWith>[3],
        ) => {
          const parked = this.parked
          if (parked && !parked.socket.destroyed) {
            this.parked = null
            parked.record.client = owner.client
            owner.last = parked.record
            // undici's Client expects its connector to answer asynchronously (its resume loop).
            process.nextTick(() => callback(null, parked.socket as never))
            return
          }
          connectWith(this.h1Base, hooksFor(this, owner), options, callback, s.connectTimeout)
        }
        const client = new TrackedClient(url, { ...(opts as Client.Options), connect })
        owner.client = client
        // Added before the Pool's own listener: the Pool's drain work then updates the count.
        client.on('drain', () => {
          client.poolBusy = false
        })
        this.clients.push(client)
        return client
      },
    })
  }

  /** The Client the Pool would hand a request to now (null: it would make a new one, or queue). */
  poolChoice(): TrackedClient | null {
    for (const client of this.clients) if (!client.poolBusy) return client
    return null
  }

  /** An idle HTTP/1.1 socket to hand a request to at once, or null (see OriginPool.dispatchH1). */
  idle(): SocketRecord | null {
    for (const record of this.sockets) {
      const socket = record.socket
      if (!record.client || record.inFlight > 0 || record.state !== 'open' || record.connectionClose) continue
      if (record.gotEnd || !socket || socket.destroyed || socket.readableEnded) continue
      if ((record.client as unknown as { stats: { size: number } }).stats.size === 0) return record
    }
    return null
  }
}
