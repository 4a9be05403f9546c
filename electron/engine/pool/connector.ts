import net, { type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { TLSSocket } from 'node:tls'
import { buildConnector, errors } from 'undici'
import type { PoolSettings } from '../../contract'
import type { SocketRecord } from './socket'
import { refusal, tlsInfo } from './tls'

/** What a connector reports about the socket it opens. */
export interface ConnectHooks {
  /** A connection attempt starts: allocate its id and decide why it is opened. */
  begin(): SocketRecord
  /** TCP (and TLS) is up; ALPN is known. Called before anyone uses the socket. */
  opened(record: SocketRecord, socket: Socket): void
  /** The attempt failed (DNS, refused, TLS, timeout). */
  failed(record: SocketRecord, err: Error): void
  /** An opened socket closed, for whatever reason (see `closeReasonOf`). */
  closed(record: SocketRecord): void
}

export type Connect = (options: buildConnector.Options, callback: buildConnector.Callback) => void
type Base = (options: buildConnector.Options, callback: buildConnector.Callback) => Socket

/**
 * undici's own connector (TLS session cache, connect timeout, ALPN), one per generation and ALPN.
 * Verification is enforced here rather than by Node (see `refusal`): a refused socket's certificate
 * is kept, so the GUI can show it before the user chooses to trust the origin.
 */
export function baseConnector(settings: PoolSettings, allowH2: boolean): Base {
  const base = buildConnector({
    rejectUnauthorized: false,
    allowH2,
    timeout: settings.connectTimeout,
  }) as unknown as Base
  if (!settings.rejectUnauthorized) return base
  return (options, callback) =>
    base(options, (...args) => {
      const [err, socket] = args
      // Keyed as `secureInfo` keys it (host:port), so a resumed session still shows its certificate.
      const key = String((options as { host?: unknown }).host ?? '')
      const refused = !err && socket && 'authorized' in socket ? refusal(socket as TLSSocket, key) : null
      if (!refused) return callback(...args)
      socket!.destroy()
      callback(refused, null)
    })
}

/** Connect options for an origin, as undici's Client builds them. */
export function connectOptions(origin: string): buildConnector.Options {
  const url = new URL(origin)
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return {
    hostname,
    host: url.host,
    protocol: url.protocol,
    port: url.port,
    servername: undefined,
  } as unknown as buildConnector.Options
}

/**
 * Opens one socket with `base` and gives it a record before anyone else sees it. Listeners are
 * added before undici's, so the record sees the error that made undici destroy the socket, and
 * its 'close', before undici reconnects.
 *
 * For https the TCP connection is made here first and handed to undici's connector for TLS (its
 * `httpSocket` option): `tls.connect` spends milliseconds building a secure context before it
 * even starts connecting, and HAR `connect` must be the TCP handshake (connect call → 'connect'
 * event) and `ssl` the TLS handshake, with JavaScript set-up left in `blocked` (as curl -w shows).
 */
export function connectWith(
  base: Base,
  hooks: ConnectHooks,
  options: buildConnector.Options,
  callback: buildConnector.Callback,
  timeoutMs = 10_000,
): void {
  const record = hooks.begin()
  let done = false
  const fail = (err: Error) => {
    if (done) return
    done = true
    record.lastError = err
    hooks.failed(record, err)
    callback(err, null)
  }
  const secure = options.protocol === 'https:'
  const wrap = (httpSocket?: Socket) => {
    let socket: Socket
    try {
      const opts = httpSocket ? ({ ...options, httpSocket } as buildConnector.Options) : options
      socket = base(opts, (err, connected) => {
        if (done) return
        if (err || !connected) return fail(err ?? new Error('connection failed'))
        done = true
        hooks.opened(record, connected)
        callback(null, connected)
      })
    } catch (err) {
      // Bad connect options throw synchronously (e.g. an invalid port reaching net.connect); the
      // caller (undici's Client) expects the answer asynchronously.
      const error = err instanceof Error ? err : new Error(String(err))
      process.nextTick(() => fail(error))
      return
    }
    record.tlsAt = performance.now()
    record.socket = socket
    watch(record, socket, hooks, !httpSocket)
  }
  record.connectAt = performance.now()
  if (!secure) return wrap()
  const o = options as unknown as { hostname: string; port: string | number; localAddress?: string }
  let tcp: Socket
  try {
    tcp = net.connect({ host: o.hostname, port: Number(o.port) || 443, localAddress: o.localAddress })
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err))
    process.nextTick(() => fail(error))
    return
  }
  record.socket = tcp
  const timer = setTimeout(() => {
    tcp.destroy(
      new errors.ConnectTimeoutError(`connect to ${o.hostname}:${o.port} timed out after ${timeoutMs} ms`),
    )
  }, timeoutMs)
  const onError = (err: Error) => {
    clearTimeout(timer)
    fail(err)
  }
  tcp.once('lookup', () => {
    record.lookupAt = performance.now()
  })
  tcp.once('error', onError)
  tcp.once('connect', () => {
    record.tcpAt = performance.now()
    clearTimeout(timer)
    tcp.off('error', onError)
    // From here the TLS socket reports the connection's errors; the TCP one must not throw them.
    tcp.on('error', () => {})
    wrap(tcp)
  })
}

/** Follows a socket's events into its record (`tcp`: also its lookup and TCP connect). */
function watch(record: SocketRecord, socket: Socket, hooks: ConnectHooks, tcp: boolean): void {
  if (tcp) {
    socket.once('lookup', () => {
      record.lookupAt = performance.now()
    })
    socket.once('connect', () => {
      record.tcpAt = performance.now()
    })
  }
  socket.on('error', (err: Error) => {
    record.lastError ??= err
  })
  socket.once('end', () => {
    record.gotEnd = true
  })
  socket.once('close', () => {
    if (record.state === 'open') hooks.closed(record)
  })
}

/** TLS details of an opened socket (null for plain TCP). */
export function secureInfo(socket: Socket, key: string) {
  const tls = 'alpnProtocol' in socket ? (socket as TLSSocket) : null
  return tls && typeof tls.getProtocol === 'function' ? tlsInfo(tls, key) : null
}
