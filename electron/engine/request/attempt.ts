import { performance } from 'node:perf_hooks'
import type { Dispatcher } from 'undici'
import type {
  EngineEvent,
  HeaderList,
  HttpVersion,
  NewSocketReason,
  Phase,
  PoolSettings,
  RedirectLink,
  RequestResult,
  Reuse,
} from '../../contract'
import { BodyCollector } from '../body'
import { fault, PHASE_WORDS } from '../errors'
import type { Target } from '../input'
import type { OriginPool } from '../pool/origin'
import { currentTurn } from '../pool/turn'
import type { SocketRecord } from '../pool/socket'
import type { CookieTrace } from './cookies'
import { shareRawHeaders, shareStatusText } from './headers'
import type { Chain } from './redirect'
import { requestOwner } from './tracker'

/** At most one request:bodyProgress per request per this many ms (plus a final one). */
const PROGRESS_MS = 50

let lastHeadersOf: { target: Target | null; headers: string[] } = { target: null, headers: [] }

/** Receives the final result of a request (after its retry, if any). */
export type Settle = (result: RequestResult) => void

/** What a request attempt needs from the engine. */
export interface RunEnv {
  emit(event: EngineEvent): void
  /** Whether request progress events are wanted (EngineOptions.lifecycleEvents). */
  readonly lifecycle: boolean
  statsChanged(pool: OriginPool): void
  /** The attempt ended: `error` is null on success. Called exactly once. */
  ended(run: RequestRun, error: Error | null): void
}

/**
 * The reuse of an idle socket, as most reused requests have it: one record for all of them (results
 * are read-only), rather than one more object per request kept in a history of up to 100,000.
 */
const IDLE: Reuse = Object.freeze({ kind: 'idle', inFlight: 0, behind: null })

/**
 * One attempt of one request, whatever carries it: undici's HTTP/1.1 Client (this class is an
 * undici 7 dispatch handler: onRequestStart, onResponseStart with `controller.rawHeaders`,
 * onResponseData, onResponseEnd, onResponseError) or the engine's h2 session (h2.ts calls the
 * protocol-neutral methods assign/started/data/complete/fail). It turns them into lifecycle events
 * and keeps the marks for HAR timings. A hook that throws becomes one INTERNAL error on this
 * request, never an exception inside undici.
 */
