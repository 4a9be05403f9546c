import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2'
import type { TLSSocket } from 'node:tls'
import { performance } from 'node:perf_hooks'
import type { PoolSettings } from '../../contract'
import { fault } from '../errors'
import type { RequestRun } from '../request/attempt'
import { shareHeaders } from '../request/headers'
import { CANCEL, h2ErrorName, REFUSED_STREAM } from './h2-codes'
import type { SocketRecord } from './socket'

/*
 * HTTP/2 on Node's own http2 session rather than undici 7's: undici 7 treats a graceful GOAWAY as a
 * hard failure of every stream in flight (nodejs/undici#5089) and dereferences a socket it has
 * already dropped when the session then closes (the `localAddress` of null crash). Here GOAWAY
 * follows RFC 9113 §6.8: streams at or below `last_stream_id` run to their end; streams above it
 * were not processed and are handed back to be sent again on a new connection, whatever their
 * method. A GOAWAY with an error code fails the processed streams with that code.
 */

const { HTTP2_HEADER_STATUS } = http2.constants

/** What the connection tells its generation. */
export interface H2Events {
  /** A stream ended: a held request may now fit. */
  freed(connection: H2Connection): void
  /** No new streams may start here (GOAWAY, close): the next request needs another connection. */
  retired(connection: H2Connection): void
}

/** One h2 connection: a session on a TLS socket the engine opened, and its streams. */
export class H2Connection {
  readonly session: ClientHttp2Session
  private readonly streams = new Set<RequestRun>()
  private maxStreams = 100
  /** Streams started on this connection. */
  private started = 0
  private idleTimer: NodeJS.Timeout | null = null
  private done = false
  private socket: TLSSocket | null = null

  constructor(
    readonly record: SocketRecord,
    socket: TLSSocket,
    private readonly settings: PoolSettings,
    private readonly events: H2Events,
    /**
     * Streams to start before waiting for the connection's fate, shared by a generation's
     * connections: a server that ends each connection after N streams with GOAWAY (nginx
     * keepalive_requests, nghttpx --frontend-max-requests) would otherwise see every burst sent
     * again and again; it learns N from the last GOAWAY that refused streams.
     */
    private readonly budget: { streams: number },
  ) {
    const origin = record.info.origin
    this.session = http2.connect(origin, {
      createConnection: () => socket,
      settings: { enablePush: false },
    })
    const session = this.session
    session.on('remoteSettings', (s) => {
      this.maxStreams = s.maxConcurrentStreams ?? this.maxStreams
      this.events.freed(this)
    })
    session.on('goaway', (code: number, lastStreamId: number) => {
      const now = performance.now()
      // Client stream ids are odd: 1, 3, 5… The server processed (lastStreamId + 1) / 2 of them.
      const processed = (lastStreamId + 1) / 2
      if (code === 0 && this.started > processed && processed > 0) this.budget.streams = processed
      record.goaway = {
        code,
        lastStreamId,
        inFlight: this.streams.size,
        idleMs: this.streams.size === 0 ? now - record.idleSince : 0,
      }
      this.retire()
    })
    // Session errors reach the streams as their own errors; the record keeps the first.
    session.on('error', (err: Error) => {
      record.lastError ??= err
    })
    session.on('close', () => this.retire())
    this.socket = socket
    this.armIdle()
  }

  /** Streams may start here now. */
  get usable(): boolean {
    // The server answered this many on its last connection and then sent GOAWAY (see raise()).
    if (this.started >= this.budget.streams) return false
    return (
      !this.done && !this.session.closed && !this.session.destroyed && this.streams.size < this.maxStreams
    )
  }

  get open(): boolean {
    return !this.done
  }

