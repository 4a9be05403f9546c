import { performance } from 'node:perf_hooks'
import type { EngineEvent, RequestResult, SockeyeError } from '../../contract'
import { contentCodings, decodeBody } from '../body'
import { classifyError, sockeyeError } from '../errors'
import type { History } from '../history'
import type { OriginPool } from '../pool/origin'
import { TlsRefusal } from '../pool/tls'
import { buildResult } from '../result'
import { staleSocket } from './retry'
import type { RequestRun, Settle } from './attempt'

/** Sends of one request the server did not process (GOAWAY, REFUSED_STREAM) before giving up. */
const MAX_RESENDS = 10

/** Failures after which the server did not answer on the socket: it did not carry the request. */
const UNANSWERED = new Set(['STALE_SOCKET', 'CONNECTION_RESET', 'NOT_PROCESSED'])

/** What an attempt's end reports to the engine. */
export interface OutcomeEnv {
  emit(event: EngineEvent): void
  statsChanged(pool: OriginPool): void
  /** True once the engine is closed: failures then read as POOL_CLOSED and are never retried. */
  isClosed(): boolean
  /**
   * Sends `run`'s request again as a new attempt; `settle` moves to it. `fresh`: on a new socket
   * (stale-socket retry); otherwise wherever the pool puts it (not processed: a new connection).
   */
  retry(run: RequestRun, settle: Settle, fresh: boolean): void
  /**
   * A complete response of a request in a redirect chain: plans its next hop (sets
   * `run.redirectedTo`) or answers the error that ends the chain (TOO_MANY_REDIRECTS, BAD_REDIRECT).
   */
  follow(run: RequestRun): SockeyeError | null
}

/**
 * How an attempt's end becomes a result: the body decoded and kept, the error classified, the
 * history entry, `request:completed` or `request:failed`, and the caller's promise settled (or
 * handed to the retry).
 */
export class Outcomes {
  constructor(
    private readonly history: History,
    private readonly env: OutcomeEnv,
  ) {}

  /** The attempt ended: `error` is null on success. */
  ended(run: RequestRun, error: Error | null): void {
    if (error) this.failed(run, error)
    else this.completed(run)
  }

  private completed(run: RequestRun): void {
    const raw = run.body.buffer()
    const encoding = run.contentEncoding
    // Nothing to undo: settle in this turn rather than after a promise.
    if (contentCodings(encoding).length === 0) {
      this.succeed(run, raw, run.body.wireBytes, run.body.truncated, null)
      return
    }
    // A body that arrived whole but does not decode is an error, not an empty truncated body.
    const whole = !run.body.truncated
    decodeBody(raw, encoding, run.settings.maxDecodedBytes, whole).then(
      (d) =>
        this.succeed(
          run,
          d.data,
          d.data.length,
          d.truncated || run.body.truncated,
          d.error,
          d.corrupt === true,
        ),
      (err: unknown) => this.succeed(run, raw, raw.length, run.body.truncated, String(err)),
    )
  }

  private succeed(
    run: RequestRun,
    data: Buffer,
    bytes: number,
    truncated: boolean,
    decodeError: string | null,
    corrupt = false,
  ) {
    let error: SockeyeError | null =
      corrupt && decodeError ? sockeyeError('DECODE_FAILED', 'decode', decodeError) : null
    if (!error && run.chain) error = this.env.follow(run)
    const result = buildResult(run, error, bytes, truncated)
    const kept = { data, truncated, contentType: run.contentType, decodeError }
    this.history.add(result, kept, run.target.body)
    if (error)
      this.env.emit({ type: 'request:failed', seq: 0, t: performance.now(), result, willRetry: false })
    else this.env.emit({ type: 'request:completed', seq: 0, t: performance.now(), result })
    this.env.statsChanged(run.pool)
    settle(run, result)
  }

  private failed(run: RequestRun, err: Error): void {
    const stale = staleSocket(err, run)
    const phase = run.phase()
    const settings = run.settings
    const timeoutMs =
      phase === 'wait' ? settings.headersTimeout : phase === 'receive' ? settings.bodyTimeout : undefined
    const closed = this.env.isClosed()
    const error = closed
      ? sockeyeError('POOL_CLOSED', phase, 'the engine was closed before the response arrived')
      : (stale?.error ??
        classifyError(err, { phase, origin: run.target.origin, host: run.target.url.hostname, timeoutMs }))
    const unprocessed = error.code === 'NOT_PROCESSED'
    const willRetry = !closed && (stale?.retry === true || (unprocessed && run.resends < MAX_RESENDS))
    // The server answered nothing on the socket for this request: the socket did not carry it.
    const record = run.record
    if (record && !run.responseStarted && UNANSWERED.has(error.code) && record.info.requests > 0) {
      record.info.requests--
    }
    const result = buildResult(run, error, run.body.wireBytes, run.body.truncated)
    // The certificate the engine refused, so the GUI can show it before the user trusts the origin.
    if (err instanceof TlsRefusal) result.peer = err.tls.peer
    this.history.add(result, null, run.target.body)
    this.env.emit({ type: 'request:failed', seq: 0, t: performance.now(), result, willRetry })
    this.env.statsChanged(run.pool)
    if (!willRetry) return settle(run, result)
    const next = run.settle
    run.settle = null
    if (next) this.env.retry(run, next, !unprocessed)
  }
}

function settle(run: RequestRun, result: RequestResult): void {
  const settle = run.settle
  run.settle = null
  settle?.(result)
}
