import type { Dispatcher, Pool } from 'undici'
import type { PoolSettings } from '../contract'
import type { PoolRequest } from './pools'
import type { SocketRecord } from './sockets'

/* One pool generation and its protocol gate: whether an https origin speaks h2 is known only
   from the first connection's ALPN, so requests wait for it instead of opening a socket each. */

/** h2 streams per connection; Node's h2 server default SETTINGS_MAX_CONCURRENT_STREAMS is 100 too. */
export const H2_STREAMS = 100

/**
 * One undici Pool built with one set of settings. When settings change, the origin gets a new
 * generation and the old one drains (`pool.close()` waits for its requests).
 */
export class Generation {
  readonly pool: Pool
  /** 'probe': https with h2 allowed, protocol unknown until the first connection's ALPN. */
  mode: 'h1' | 'probe' | 'h2'
  probing = false
  held: Array<[Dispatcher.DispatchOptions, PoolRequest]> = []
  h2Client: Dispatcher | null = null
  lastAlpn: string | null = null
  lastOpened: SocketRecord | null = null
  closing: string | null = null
  readonly sockets = new Set<SocketRecord>()

  constructor(
    readonly settings: PoolSettings,
    https: boolean,
    make: (gen: Generation) => Pool,
  ) {
    this.mode = https && settings.allowH2 ? 'probe' : 'h1'
    this.pool = make(this)
  }
}

/**
 * An open HTTP/1.1 socket of `gen` with nothing queued or running (ask only when the origin has
 * no queue of its own).
 * undici's Pool marks a client busy from a response's end until the next loop turn
 * (client-h1.js onMessageComplete: setImmediate(resume)), so a request sent right after a
 * response would get a second socket; browsers (and the founding scenario) reuse the idle one.
 */
export function idleClient(gen: Generation): Dispatcher | null {
  // The caller sends queued requests to the pool first. A socket still carrying one of our
  // requests is skipped before asking undici (each `.stats` read builds an object).
  for (const record of gen.sockets) {
    const client = record.client
    if (!client || record.inFlight > 0 || record.state !== 'open' || record.connectionClose) continue
    if (!record.socket?.destroyed && client.stats.size === 0) return client
  }
  return null
}

/**
 * Follows the first connection's ALPN: h2 makes every request go to that one client, anything
 * else settles the generation as HTTP/1.1. `released` runs once held requests have been sent on.
 */
export function watchProtocol(gen: Generation, pool: Pool, released: () => void): void {
  pool.on('connect', (_origin, targets) => {
    // undici emits 'connect' synchronously after our connector's callback, for that socket.
    const client = targets[targets.length - 1] as Dispatcher & {
      pipelining: number
      stats: { size: number }
    }
    if (gen.lastOpened) gen.lastOpened.client = client
    gen.lastOpened = null
    if (gen.mode !== 'probe') return
    if (gen.lastAlpn === 'h2') {
      // undici's Client runs at most `pipelining` requests at once, h2 included.
      client.pipelining = H2_STREAMS
      gen.h2Client = client
      gen.mode = 'h2'
    } else gen.mode = 'h1'
    // Let undici finish its own connect bookkeeping before more requests arrive.
    queueMicrotask(() => release(gen, released))
  })
  pool.on('connectionError', (_origin, targets) => {
    if (gen.h2Client && targets.includes(gen.h2Client)) {
      // undici drops a client whose connect failed; probe again with the next request.
      gen.h2Client = null
      gen.mode = 'probe'
    }
    if (gen.mode !== 'probe') return
    gen.probing = false
    // The held requests try on their own (in parallel, as undici would) rather than one by one.
    const held = gen.held
    gen.held = []
    for (const [opts, handler] of held) gen.pool.dispatch(opts, handler)
  })
}

function release(gen: Generation, released: () => void): void {
  const held = gen.held
  gen.held = []
  for (const [opts, handler] of held) {
    if (gen.h2Client) gen.h2Client.dispatch(opts, handler)
    else gen.pool.dispatch(opts, handler)
  }
  released()
}
