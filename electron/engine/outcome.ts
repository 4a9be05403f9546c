import { performance } from 'node:perf_hooks'
import type { EngineEvent, RequestResult } from '../contract'
import { contentCodings, decodeBody } from './body'
import { classifyError, sockeyeError } from './errors'
import type { History } from './history'
import type { OriginPool } from './pools'
import { buildResult } from './result'
import { staleSocket } from './retry'
import type { RequestRun, Settle } from './run'

/** What an attempt's end reports to the engine. */
export interface OutcomeEnv {
  emit(event: EngineEvent): void
  statsChanged(pool: OriginPool): void
  /** True once the engine is closed: failures then read as POOL_CLOSED and are never retried. */
  isClosed(): boolean
  /** Sends `run`'s request again as a new attempt on a fresh socket; `settle` moves to it. */
  retry(run: RequestRun, settle: Settle): void
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
    decodeBody(raw, encoding, run.settings.maxDecodedBytes).then(
      (d) => this.succeed(run, d.data, d.data.length, d.truncated || run.body.truncated, d.error),
      (err: unknown) => this.succeed(run, raw, raw.length, run.body.truncated, String(err)),
    )
  }

  private succeed(
    run: RequestRun,
    data: Buffer,
    bytes: number,
    truncated: boolean,
    decodeError: string | null,
  ) {
    const result = buildResult(run, null, bytes, truncated)
    const kept = { data, truncated, contentType: run.contentType, decodeError }
    this.history.add(result, kept, run.target.body)
    this.env.emit({ type: 'request:completed', seq: 0, t: performance.now(), result })
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
    const willRetry = !closed && stale?.retry === true
    const result = buildResult(run, error, run.body.wireBytes, run.body.truncated)
    this.history.add(result, null, run.target.body)
    this.env.emit({ type: 'request:failed', seq: 0, t: performance.now(), result, willRetry })
    this.env.statsChanged(run.pool)
    if (!willRetry) return settle(run, result)
    const next = run.settle
    run.settle = null
    if (next) this.env.retry(run, next)
  }
}

function settle(run: RequestRun, result: RequestResult): void {
  const settle = run.settle
  run.settle = null
  settle?.(result)
}
