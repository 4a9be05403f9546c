import { performance } from 'node:perf_hooks'
import type { Dispatcher } from 'undici'
import type {
  EngineEvent,
  HeaderList,
  NewSocketReason,
  Phase,
  PoolSettings,
  RequestResult,
} from '../contract'
import { BodyCollector } from './body'
import type { Target } from './input'
import type { OriginPool, PoolRequest } from './pools'
import type { SocketRecord } from './sockets'

/** At most one request:bodyProgress per request per this many ms (plus a final one). */
const PROGRESS_MS = 50

/**
 * The last response's header list, shared by every engine in the process. Responses from one server
 * repeat their headers (often all but `Date`) and every result stays in the history, so equal
 * [name, value] pairs, and the whole list when nothing changed, are shared: about half a kilobyte
 * less retained heap per request, which the GC would otherwise copy and trace. Results are read-only
 * records (request heads are shared the same way in result.ts).
 */
let lastHeaders: HeaderList = []
let lastStatusText = 'OK'

let lastOptions: { target: Target | null; blocking: boolean; options: Dispatcher.DispatchOptions } = {
  target: null,
  blocking: true,
  options: { path: '/', method: 'GET' },
}

/** Receives the final result of a request (after its retry, if any). */
export type Settle = (result: RequestResult) => void

/** What a request attempt needs from the engine. */
export interface RunEnv {
  emit(event: EngineEvent): void
  statsChanged(pool: OriginPool): void
  /** The next `undici:client:sendHeaders` for one of our sockets belongs to this run. */
  expectAssignment(run: RequestRun): void
  /** The attempt ended: `error` is null on success. Called exactly once. */
  ended(run: RequestRun, error: Error | null): void
}

/**
 * One attempt of one request: an undici dispatch handler that turns undici's callbacks into
 * lifecycle events and keeps the marks for HAR timings. It uses undici's callback-style handler
 * (onConnect/onHeaders/onData/onComplete/onError) because that one receives the raw response
 * headers in wire order without building a headers object per response.
 */
export class RequestRun implements PoolRequest {
  readonly queuedWall = Date.now()
  readonly queuedAt = performance.now()
  assignedAt = -1
  headersSentAt = -1
  bodySentAt = -1
  responseAt = -1
  endAt = -1
  record: SocketRecord | null = null
  reused = false
  nth = 0
  reason: NewSocketReason | null = null
  /** Idle time of the socket when this request was written to it. */
  idleBefore = 0
  responseStarted = false
  status = 0
  statusText = ''
  responseHeaders: HeaderList = []
  contentType: string | null = null
  contentEncoding: string | null = null
  /** The request head as undici wrote it (from `undici:client:sendHeaders`). */
  sentHead: string | null = null
  readonly body: BodyCollector
  /** Who waits for this request's final result; moves to the retry when there is one. */
  settle: Settle | null = null
  /** Counted in the pool's `waiting` (handed to undici, no socket yet). */
  waiting = false
  private lastProgressAt = -Infinity
  private lastProgressBytes = 0
  private ended = false

  constructor(
    readonly id: number,
    readonly target: Target,
    readonly pool: OriginPool,
    readonly settings: PoolSettings,
    readonly retryOf: number | null,
    private readonly env: RunEnv,
  ) {
    this.body = new BodyCollector(settings.maxBodyBytes)
  }

  /**
   * undici options for this attempt. A target sent again (the same spec, a batch, a retry) reuses
   * its options: undici reads them into its own Request and never changes them.
   */
  dispatchOptions(): Dispatcher.DispatchOptions {
    const target = this.target
    // undici holds the pipeline until a request's response headers arrive unless told the response
    // will not block it (`blocking` defaults to true): with pipelining > 1 the user wants them written.
    const blocking = this.settings.pipelining <= 1
    const cached = lastOptions
    if (cached.target === target && cached.blocking === blocking) return cached.options
    const headers: string[] = []
    for (const [name, value] of target.headers) headers.push(name, value)
    const { path, method, body } = target
    const options = blocking ? { path, method, headers, body } : { path, method, headers, body, blocking }
    lastOptions = { target, blocking, options }
    return options
  }

  /** The phase the attempt is in now, for errors. */
  phase(): Phase {
    if (this.responseAt >= 0) return 'receive'
    if (this.bodySentAt >= 0) return 'wait'
    if (this.assignedAt >= 0) return 'send'
    return 'connect'
  }

  onConnect(): void {
    this.reached()
    // A second onConnect means undici re-sent a pipelined request after the head failed: the
    // previous socket no longer carries it.
    if (this.record) {
      this.release(performance.now())
      this.record = null
    }
    this.env.expectAssignment(this)
  }

