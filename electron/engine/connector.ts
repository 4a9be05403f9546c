import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { buildConnector } from 'undici'
import type { PoolSettings } from '../contract'
import type { SocketRecord } from './sockets'

/** What a connector reports about the sockets it opens. */
export interface ConnectorHooks {
  /** A connection attempt starts: allocate its id and decide why it is opened. */
  begin(): SocketRecord
  /** TCP (and TLS) is up; ALPN is known. Called before undici sees the socket. */
  opened(record: SocketRecord, socket: Socket): void
  /** The attempt failed (DNS, refused, TLS, timeout). */
  failed(record: SocketRecord, err: Error): void
  /** An opened socket closed, for whatever reason (see `closeReasonOf`). */
  closed(record: SocketRecord): void
}

/**
 * undici's own connector (same TLS session cache, timeout and ALPN handling) wrapped so that every
 * socket gets a record before undici uses it. Listeners are added before undici's, so the record
 * sees the error that made undici destroy the socket before 'close'.
 */
export function createConnector(settings: PoolSettings, hooks: ConnectorHooks): buildConnector.connector {
  const base = buildConnector({
    rejectUnauthorized: settings.rejectUnauthorized,
    allowH2: settings.allowH2,
    timeout: settings.connectTimeout,
  }) as unknown as (options: buildConnector.Options, callback: buildConnector.Callback) => Socket

  return (options, callback) => {
    const record = hooks.begin()
    let socket: Socket
    try {
      socket = base(options, (err, connected) => {
        if (err || !connected) {
          record.lastError = err
          hooks.failed(record, err ?? new Error('connection failed'))
          callback(err ?? new Error('connection failed'), null)
          return
        }
        hooks.opened(record, connected)
        callback(null, connected)
      })
    } catch (err) {
      // Bad connect options throw synchronously (e.g. an invalid port reaching net.connect).
      const error = err instanceof Error ? err : new Error(String(err))
      hooks.failed(record, error)
      callback(error, null)
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
      record.lastError = err
    })
    socket.once('end', () => {
      record.gotEnd = true
    })
    socket.once('close', () => {
      if (record.state === 'open') hooks.closed(record)
    })
  }
}
