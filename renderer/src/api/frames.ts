import type { EngineEvent } from './contract'
import type { SyncSink } from './sync'

/**
 * Runs `flush` once soon: at the next frame, or after a timeout where frames do not come; with
 * `after` ms, at the first frame once that long has passed.
 */
export type Schedule = (flush: () => void, after?: number) => void

/**
 * The next animation frame, or 100 ms later when none comes first (a hidden tab draws no frames,
 * and its events must not pile up until it is shown again).
 */
export const nextFrame: Schedule = (flush, after = 0) => {
  if (after > 0) {
    setTimeout(() => nextFrame(flush), after)
    return
  }
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

/**
 * A flush that applied at least this many events means a burst is arriving (about 1,700 requests
 * a second and more, at seven events a request): the next flush then waits BURST_GAP_MS from this
 * one's start. Each flush redraws the list and lays it out again, and in a burst every row in
 * view changes each time, so at 60 flushes a second the page spent most of a core redrawing rows
 * no one can read that fast, on the cores the engine and the server needed too.
 */
export const BURST_EVENTS = 200

/** The least time from one flush to the next during a burst, in ms (20 redraws a second). */
export const BURST_GAP_MS = 50

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
  /** When the last flush started, and whether it applied a burst's worth of events. */
  let lastAt = -Infinity
  let burst = false
  /**
   * Schedules the next flush: at the next frame, or during a burst once BURST_GAP_MS have passed
   * since the last one. A flush that ran out of budget with events left (the page is behind)
   * schedules the next one at the next frame: a gap then would only let the backlog grow.
   */
  const later = (gap: boolean) => {
    scheduled = true
    const wait = gap && burst ? lastAt + BURST_GAP_MS - now() : 0
    if (wait > 0) schedule(flush, wait)
    else schedule(flush)
  }
  const flush = () => {
    scheduled = false
    // A snapshot may have applied everything since this flush was scheduled.
    if (pending.length === 0) return
    const started = now()
    let applied = 0
    try {
      do {
        const slice = take()
        applied += slice.length
        sink.apply(slice)
      } while (pending.length > 0 && now() - started < FRAME_BUDGET_MS)
    } finally {
      lastAt = started
      burst = applied >= BURST_EVENTS
      // Also after a throw: what is left must not wait for the next batch to be scheduled.
      if (pending.length > 0) later(false)
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
      if (!scheduled) later(true)
    },
    link: (state, detail) => sink.link(state, detail),
    error: (err) => sink.error(err),
  }
}