  /** Called from the sendHeaders channel: the request meets its socket and is being written. */
  assign(record: SocketRecord, head: string): void {
    const now = performance.now()
    this.record = record
    this.sentHead = head
    this.assignedAt = now
    this.headersSentAt = now
    const info = record.info
    this.reused = info.requests > 0
    this.nth = ++info.requests
    this.reason = this.reused ? null : info.openReason
    if (record.inFlight++ === 0) this.idleBefore = now - record.idleSince
    const env = this.env
    env.emit({
      type: 'request:assigned',
      seq: 0,
      t: now,
      requestId: this.id,
      socketId: info.id,
      reused: this.reused,
      nth: this.nth,
      reason: this.reason,
    })
    env.emit({ type: 'request:headersSent', seq: 0, t: now, requestId: this.id })
    env.statsChanged(this.pool)
  }

  onRequestSent(): void {
    const now = performance.now()
    this.bodySentAt = now
    const bytes = this.target.body?.length ?? 0
    this.env.emit({ type: 'request:bodySent', seq: 0, t: now, requestId: this.id, bytes })
  }

  onResponseStarted(): void {
    this.responseStarted = true
  }

  onHeaders(status: number, raw: Buffer[], _resume: () => void, statusText: string): boolean {
    // 1xx informational responses (100 Continue, 103 Early Hints) precede the real one.
    if (status < 200) return true
    const now = performance.now()
    this.responseStarted = true
    this.responseAt = now
    this.status = status
    // undici builds the reason phrase afresh per response; the kept result holds the shared one.
    if (statusText === lastStatusText) statusText = lastStatusText
    else lastStatusText = statusText
    this.statusText = statusText
    const previous = lastHeaders
    let headers: HeaderList = []
    let same = previous.length === raw.length >> 1
    const record = this.record
    for (let i = 0; i + 1 < raw.length; i += 2) {
      let name = raw[i]!.toString('latin1')
      let value = raw[i + 1]!.toString('latin1')
      const old = previous[i >> 1]
      if (old !== undefined && old[0] === name && old[1] === value) {
        // The kept strings (content-type lands in the result too) are the shared ones.
        headers.push(old)
        name = old[0]
        value = old[1]
      } else {
        headers.push([name, value])
        same = false
      }
      const lower = name.length === 12 || name.length === 16 || name.length === 10 ? name.toLowerCase() : ''
      if (lower === 'content-type') this.contentType = value
      else if (lower === 'content-encoding') this.contentEncoding = value
      else if (lower === 'keep-alive') record?.setKeepAliveHint(value)
      else if (lower === 'connection' && record && /(?:^|,)\s*close\s*(?:,|$)/i.test(value)) {
        record.connectionClose = true
      }
    }
    if (same) headers = previous
    else lastHeaders = headers
    this.responseHeaders = headers
    this.env.emit({
      type: 'request:responseHeaders',
      seq: 0,
      t: now,
      requestId: this.id,
      status,
      statusText,
      httpVersion: this.httpVersion() ?? '1.1',
      headers,
    })
    return true
  }

  onData(chunk: Buffer): boolean {
    const body = this.body
    body.push(chunk)
    const now = performance.now()
    if (now - this.lastProgressAt >= PROGRESS_MS) this.progress(now)
    return true
  }

  onComplete(): void {
    if (this.ended) return
    const now = performance.now()
    if (this.body.wireBytes !== this.lastProgressBytes) this.progress(now)
    this.finish(now, null)
  }

  onError(err: Error): void {
    if (this.ended) return
    this.finish(performance.now(), err)
  }

  httpVersion(): string | null {
    if (!this.record) return null
    return this.record.info.protocol === 'h2' ? '2' : '1.1'
  }

  private progress(now: number): void {
    this.lastProgressAt = now
    this.lastProgressBytes = this.body.wireBytes
    this.env.emit({
      type: 'request:bodyProgress',
      seq: 0,
      t: now,
      requestId: this.id,
      wireBytes: this.lastProgressBytes,
    })
  }

  private finish(now: number, err: Error | null): void {
    this.reached()
    this.ended = true
    this.endAt = now
    if (this.record) this.release(now)
    this.pool.numRequests++
    this.env.ended(this, err)
  }

  /** No longer waiting in undici's queues (met a socket, or ended before). */
  private reached(): void {
    if (!this.waiting) return
    this.waiting = false
    this.pool.waiting--
  }

  /** This request no longer occupies its socket. */
  private release(now: number): void {
    const record = this.record
    if (record && --record.inFlight === 0) record.idleSince = now
  }
}
