import { describe, expect, it } from 'vitest'
import { LaneIndex, RowOrigins, type RowTable } from '../../renderer/src/composables/laneIndex'
import { RunLevels, TOLERANCE_MS } from '../../renderer/src/composables/laneRuns'
import { latestWindow } from '../../renderer/src/composables/lanes'
import { rowFromResult, type RequestRow } from '../../renderer/src/stores/requestRow'
import { result } from '../e2e/helpers/fabricate'

const timings = { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 1, wait: 5, receive: 1 }
const row = (id: number, fields: Partial<RequestRow> = {}): RequestRow => ({
  ...rowFromResult(result(id, { startedAt: id * 10, totalMs: 7, timings, socket: (id % 3) + 1 })),
  ...fields,
})
const tableOf = (rows: RequestRow[]): RowTable => ({
  byId: new Map(rows.map((r) => [r.id, r])),
  order: rows.map((r) => r.id),
})
/** Every lane's bars as plain arrays, to compare two indexes. */
const bars = (index: LaneIndex) =>
  [...index.lanes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([socket, lane]) => ({
      socket,
      ids: [...lane.ids.subarray(0, lane.count)],
      starts: [...lane.starts.subarray(0, lane.count)],
      ends: [...lane.ends.subarray(0, lane.count)],
      stacks: [...lane.stacks.subarray(0, lane.count)],
      depth: lane.depth,
    }))

describe('the lane index', () => {
  it('kept in step a batch at a time, holds the same bars as one built from the final table', () => {
    // 300 requests on 3 sockets, each seen queued, then on its socket, then finished, in batches.
    const table: RowTable = { byId: new Map(), order: [] }
    const live = new LaneIndex(null)
    for (let id = 1; id <= 300; id++) {
      const done = row(id)
      table.byId.set(id, { ...done, state: 'queued', socket: null, assignedAt: null, endedAt: null })
      table.order.push(id)
      if (id > 2) table.byId.set(id - 2, { ...row(id - 2), endedAt: null, state: 'waiting' })
      if (id > 4) table.byId.set(id - 4, row(id - 4))
      if (id % 7 === 0) live.sync(table)
    }
    for (let id = 297; id <= 300; id++) table.byId.set(id, row(id))
    live.sync(table)
    const fresh = new LaneIndex(null)
    fresh.sync(table)
    expect(bars(live)).toEqual(bars(fresh))
    expect(live.lanes.get(1)!.open.size).toBe(0)
  })

  it('reports no change when nothing is new, and places older rows paged in before the ones seen', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i + 51))
    const table = tableOf(rows)
    const index = new LaneIndex(null)
    index.sync(table)
    expect(index.sync(table).changed).toBe(false)
    // Older requests land before the ones seen: their bars go first, stacked as a fresh build's.
    const older = Array.from({ length: 50 }, (_, i) => row(i + 1))
    for (const r of older) table.byId.set(r.id, r)
    table.order.unshift(...older.map((r) => r.id))
    expect(index.sync(table).changed).toBe(true)
    const fresh = new LaneIndex(null)
    fresh.sync(table)
    expect(bars(index)).toEqual(bars(fresh))
    expect([...index.lanes.values()].reduce((n, l) => n + l.count, 0)).toBe(100)
  })

  it('indexes a big table a budget of rows per call', () => {
    const table = tableOf(Array.from({ length: 1000 }, (_, i) => row(i + 1)))
    const index = new LaneIndex(null)
    const calls = []
    for (let done = false; !done;) calls.push((done = index.sync(table, [], 300).done))
    expect(calls).toEqual([false, false, false, true])
    expect([...index.lanes.values()].reduce((n, l) => n + l.count, 0)).toBe(1000)
  })

  it('keeps the bars of rows the list let go, and finishes one that left the list in flight', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i + 1))
    rows[29] = row(30, { endedAt: null, state: 'waiting' })
    const table = tableOf(rows)
    const past: RequestRow[] = []
    const index = new LaneIndex(null)
    index.sync(table, past)
    // The list lets its 20 oldest go, and request 30 ends and leaves with them.
    for (const r of [...rows.slice(0, 20), row(30)]) {
      past.push(r)
      table.byId.delete(r.id)
    }
    table.order = table.order.filter((id) => table.byId.has(id))
    expect(index.sync(table, past).changed).toBe(true)
    const fresh = new LaneIndex(null)
    fresh.sync(tableOf([]), [...rows.slice(0, 29), row(30)])
    expect(bars(index)).toEqual(bars(fresh))
    expect([...index.lanes.values()].reduce((n, l) => n + l.count, 0)).toBe(30)
    expect(index.lanes.get(1)!.open.size).toBe(0)
    // A row trimmed before the index ever saw it in the list is placed from `past`.
    past.push(row(31))
    index.sync(table, past)
    expect([...index.lanes.values()].reduce((n, l) => n + l.count, 0)).toBe(31)
  })

  it('moves a bar when its request turns out to be on another socket', () => {
    const table = tableOf([row(1, { endedAt: null, state: 'waiting', socket: 1 })])
    const index = new LaneIndex(null)
    index.sync(table)
    table.byId.set(1, row(1, { socket: 2 }))
    index.sync(table)
    expect(index.lanes.get(1)?.count ?? 0).toBe(0)
    expect(index.lanes.get(2)!.count).toBe(1)
  })

  it('finds the latest run as latestWindow does over the rows', () => {
    const rows = [row(1), ...Array.from({ length: 40 }, (_, i) => row(i + 2, { startedAt: 5000 + i * 3 }))]
    const index = new LaneIndex(null)
    index.sync(tableOf(rows))
    expect(index.latest(6000)).toEqual(latestWindow(rows, 6000))
  })
})

describe('runs per zoom level', () => {
  it('merges bars closer than each level allows, and picks the level for half a pixel', () => {
    const runs = new RunLevels()
    // Bars 1 ms long, 3 ms apart: separate up to level 3 (gaps under 2 ms merge), one run at level 4 (4 ms).
    for (let t = 0; t < 40; t += 4) runs.add(t, t + 1)
    expect(runs.starts[0]!.length).toBe(10)
    expect(runs.starts[3]!.length).toBe(10)
    expect(runs.starts[4]!.length).toBe(1)
    expect(runs.end(4, 0)).toBe(37)
    expect(runs.end(3, 0)).toBe(1)
    expect(runs.end(3, 9)).toBe(37)
    expect(RunLevels.level(TOLERANCE_MS / 2)).toBe(-1)
    expect(RunLevels.level(2.1)).toBe(3)
  })

  it('keeps bars that arrive out of start order aside rather than misplacing them', () => {
    const runs = new RunLevels()
    runs.add(10, 11)
    runs.add(2, 3)
    expect(runs.starts[0]!.length).toBe(1)
    expect(runs.extra).toEqual([2, 3])
  })
})

describe('request origins', () => {
  it('are read from new rows only, and again from the start when the table is replaced', () => {
    const origins = new RowOrigins()
    const table = tableOf([row(1), row(2, { origin: 'http://b' })])
    expect(origins.sync(table)).toBe(true)
    expect(origins.sync(table)).toBe(false)
    expect([...origins.set].sort()).toEqual(['http://127.0.0.1:4000', 'http://b'])
    expect(origins.sync(tableOf([row(3, { origin: 'http://c' })]))).toBe(true)
    expect([...origins.set]).toEqual(['http://c'])
  })
})
