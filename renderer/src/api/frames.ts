import type { EngineEvent } from './contract'
import type { SyncSink } from './sync'

/** Runs `flush` once soon: at the next frame, or after a timeout where frames do not come. */
export type Schedule = (flush: () => void) => void

/**
 * The next animation frame, or 100 ms later when none comes first (a hidden tab draws no frames,
 * and its events must not pile up until it is shown again).
 */
export const nextFrame: Schedule = (flush) => {
  let done = false
  const once = () => {
    if (done) return
    done = true
    cancelAnimationFrame(frame)
    clearTimeout(timer)
    flush()
  }
  const frame = requestAnimationFrame(once)
  const timer = setTimeout(once, 100)
}

/**
 * Time one frame spends applying events, at most, in ms: the render that follows (the list's rows,
 * a layout, a paint) takes the same task, and the whole should stay under the 50 ms a long task is.
 */
export const FRAME_BUDGET_MS = 8

/**
 * Events applied between two looks at the clock: batches are merged up to this many, and a larger
 * batch is cut into parts this size (its events stay in order; a part is as valid a batch as any).
 */
export const SLICE_EVENTS = 500

/** Milliseconds from a monotonic clock (performance.now, or a test's). */
export type Clock = () => number

/**
 * A sink that applies event batches at most once per frame, for at most FRAME_BUDGET_MS. The host
 * sends a batch every 16 ms, but a page that fell behind has many queued: applied one by one, each
 * paid a full re-render and a forced layout, so a 50,000-request burst never caught up and the
 * server dropped it as too slow. Batches that arrive between two frames are applied together, in
 * order; what the budget leaves goes to the next frame (a count of events per frame was the wrong
 * unit: what an event costs depends on the machine and on what else it runs). A snapshot first applies
 * what is pending, so nothing delivered is lost or applied after the state it preceded.
 */
export function framed(
  sink: SyncSink,
  schedule: Schedule = nextFrame,
  now: Clock = () => performance.now(),
): SyncSink {
  const pending: EngineEvent[][] = []
  /** Events of pending[0] already applied (a batch cut across slices). */
  let head = 0
  let scheduled = false
  /** The next slice: the rest of the first batch, merged with whole batches up to SLICE_EVENTS. */
  const take = (): EngineEvent[] => {
    const first = pending[0]!
    if (first.length - head > SLICE_EVENTS) {
      head += SLICE_EVENTS
      return first.slice(head - SLICE_EVENTS, head)
    }
    const parts = [head === 0 ? first : first.slice(head)]
    let events = parts[0]!.length
    pending.shift()
    head = 0
    while (pending.length > 0 && events + pending[0]!.length <= SLICE_EVENTS) {
      events += pending[0]!.length
      parts.push(pending.shift()!)
    }
    return parts.length === 1 ? parts[0]! : parts.flat()
  }
  const flush = () => {
    scheduled = false
    // A snapshot may have applied everything since this flush was scheduled.
    if (pending.length === 0) return
    const started = now()
    try {
      do sink.apply(take())
      while (pending.length > 0 && now() - started < FRAME_BUDGET_MS)
    } finally {
      // Also after a throw: what is left must not wait for the next batch to be scheduled.
      if (pending.length > 0) {
        scheduled = true
        schedule(flush)
      }
    }
  }
  return {
    load(snapshot) {
      // Everything pending first, at once: the snapshot replaces the state they led to.
      if (pending.length > 0) {
        pending[0] = pending[0]!.slice(head)
        head = 0
        sink.apply(pending.splice(0).flat())
      }
      sink.load(snapshot)
    },
    apply(events) {
      if (events.length === 0) return
      pending.push(events)
      if (scheduled) return
      scheduled = true
      schedule(flush)
    },
    link: (state, detail) => sink.link(state, detail),
    error: (err) => sink.error(err),
  }
}
