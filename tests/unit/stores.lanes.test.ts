import { describe, expect, it } from 'vitest'
import { buildLanes } from '../../renderer/src/composables/lanes'
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
    expect(lane!.depth).toBe(3)
    expect(lane!.bars.map((b) => b.stack)).toEqual([0, 1, 2])
  })

  it('starts a bar when the request got its socket, so a queued HTTP/1.1 request does not overlap', () => {
    const first = rowFromResult(result(1, { startedAt: 0, totalMs: 10, timings: timings(0) }))
    // Queued at 2 ms behind the first; blocked 8 ms, then sent on the same socket.
    const second = rowFromResult(result(2, { startedAt: 2, totalMs: 15, timings: timings(8), reused: true }))
    const [lane] = buildLanes([connection(1)], [first, second], 20)
    expect(lane!.depth).toBe(1)
    expect(lane!.bars[1]!.start).toBe(10)
  })

  it('draws a request still in flight up to now', () => {
    const row = { ...rowFromResult(result(1, { startedAt: 5 })), endedAt: null, assignedAt: 6 }
    const [lane] = buildLanes([connection(1)], [row], 42)
    expect(lane!.bars[0]).toMatchObject({ start: 6, end: 42 })
  })
})
