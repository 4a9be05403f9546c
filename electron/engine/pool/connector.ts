import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { TLSSocket } from 'node:tls'
import { buildConnector } from 'undici'
import type { PoolSettings } from '../../contract'
import type { SocketRecord } from './socket'
import { tlsInfo } from './tls'

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

/** undici's own connector (TLS session cache, connect timeout, ALPN), one per generation and ALPN. */
export function baseConnector(settings: PoolSettings, allowH2: boolean): Base {
  return buildConnector({
    rejectUnauthorized: settings.rejectUnauthorized,
    allowH2,
    timeout: settings.connectTimeout,
  }) as unknown as Base
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
 */
export function connectWith(
  base: Base,
  hooks: ConnectHooks,
  options: buildConnector.Options,
  callback: buildConnector.Callback,
): void {
  const record = hooks.begin()
  let socket: Socket
  const fail = (err: Error) => {
    record.lastError = err
    hooks.failed(record, err)
    callback(err, null)
  }
  record.connectAt = performance.now()
  try {
    socket = base(options, (err, connected) => {
      if (err || !connected) return fail(err ?? new Error('connection failed'))
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
  record.socket = socket
  socket.once('lookup', () => {
    record.lookupAt = performance.now()
  })
  socket.once('connect', () => {
    record.tcpAt = performance.now()
  })
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
