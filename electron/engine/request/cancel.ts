import { fault, PHASE_WORDS } from '../errors'
import type { RequestRun } from './attempt'
import type { Chain } from './redirect'

/** One unfinished request id: its live attempt, or the error it must fail with when it starts. */
interface Live {
  run: RequestRun | null
  cancelled: Error | null
  /** Its batch, or SINGLE. */
  runId: number
}

/**
 * The batch of a lone `send`: its run id is never given to anyone (`cancelRun` cannot name it), so
 * it gets no id set (one Set and two Map updates less per request).
 */
export const SINGLE = 0

/**
 * Which requests can still be cancelled, by request id and by batch (`runId`: one `send` or `run`;
 * a retry joins its request's batch). An id is known from its allocation to its final result.
 */
export class Cancels {
  private readonly live = new Map<number, Live>()
  private readonly batches = new Map<number, Set<number>>()
  /** A chain's ended request → the request that carries on for it (its retry or next hop). */
  private readonly moved = new Map<number, number>()
  private nextRunId = 1

  /** A new batch id. */
  batch(): number {
    return this.nextRunId++
  }

  track(id: number, runId: number): void {
    this.live.set(id, { run: null, cancelled: null, runId })
    if (runId === SINGLE) return
    let batch = this.batches.get(runId)
    if (!batch) this.batches.set(runId, (batch = new Set()))
    batch.add(id)
  }

  /** A retry of `of` joins its batch. */
  follow(id: number, of: number): void {
    const live = this.live.get(of)
    if (live) this.track(id, live.runId)
  }

  /**
   * `id` carries on for `of` in a redirect chain (the next hop, or a retry): it joins the batch,
   * cancelling `of` (or any earlier request of the chain) cancels it, and a cancel that reached
   * `of` too late to stop it (e.g. while its body decoded) stops `id` before it is sent.
   */
  hop(id: number, of: number, chain: Chain): void {
    const cancelled = this.live.get(of)?.cancelled ?? null
    this.follow(id, of)
    this.moved.set(of, id)
    chain.ended.push(of)
    const next = this.live.get(id)
    if (cancelled && next) next.cancelled = cancelled
  }

  /** A chain ended: its requests no longer lead anywhere. */
  forget(ids: readonly number[]): void {
    for (const id of ids) this.moved.delete(id)
  }

  /** The request `id` reached its final result: nothing left to cancel. */
  untrack(id: number): void {
    const live = this.live.get(id)
    if (!live) return
    this.live.delete(id)
    if (live.runId === SINGLE) return
    const batch = this.batches.get(live.runId)
    batch?.delete(id)
    // A batch is known while it has unfinished requests (a single send is a batch of one).
    if (batch?.size === 0) this.batches.delete(live.runId)
  }

  /** `run` is the live attempt of its id (null when it ended). */
  started(id: number, run: RequestRun | null): void {
    const live = this.live.get(id)
    if (live) live.run = run
  }

  ended(run: RequestRun): void {
    const live = this.live.get(run.id)
    if (live?.run === run) live.run = null
  }

  /** The error `id` must fail with before it starts, or null. */
  cancelled(id: number): Error | null {
    return this.live.get(id)?.cancelled ?? null
  }

  cancel(requestId: number): boolean {
    // A chain's ended request leads to the one carrying on for it (bounded: hops + retries).
    for (let n = 0; n < 1000 && !this.live.has(requestId); n++) {
      const next = this.moved.get(requestId)
      if (next === undefined) break
      requestId = next
    }
    const live = this.live.get(requestId)
    if (!live || live.cancelled) return false
    const phase = live.run?.phase() ?? 'queue'
    const message = `request #${requestId} was cancelled while ${PHASE_WORDS[phase]}`
    live.cancelled = fault('CANCELLED', phase, message)
    live.run?.abort(live.cancelled)
    return true
  }

  cancelRun(runId: number): number {
    const ids = this.batches.get(runId)
    if (!ids) return 0
    let n = 0
    for (const id of [...ids]) if (this.cancel(id)) n++
    return n
  }

  /** Cancels `ids` when `signal` aborts; returns the function that stops watching. */
  watch(signal: AbortSignal | undefined, ids: readonly number[]): () => void {
    if (!signal) return () => {}
    const onAbort = () => {
      for (const id of ids) this.cancel(id)
    }
    if (signal.aborted) {
      queueMicrotask(onAbort)
      return () => {}
    }
    signal.addEventListener('abort', onAbort, { once: true })
    return () => signal.removeEventListener('abort', onAbort)
  }
}
