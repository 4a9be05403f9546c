import { describe, expect, it, vi } from 'vitest'
import {
  BURST_EVENTS,
  BURST_GAP_MS,
  FRAME_BUDGET_MS,
  SLICE_EVENTS,
  framed,
  nextFrame,
} from '../../renderer/src/api/frames'
import type { SyncSink } from '../../renderer/src/api/sync'
import { emptySnapshot, ev } from '../e2e/helpers/fabricate'
import { recorder } from '../helpers/syncSink'

/** A schedule the test runs by hand: each call queues one flush. */
function manual() {
  const queued: Array<() => void> = []
  return {
    schedule: (flush: () => void) => void queued.push(flush),
    run: () => queued.splice(0).forEach((f) => f()),
  }
}

describe('framed sink', () => {
  it('applies the batches that arrive between two frames as one, in order', () => {
    const { log, sink } = recorder()
    const frames = manual()
    const out = framed(sink, frames.schedule)
    const [a, b, c] = [
      ev('request:headersSent', { requestId: 1 }),
      ev('request:headersSent', { requestId: 2 }),
      ev('request:headersSent', { requestId: 3 }),
    ]
    out.apply([a!, b!])
    out.apply([c!])
    expect(log).toEqual([])
    frames.run()
    expect(log).toEqual([`apply ${a!.seq},${b!.seq},${c!.seq}`])
    frames.run()
    expect(log).toHaveLength(1)
  })

  /** `n` events with consecutive seqs from `from`. */
  const events = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({ ...ev('request:headersSent', { requestId: i }), seq: from + i }))

  /**
   * A sink on a clock of its own that each event applied moves by `perEvent` ms; it records, per
   * frame, the seqs applied and the clock time they took.
   */
  function timed(perEvent: number) {
    let clock = 0
    const frames: { seqs: number[]; ms: number }[] = []
    const sink: SyncSink = {
      ...recorder().sink,
      apply: (batch) => {
        frames.at(-1)!.seqs.push(...batch.map((e) => e.seq))
        frames.at(-1)!.ms += batch.length * perEvent
        clock += batch.length * perEvent
      },
    }
    const queued: Array<() => void> = []
    const out = framed(
      sink,
      (flush) => void queued.push(flush),
      () => clock,
    )
    const frame = () => {
      frames.push({ seqs: [], ms: 0 })
      queued.splice(0).forEach((f) => f())
    }
    return { out, frames, frame, pending: () => queued.length }
  }

  it('applies a huge batch across frames, each stopping once FRAME_BUDGET_MS has passed', () => {
    // 20 µs an event: a slice is 10 ms, over the budget on its own, so each frame applies one.
    const { out, frames, frame, pending } = timed(0.02)
    out.apply(events(10 * SLICE_EVENTS))
    while (pending() > 0) frame()
    expect(frames).toHaveLength(10)
    for (const f of frames) expect(f.seqs).toHaveLength(SLICE_EVENTS)
    // Every event once, in order, across the frames.
    expect(frames.flatMap((f) => f.seqs)).toEqual(events(10 * SLICE_EVENTS).map((e) => e.seq))
  })

  it('fills a frame with slices until the budget is spent, then leaves the rest for the next', () => {
    // 4 µs an event: a slice takes 2 ms, so a frame applies slices until 8 ms have passed.
    const perEvent = 0.004
    const { out, frames, frame, pending } = timed(perEvent)
    const total = 10_000
    let seq = 0
    // Host-sized batches (a few hundred events each), all queued before the first frame.
    while (seq < total) {
      const n = Math.min(300, total - seq)
      out.apply(events(n, seq))
      seq += n
    }
    while (pending() > 0) frame()
    expect(frames.length).toBeGreaterThan(1)
    // A frame goes past the budget by one slice at most (the one that crossed it).
    for (const f of frames) expect(f.ms).toBeLessThanOrEqual(FRAME_BUDGET_MS + SLICE_EVENTS * perEvent)
    // Whole frames but the last: the budget, not the backlog, ended them.
    for (const f of frames.slice(0, -1)) expect(f.ms).toBeGreaterThanOrEqual(FRAME_BUDGET_MS)
    expect(frames.flatMap((f) => f.seqs)).toEqual(events(total).map((e) => e.seq))
  })

  it('applies a backlog in one frame when it takes less than the budget, however many events', () => {
    const { out, frames, frame, pending } = timed(0)
    for (let i = 0; i < 20; i++) out.apply(events(SLICE_EVENTS, i * SLICE_EVENTS))
    frame()
    expect(frames[0]!.seqs).toHaveLength(20 * SLICE_EVENTS)
    expect(pending()).toBe(0)
  })

  it('applies the rest of a cut batch before a snapshot replaces the state', () => {
    const applied: number[] = []
    const { log, sink } = recorder()
    let clock = 0
    const queued: Array<() => void> = []
    const out = framed(
      {
        ...sink,
        apply: (batch) => {
          applied.push(...batch.map((e) => e.seq))
          clock += FRAME_BUDGET_MS
        },
      },
      (flush) => void queued.push(flush),
      () => clock,
    )
    const batch = events(3 * SLICE_EVENTS)
    out.apply(batch)
    queued.splice(0).forEach((f) => f())
    expect(applied).toHaveLength(SLICE_EVENTS)
    out.load(emptySnapshot(batch.at(-1)!.seq))
    expect(applied).toEqual(batch.map((e) => e.seq))
    expect(log).toEqual([`load@${batch.at(-1)!.seq}`])
    // The flush still scheduled finds nothing left.
    queued.splice(0).forEach((f) => f())
    expect(applied).toHaveLength(3 * SLICE_EVENTS)
  })

  it('applies what is pending before a snapshot replaces the state', () => {
    const { log, sink } = recorder()
    const frames = manual()
    const out = framed(sink, frames.schedule)
    const a = ev('request:headersSent', { requestId: 1 })
    out.apply([a])
    out.load(emptySnapshot(a.seq))
    frames.run()
    expect(log).toEqual([`apply ${a.seq}`, `load@${a.seq}`])
  })

  /** A framed sink on a test clock whose schedule records each flush's wait (0: next frame). */
  function gapped(perEvent = 0) {
    let clock = 0
    const applied: number[] = []
    const waits: number[] = []
    const queued: Array<() => void> = []
    const out = framed(
      {
        ...recorder().sink,
        apply: (batch) => {
          applied.push(batch.length)
          clock += batch.length * perEvent
        },
      },
      (flush, after = 0) => {
        waits.push(after)
        queued.push(flush)
      },
      () => clock,
    )
    const tick = (ms: number) => void (clock += ms)
    const run = () => queued.splice(0).forEach((f) => f())
    return { out, applied, waits, tick, run }
  }

  it('after a burst-sized flush, waits BURST_GAP_MS from its start before the next', () => {
    const { out, applied, waits, tick, run } = gapped()
    out.apply(events(BURST_EVENTS))
    run()
    tick(16)
    out.apply(events(10, BURST_EVENTS))
    // The first flush was a burst: the next waits out the rest of the gap.
    expect(waits).toEqual([0, BURST_GAP_MS - 16])
    tick(BURST_GAP_MS - 16)
    run()
    expect(applied).toEqual([BURST_EVENTS, 10])
    // That flush was small: the next batch goes at the next frame again.
    out.apply(events(10, BURST_EVENTS + 10))
    expect(waits.at(-1)).toBe(0)
  })

  it('keeps the frame rate for flushes under BURST_EVENTS, and once the gap has passed', () => {
    const { out, waits, tick, run } = gapped()
    out.apply(events(BURST_EVENTS - 1))
    run()
    out.apply(events(1, BURST_EVENTS))
    expect(waits).toEqual([0, 0])
    run()
    out.apply(events(BURST_EVENTS, 1000))
    run()
    tick(BURST_GAP_MS)
    out.apply(events(1, 2000))
    expect(waits).toEqual([0, 0, 0, 0])
  })

  it('catches up at the frame rate when a flush ran out of budget, burst or not', () => {
    // 20 µs an event: one slice (10 ms) spends the budget, the rest waits for the next frame.
    const { out, waits, run } = gapped(0.02)
    out.apply(events(3 * SLICE_EVENTS))
    run()
    run()
    expect(waits).toEqual([0, 0, 0])
  })

  it('flushes without frames too (a hidden tab draws none)', () => {
    const { log, sink } = recorder()
    const out = framed(sink)
    const a = ev('request:headersSent', { requestId: 1 })
    const raf = globalThis.requestAnimationFrame
    const caf = globalThis.cancelAnimationFrame
    globalThis.requestAnimationFrame = () => 0
    globalThis.cancelAnimationFrame = () => {}
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      out.apply([a])
      vi.advanceTimersByTime(99)
      expect(log).toEqual([])
      vi.advanceTimersByTime(1)
      expect(log).toEqual([`apply ${a.seq}`])
      // A wait (after a burst) comes first, then the frame or its 100 ms fallback.
      let ran = 0
      nextFrame(() => ran++, BURST_GAP_MS)
      vi.advanceTimersByTime(BURST_GAP_MS + 99)
      expect(ran).toBe(0)
      vi.advanceTimersByTime(1)
      expect(ran).toBe(1)
    } finally {
      vi.useRealTimers()
      globalThis.requestAnimationFrame = raf
      globalThis.cancelAnimationFrame = caf
    }
  })
})