  /** Starts `run` as a new stream. */
  request(run: RequestRun): void {
    const target = run.target
    const url = target.url
    const headers: http2.OutgoingHttpHeaders = {
      ':method': target.method,
      ':path': `${url.pathname}${url.search}`,
      ':authority': url.host,
      ':scheme': 'https',
    }
    const lines = [
      `:method: ${target.method}`,
      `:path: ${headers[':path']}`,
      `:authority: ${url.host}`,
      ':scheme: https',
    ]
    for (const [name, value] of target.headers) {
      const lower = name.toLowerCase()
      // Connection-specific fields are not allowed in h2 (RFC 9113 §8.2.2).
      if (
        lower === 'connection' ||
        lower === 'keep-alive' ||
        lower === 'host' ||
        lower === 'transfer-encoding'
      )
        continue
      const prev = headers[lower]
      headers[lower] =
        prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value]
      lines.push(`${lower}: ${value}`)
    }
    const body = target.body
    if (body && headers['content-length'] === undefined) {
      headers['content-length'] = String(body.length)
      lines.push(`content-length: ${body.length}`)
    }
    let stream: ClientHttp2Stream
    try {
      stream = this.session.request(headers, { endStream: !body })
    } catch {
      // The session closed between the check and the request (GOAWAY in this turn): not sent.
      this.retire()
      run.fail(
        fault('NOT_PROCESSED', 'send', `the HTTP/2 connection to ${url.host} was closing; not sent on it`),
      )
      return
    }
    this.disarmIdle()
    this.started++
    const inFlight = this.streams.size
    this.streams.add(run)
    run.assign(
      this.record,
      lines.join('\r\n'),
      inFlight > 0 ? { kind: 'multiplexed', inFlight, behind: null } : null,
    )
    this.watch(run, stream)
    if (body) stream.end(body, () => run.sent())
    else run.sent()
  }

  private watch(run: RequestRun, stream: ClientHttp2Stream): void {
    const s = this.settings
    let timer: NodeJS.Timeout | null = null
    const arm = (ms: number, make: () => Error) => {
      if (timer) clearTimeout(timer)
      timer = ms > 0 ? setTimeout(() => abort(make()), ms) : null
      timer?.unref()
    }
    const host = run.target.url.host
    const abort = (err: Error) => {
      stream.close(CANCEL)
      run.fail(err)
    }
    run.abortWith = abort
    arm(s.headersTimeout, () =>
      fault(
        'HEADERS_TIMEOUT',
        'wait',
        `no response headers from ${host} within ${s.headersTimeout} ms (headers timeout); raise --timeout or check the server`,
      ),
    )
    let error: Error | null = null
    stream.on('response', (headers) => {
      const status = Number(headers[HTTP2_HEADER_STATUS])
      const pairs: Array<[string, string]> = []
      for (const [name, value] of Object.entries(headers)) {
        if (name.startsWith(':') || value === undefined) continue
        if (Array.isArray(value)) for (const v of value) pairs.push([name, v])
        else pairs.push([name, String(value)])
      }
      run.started(status, '', shareHeaders(pairs), '2')
      arm(s.bodyTimeout, () =>
        fault(
          'BODY_TIMEOUT',
          'receive',
          `response body from ${host} stalled for more than ${s.bodyTimeout} ms (body timeout); raise --timeout or check the server`,
        ),
      )
    })
    stream.on('data', (chunk: Buffer) => {
      if (timer && s.bodyTimeout > 0) timer.refresh()
      run.data(chunk)
    })
    // 'end' also fires when the connection drops under the stream: only a stream that then closes
    // with NO_ERROR (it ended with END_STREAM) completed; anything else is a cut response.
    let ended = false
    stream.on('end', () => {
      if (timer) clearTimeout(timer)
      ended = true
    })
    stream.on('error', (err: Error) => {
      error ??= err
    })
    stream.on('close', () => {
      if (timer) clearTimeout(timer)
      this.streams.delete(run)
      this.maybeEnd()
      if (this.streams.size === 0 && this.started >= this.budget.streams) this.raise()
      if (this.streams.size === 0) this.armIdle()
      this.events.freed(this)
      if (run.isEnded()) return
      if (ended && stream.rstCode === 0 && !error) return run.complete()
      const g = this.record.goaway
      const id = stream.id
      if (stream.rstCode === REFUSED_STREAM || (g && (id === undefined || id > g.lastStreamId))) {
        const why = g ? `GOAWAY (${h2ErrorName(g.code)}, last stream ${g.lastStreamId})` : 'REFUSED_STREAM'
        const message = `${host} did not process stream ${id ?? '?'} (${why}); sending it again on a new connection`
        return run.fail(fault('NOT_PROCESSED', 'send', message))
      }
      if (g && g.code !== 0) {
        const message = `${host} ended the HTTP/2 connection with GOAWAY (${h2ErrorName(g.code)}) while ${run.phase() === 'receive' ? 'receiving the body' : 'waiting for the response'}`
        return run.fail(fault('GOAWAY', run.phase(), message))
      }
      run.fail(
        error ??
          fault(
            'CONNECTION_RESET',
            run.phase(),
            `HTTP/2 stream to ${host} closed (${h2ErrorName(stream.rstCode ?? 0)})`,
          ),
      )
    })
  }

  /**
   * Every stream of the budget ended: if no GOAWAY follows within two loop turns (it is sent with
   * or right after the last response), the server's limit is higher than the budget: double it.
   */
  private raise(): void {
    setImmediate(() =>
      setImmediate(() => {
        if (this.done || this.started < this.budget.streams) return
        this.budget.streams = Math.max(this.budget.streams, this.started) * 2
        this.events.freed(this)
      }),
    )
  }

  /** Client idle policy for h2 as for HTTP/1.1: close the idle connection after keepAliveTimeout. */
  private armIdle(): void {
    this.disarmIdle()
    const ms = this.settings.keepAliveTimeout
    this.record.idleSince = performance.now()
    this.idleTimer = setTimeout(() => {
      if (this.streams.size > 0) return
      this.record.idleClosed = true
      this.retire()
      this.session.close()
    }, ms)
    this.idleTimer.unref()
  }

  private disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
  }

  /** No more streams start here; the session closes once its streams end. */
  retire(): void {
    if (this.done) return
    this.done = true
    this.disarmIdle()
    this.events.retired(this)
    if (!this.session.closed && !this.session.destroyed) this.session.close()
    this.maybeEnd()
  }

  /**
   * Node ends a gracefully closed session's socket and then waits for the peer's FIN, which some
   * servers never send after their GOAWAY: once no stream is left, the connection is over.
   */
  private maybeEnd(): void {
    const socket = this.socket
    if (!this.done || this.streams.size > 0 || !socket) return
    this.socket = null
    setImmediate(() => setImmediate(() => socket.destroy()))
  }

  /** Ends the session now (engine shutdown, fresh connection). */
  destroy(err?: Error): void {
    this.retire()
    this.session.destroy(err)
  }
}
