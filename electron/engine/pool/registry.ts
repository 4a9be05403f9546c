import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import type {
  CloseReason,
  ConnectionInfo,
  EngineEvent,
  NewSocketReason,
  Origin,
  PoolSettings,
  SockeyeError,
} from '../../contract'
import { classifyError } from '../errors'
import type { OriginPool, PoolEnv } from './origin'
import { SocketRecord } from './socket'

/**
 * Every socket the engine opened: sequential ids (#1, #2, … per engine; a connection attempt that
 * failed keeps its id and stays listed with its error, so no id is ever skipped) and the records
 * by id for history. Emits the socket:* events.
 */
export class SocketRegistry implements PoolEnv {
  private readonly records = new Map<number, SocketRecord>()
  private nextId = 1

  constructor(
    private readonly emit: (event: EngineEvent) => void,
    readonly statsChanged: (pool: OriginPool) => void,
    readonly settingsOf: (origin: Origin) => PoolSettings,
    readonly explicitKeepAlive: (origin: Origin) => boolean,
    private readonly max: number,
  ) {}

  newSocket(origin: Origin, reason: NewSocketReason): SocketRecord {
    const now = performance.now()
    const record = new SocketRecord(this.nextId++, origin, reason, now)
    this.records.set(record.id, record)
    this.prune()
    this.emit({ type: 'socket:connecting', seq: 0, t: now, socketId: record.id, origin })
    return record
  }

  socketOpened(pool: OriginPool, record: SocketRecord, _socket: Socket): void {
    this.emit({ type: 'socket:opened', seq: 0, t: performance.now(), connection: { ...record.info } })
    this.statsChanged(pool)
  }

  socketFailed(pool: OriginPool, record: SocketRecord, err: Error): void {
    const host = new URL(pool.origin).hostname
    const error = classifyError(err, {
      phase: 'connect',
      origin: pool.origin,
      host,
      timeoutMs: pool.current?.settings.connectTimeout,
    })
    record.markFailed(error)
    this.close(pool, record, 'error', error.message, error)
  }

  socketClosed(pool: OriginPool, record: SocketRecord, reason: CloseReason, detail: string | null): void {
    const err = reason === 'error' ? record.lastError : null
    const error = err ? classifyError(err, { phase: 'receive', origin: pool.origin, host: '' }) : null
    this.close(pool, record, reason, detail, error)
  }

  list(): ConnectionInfo[] {
    return [...this.records.values()].map((record) => ({ ...record.info }))
  }

  private close(
    pool: OriginPool,
    record: SocketRecord,
    reason: CloseReason,
    detail: string | null,
    error: SockeyeError | null,
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

  /** Keeps every open socket and at most `max` closed ones. */
  private prune(): void {
    if (this.records.size <= this.max) return
    for (const [id, record] of this.records) {
      if (this.records.size <= this.max) break
      if (record.state === 'closed') this.records.delete(id)
    }
  }
}
