import { describe, expect, it, vi } from 'vitest'
import { FRAME_EVENTS, framed } from '../../renderer/src/api/frames'
import type { SyncSink } from '../../renderer/src/api/sync'
import type { Snapshot } from '../../electron/contract'
import { DEFAULTS, ev } from '../e2e/helpers/fabricate'

function recorder() {
  const log: string[] = []
  const sink: SyncSink = {
    load: (s) => log.push(`load@${s.lastSeq}`),
    apply: (events) => log.push(`apply ${events.map((e) => e.seq).join(',')}`),
    link: (s) => log.push(`link ${s}`),
    error: () => log.push('error'),
  }
  return { log, sink }
}

/** A schedule the test runs by hand: each call queues one flush. */
function manual() {
  const queued: Array<() => void> = []
  return {
    schedule: (flush: () => void) => void queued.push(flush),
    run: () => queued.splice(0).forEach((f) => f()),
  }
}

const snapshot = (seq: number): Snapshot => ({
  requests: [],
  connections: [],
  pools: [],
  settings: {},
  defaults: DEFAULTS,
  lastSeq: seq,
})

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

  it('spreads a backlog over frames, whole batches of at most FRAME_EVENTS each', () => {
    const applied: number[] = []
    const frames = manual()
    const out = framed(
      { ...recorder().sink, apply: (events) => void applied.push(events.length) },
      frames.schedule,
    )
    const batch = () =>
      Array.from({ length: FRAME_EVENTS / 2 }, (_, i) => ev('request:headersSent', { requestId: i }))
    for (let i = 0; i < 3; i++) out.apply(batch())
    out.apply(Array.from({ length: FRAME_EVENTS + 1 }, (_, i) => ev('request:headersSent', { requestId: i })))
    frames.run()
    expect(applied).toEqual([FRAME_EVENTS])
    frames.run()
    expect(applied).toEqual([FRAME_EVENTS, FRAME_EVENTS / 2])
    // A batch larger than the cap goes alone, whole.
    frames.run()
    expect(applied).toEqual([FRAME_EVENTS, FRAME_EVENTS / 2, FRAME_EVENTS + 1])
    frames.run()
    expect(applied).toHaveLength(3)
  })

  it('applies what is pending before a snapshot replaces the state', () => {
    const { log, sink } = recorder()
    const frames = manual()
    const out = framed(sink, frames.schedule)
    const a = ev('request:headersSent', { requestId: 1 })
    out.apply([a])
    out.load(snapshot(a.seq))
    frames.run()
    expect(log).toEqual([`apply ${a.seq}`, `load@${a.seq}`])
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
    } finally {
      vi.useRealTimers()
      globalThis.requestAnimationFrame = raf
      globalThis.cancelAnimationFrame = caf
    }
  })
})