export class RequestRun implements Dispatcher.DispatchHandler {
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
  reuse: Reuse | null = null
  /** Idle time of the socket when this request was written to it. */
  idleBefore = 0
  /** Set-up time of the socket this request opened (HAR `blocked`, not `connect`). */
  setupMs = 0
  responseStarted = false
  status = 0
  statusText = ''
  version: HttpVersion | null = null
  responseHeaders: HeaderList = []
  contentType: string | null = null
  contentEncoding: string | null = null
  /** The request head as written (from `undici:client:sendHeaders`, or the h2 header list). */
  sentHead: string | null = null
  readonly body: BodyCollector
  /** Who waits for this request's final result; moves to the retry when there is one. */
  settle: Settle | null = null
  /** Counted in the pool's `waiting` (handed to the pool, no socket yet). */
  waiting = false
  /** The idle socket this request already waited on for its close to arrive (see OriginPool). */
  waitedOn: SocketRecord | null = null
  /** The redirect chain this request belongs to (sent with `redirects.follow`), its link, its next hop. */
  chain: Chain | null = null
  link: RedirectLink | null = null
  redirectedTo: number | null = null
  /** How many times this request was already re-sent because the server did not process it. */
  resends = 0
  /** Aborts the attempt on its transport (undici controller or h2 stream); null before it starts. */
  abortWith: ((err: Error) => void) | null = null
  /** undici's Request for this attempt (HTTP/1.1), known from `undici:request:create`. */
  undiciRequest: object | null = null
  /** Set when the attempt was aborted before its transport started it. */
  private aborted: Error | null = null
  /** What this attempt sent from the cookie jar and offers to it (request/cookies.ts); null: no jar. */
  cookies: CookieTrace | null = null
  private deadline: NodeJS.Timeout | null = null
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
    /** When the request (its first attempt) was queued: the total deadline counts from there. */
    readonly firstQueuedAt = performance.now(),
  ) {
    this.body = new BodyCollector(settings.maxBodyBytes)
    const maxTime = settings.maxTime
    if (maxTime > 0) {
      const left = Math.max(0, maxTime - (this.queuedAt - firstQueuedAt))
      this.deadline = setTimeout(() => {
        const phase = this.phase()
        this.abort(
          fault(
            'MAX_TIME',
            phase,
            `${target.origin} did not finish within ${maxTime} ms (max time) while ${PHASE_WORDS[phase]}`,
          ),
        )
      }, left)
      this.deadline.unref()
    }
  }

  /** undici options for this attempt: a fresh object, so the tracker can tell whose it is. */
  dispatchOptions(): Dispatcher.DispatchOptions {
    const target = this.target
    // undici holds the pipeline until a request's response headers arrive unless told the response
    // will not block it (`blocking` defaults to true): with pipelining > 1 the user wants them written.
    const blocking = this.settings.pipelining <= 1
    if (lastHeadersOf.target !== target) {
      const headers: string[] = []
      for (const [name, value] of target.headers) headers.push(name, value)
      lastHeadersOf = { target, headers }
    }
    const { path, method, body } = target
    const headers = lastHeadersOf.headers
    const options = blocking ? { path, method, headers, body } : { path, method, headers, body, blocking }
    requestOwner.bind(options, this)
    return options
  }

  /** The phase the attempt is in now, for errors. */
  phase(): Phase {
    if (this.responseAt >= 0) return 'receive'
    if (this.bodySentAt >= 0) return 'wait'
    if (this.assignedAt >= 0) return 'send'
    if (this.record === null && this.waiting) return 'queue'
    return 'connect'
  }

  isEnded(): boolean {
    return this.ended
  }

  /** Cancel or deadline: ends the attempt with `err` now, on whatever carries it. */
  abort(err: Error): void {
    if (this.ended) return
    this.aborted = err
    if (this.abortWith) this.abortWith(err)
    // Not started on a transport yet (queued): end it here; the transport aborts it when it starts.
    if (!this.ended) this.fail(err)
  }

  // ---- undici dispatch handler (HTTP/1.1) ----

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.guard(() => {
      if (this.aborted || this.ended) {
        controller.abort(this.aborted ?? new Error('ended'))
        return
      }
      this.reached()
      // A second start means undici re-sent a pipelined request after the head failed: the
      // previous socket no longer carries it.
      if (this.record) {
        this.release(performance.now())
        this.record = null
      }
      this.abortWith = (err) => controller.abort(err)
    })
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    _headers: Record<string, string | string[] | undefined>,
    statusText: string,
  ): void {
    this.guard(() => {
      // 1xx informational responses (103 Early Hints) precede the real one.
      if (status < 200) return
      const raw = (controller as { rawHeaders?: Buffer[] | null }).rawHeaders ?? []
      this.started(status, statusText, shareRawHeaders(raw), this.record?.version ?? '1.1')
    })
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.guard(() => this.data(chunk))
  }

  onResponseEnd(): void {
    this.guard(() => this.complete())
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.fail(err)
  }

  // ---- protocol-neutral lifecycle ----

  /** From `undici:client:sendHeaders`: an HTTP/1.1 request meets its socket and is being written. */
  assignH1(record: SocketRecord, head: string): void {
    const reuse: Reuse | null =
      record.inFlight > 0
        ? { kind: 'pipelined', inFlight: record.inFlight, behind: record.lastRequestId || null }
        : record.info.requests > 0
          ? IDLE
          : null
    this.guard(() => this.assign(record, head, reuse))
  }

  /** The request meets its socket and is being written. */
  assign(record: SocketRecord, head: string, reuse: Reuse | null): void {
    const now = performance.now()
    this.record = record
    this.sentHead = head
    this.assignedAt = now
    this.headersSentAt = now
    const info = record.info
    this.reused = info.requests > 0
    this.nth = ++info.requests
    this.reason = this.reused ? null : info.openReason
    this.reuse = this.reused ? (reuse ?? IDLE) : null
    this.setupMs = this.reused ? 0 : record.setupMs()
    if (record.inFlight++ === 0) this.idleBefore = now - record.idleSince
    record.lastRequestId = this.id
    // The next bytes on an idle HTTP/1.1 socket start this request's response head.
    if (record.inFlight === 1) record.expectHead = true
    const env = this.env
    if (env.lifecycle) this.assigned(now)
    env.statsChanged(this.pool)
  }

  private assigned(now: number): void {
    const env = this.env
    env.emit({
      type: 'request:assigned',
      seq: 0,
      t: now,
      requestId: this.id,
      socketId: this.record!.info.id,
      reused: this.reused,
      nth: this.nth,
      reason: this.reason,
      reuse: this.reuse,
    })
    env.emit({ type: 'request:headersSent', seq: 0, t: now, requestId: this.id })
  }

  /** The request (head and body) is written. */
  sent(): void {
    if (this.bodySentAt >= 0 || this.ended) return
    const now = performance.now()
    this.bodySentAt = now
    if (!this.env.lifecycle) return
    const bytes = this.target.body?.length ?? 0
    this.env.emit({ type: 'request:bodySent', seq: 0, t: now, requestId: this.id, bytes })
  }

  /** The final response's head arrived; `headers` shared with earlier responses (headers.ts). */
  started(status: number, statusText: string, headers: HeaderList, version: HttpVersion): void {
    if (this.ended) return
    const now = performance.now()
    if (this.bodySentAt < 0) this.sent()
    this.responseStarted = true
    this.responseAt = now
    this.status = status
    this.version = version
    this.statusText = statusText = shareStatusText(statusText)
    const record = this.record
    for (const [name, value] of headers) {
      const lower = name.length === 12 || name.length === 16 || name.length === 10 ? name.toLowerCase() : ''
      if (lower === 'content-type') this.contentType = value
      else if (lower === 'content-encoding') this.contentEncoding = value
      else if (lower === 'keep-alive') {
        record?.setKeepAliveHint(value)
        this.pool.declared = true
      } else if (lower === 'connection' && record) {
        if (/(?:^|,)\s*close\s*(?:,|$)/i.test(value)) record.connectionClose = true
        else if (/(?:^|,)\s*keep-alive\s*(?:,|$)/i.test(value)) this.pool.declared = true
      }
    }
    // HTTP/1.0 closes after the response unless it says keep-alive (RFC 9112 §9.3).
    if (record && version === '1.0' && !record.info.keepAliveHint) record.connectionClose = true
    this.responseHeaders = headers
    this.cookies?.received(headers)
    if (!this.env.lifecycle) return
    this.env.emit({
      type: 'request:responseHeaders',
      seq: 0,
      t: now,
      requestId: this.id,
      status,
      statusText,
      httpVersion: version,
      headers,
    })
  }

  data(chunk: Buffer): void {
    if (this.ended) return
    const body = this.body
    body.push(chunk)
    if (!this.env.lifecycle) return
    const now = performance.now()
    if (now - this.lastProgressAt >= PROGRESS_MS) this.progress(now)
  }

  complete(): void {
    if (this.ended) return
    const now = performance.now()
    if (this.body.wireBytes !== this.lastProgressBytes && this.env.lifecycle) this.progress(now)
    this.finish(now, null)
  }

  fail(err: Error): void {
    if (this.ended) return
    this.finish(performance.now(), err)
  }

  httpVersion(): string | null {
    return this.version
  }

  /** Runs a hook; anything it throws ends this request with one INTERNAL error. */
  private guard(hook: () => void): void {
    try {
      hook()
    } catch (err) {
      const phase = this.phase()
      const text = err instanceof Error ? err.message : String(err)
      const error = fault('INTERNAL', phase, `engine fault while ${PHASE_WORDS[phase]}: ${text}`)
      try {
        this.abortWith?.(error)
      } finally {
        this.fail(error)
      }
    }
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
    if (this.deadline) clearTimeout(this.deadline)
    const record = this.record
    if (record) {
      this.release(now)
      if (record.inFlight === 0) record.expectHead = true
    }
    this.pool.numRequests++
    requestOwner.release(this)
    this.env.ended(this, err)
  }

  /** No longer waiting in the pool's queues (met a socket, or ended before). */
  reached(): void {
    if (!this.waiting) return
    this.waiting = false
    this.pool.waiting--
  }

  /** This request no longer occupies its socket. */
  private release(now: number): void {
    const record = this.record
    if (record && --record.inFlight === 0) {
      record.idleSince = now
      record.idleTurn = currentTurn()
      this.pool.freed(record)
    }
  }
}
