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

/** Events one frame applies at most (whole batches; a larger single batch goes alone). */
export const FRAME_EVENTS = 2000

/**
 * A sink that applies event batches at most once per frame. The host sends a batch every 16 ms,
 * but a page that fell behind has many queued: applied one by one, each paid a full re-render and a
 * forced layout, so a 50,000-request burst never caught up and the server dropped it as too slow.
 * Batches that arrive between two frames are applied as one, in order. A snapshot first applies
 * what is pending, so nothing delivered is lost or applied after the state it preceded.
 */
export function framed(sink: SyncSink, schedule: Schedule = nextFrame): SyncSink {
  const pending: EngineEvent[][] = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    // Whole batches up to FRAME_EVENTS: a page that fell behind (a busy machine) catches up over a
    // few frames instead of in one long task.
    let take = 1
    let events = pending[0]?.length ?? 0
    while (take < pending.length && events + pending[take]!.length <= FRAME_EVENTS) {
      events += pending[take]!.length
      take++
    }
    const batches = pending.splice(0, take)
    if (pending.length > 0) {
      scheduled = true
      schedule(flush)
    }
    if (batches.length === 1) sink.apply(batches[0]!)
    else if (batches.length > 1) sink.apply(batches.flat())
  }
  return {
    load(snapshot) {
      // Everything pending first, at once: the snapshot replaces the state they led to.
      const batches = pending.splice(0)
      if (batches.length > 0) sink.apply(batches.flat())
      sink.load(snapshot)
    },
    apply(events) {
      pending.push(events)
      if (scheduled) return
      scheduled = true
      schedule(flush)
    },
    link: (state, detail) => sink.link(state, detail),
    error: (err) => sink.error(err),
  }
}
