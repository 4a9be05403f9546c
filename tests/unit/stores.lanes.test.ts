import { describe, expect, it } from 'vitest'
import {
  LATEST_MAX_MS,
  barAt,
  barOf,
  buildLanes,
  latestWindow,
  splitLanes,
  ticks,
  zoom,
} from '../../renderer/src/composables/lanes'
import { inRange } from '../../renderer/src/stores/requests'
import { rowFromResult } from '../../renderer/src/stores/requestRow'
import { connection, result } from '../e2e/helpers/fabricate'

const timings = (blocked: number) => ({
  blocked,
  dns: -1,
  connect: -1,
  ssl: -1,
  send: 1,
  wait: 5,
  receive: 1,
})

describe('socket lanes', () => {
  it('stacks h2 streams that overlap in time on one lane', () => {
    const rows = [1, 2, 3].map((id) =>
      rowFromResult(result(id, { startedAt: 100, totalMs: 50, timings: timings(0), socket: 1 })),
    )
    const [lane] = buildLanes([connection(1, { protocol: 'h2' })], rows, 200)
    expect(lane!.bars.depth).toBe(3)
    expect([...lane!.bars.stacks.subarray(0, lane!.bars.count)]).toEqual([0, 1, 2])
  })

  it('starts a bar when the request got its socket, so a queued HTTP/1.1 request does not overlap', () => {
    const first = rowFromResult(result(1, { startedAt: 0, totalMs: 10, timings: timings(0) }))
    // Queued at 2 ms behind the first; blocked 8 ms, then sent on the same socket.
    const second = rowFromResult(result(2, { startedAt: 2, totalMs: 15, timings: timings(8), reused: true }))
    const [lane] = buildLanes([connection(1)], [first, second], 20)
    expect(lane!.bars.depth).toBe(1)
    expect(barOf(lane!.bars, 1).start).toBe(10)
  })

  it('draws a request still in flight up to now', () => {
    const row = { ...rowFromResult(result(1, { startedAt: 5 })), endedAt: null, assignedAt: 6 }
    const [lane] = buildLanes([connection(1)], [row], 42)
    expect(barOf(lane!.bars, 0)).toMatchObject({ start: 6, end: 42 })
  })
})

describe('timeline window', () => {
  const row = (id: number, startedAt: number, totalMs: number) =>
    rowFromResult(result(id, { startedAt, totalMs, timings: timings(0) }))

  it('defaults to the latest run, not everything since start', () => {
    // An early request at 0 ms, then a burst 10 s later.
    const rows = [row(1, 0, 5), ...[2, 3, 4].map((id) => row(id, 10_000 + id * 10, 20))]
    const w = latestWindow(rows, 10_100)!
    expect(w.from).toBeGreaterThan(9_000)
    expect(w.from).toBeLessThanOrEqual(10_020)
    expect(w.to).toBeGreaterThanOrEqual(10_060)
  })

  it('caps the latest run to its last minute', () => {
    const rows = Array.from({ length: 200 }, (_, i) => row(i + 1, i * 500, 600))
    const w = latestWindow(rows, 0)!
    expect(w.to - w.from).toBeLessThanOrEqual(LATEST_MAX_MS * 1.07)
  })

  it('zooms around the pointer and keeps that instant under it', () => {
    const w = zoom({ from: 0, to: 100 }, 0.5, 25)
    expect(w).toEqual({ from: 12.5, to: 62.5 })
  })

  it('labels ticks at 1-2-5 steps with the decimals the step needs', () => {
    const t = ticks({ from: 1000, to: 1500 }, 500, 0, 100)
    expect(t.map((x) => x.label)).toEqual(['1.0 s', '1.1 s', '1.2 s', '1.3 s', '1.4 s', '1.5 s'])
    const fine = ticks({ from: 0, to: 10 }, 500, 0, 100)
    expect(fine[1]!.label).toBe('0.002 s')
  })

  it('puts open sockets before closed ones', () => {
    const lanes = buildLanes(
      [connection(1, { closedAt: 5, closeReason: 'idle-timeout' }), connection(2)],
      [],
      10,
    )
    const { open, closed } = splitLanes(lanes)
    expect(open.map((l) => l.connection.id)).toEqual([2])
    expect(closed.map((l) => l.connection.id)).toEqual([1])
  })

  it('finds the bar under the pointer by binary search', () => {
    const rows = [1, 2, 3].map((id) => row(id, id * 100, 10))
    const [lane] = buildLanes([connection(1)], rows, 400)
    expect(barAt(lane!.bars, 205, 0, 1)?.id).toBe(2)
    expect(barAt(lane!.bars, 250, 0, 1)).toBeNull()
  })

  it('orders bars by the time they got their socket even when ids arrive out of that order', () => {
    const rows = [row(1, 300, 10), row(2, 100, 10), row(3, 200, 10)]
    const [lane] = buildLanes([connection(1)], rows, 400)
    expect([...lane!.bars.ids.subarray(0, lane!.bars.count)]).toEqual([2, 3, 1])
  })
})

describe('time-range filter', () => {
  it('keeps rows that overlap the range', () => {
    const r = rowFromResult(result(1, { startedAt: 100, totalMs: 50, timings: timings(0) }))
    expect(inRange(r, { from: 140, to: 200 })).toBe(true)
    expect(inRange(r, { from: 151, to: 200 })).toBe(false)
    expect(inRange(r, { from: 0, to: 99 })).toBe(false)
  })
})
