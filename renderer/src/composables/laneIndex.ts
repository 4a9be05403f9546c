import type { RequestRow } from '../stores/requestRow'
import { Column, RunLevels, lowerBound } from './laneRuns'
import { latestOf, type TimeWindow } from './lanes'

/** Rows of stacked h2 streams drawn at most; deeper streams share the last row. */
export const MAX_STACK = 6

/** The requests store's table: rows by id and ids in ascending order. */
export interface RowTable {
  byId: Map<number, RequestRow>
  order: number[]
}

/**
 * How far a reader of the requests table has read. Rows only append in id order during a session;
 * a replaced table (snapshot, recording, clear), one that shrank, or one with older rows paged in
 * before those read must be read again from the start.
 */
export class TableCursor {
  table: RowTable | null = null
  seen = 0
  private lastId: number | undefined = undefined

  /** True when `table` must be read from the start (the cursor is then at 0). */
  restart(table: RowTable): boolean {
    const { order } = table
    const last = this.seen > 0 ? order[this.seen - 1] : undefined
    if (table === this.table && order.length >= this.seen && last === this.lastId) return false
    this.table = table
    this.seen = 0
    this.lastId = undefined
    return true
  }

  /** Mark rows before `seen` as read. */
  advance(seen: number): void {
    this.seen = seen
    this.lastId = seen > 0 ? this.table!.order[seen - 1] : undefined
  }
}

/** The origins of the table's requests, kept up a batch at a time (new rows only). */
export class RowOrigins {
  readonly set = new Set<string>()
  private cursor = new TableCursor()
  /** Returns whether the set changed. */
  sync(table: RowTable): boolean {
    let changed = false
    if (this.cursor.restart(table) && this.set.size > 0) {
      this.set.clear()
      changed = true
    }
    const { order, byId } = table
    for (let i = this.cursor.seen; i < order.length; i++) {
      const origin = byId.get(order[i]!)!.origin
      if (origin !== null && !this.set.has(origin)) {
        this.set.add(origin)
        changed = true
      }
    }
    this.cursor.advance(order.length)
    return changed
  }
}

const grow = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, n: number): T => {
  if (n <= a.length) return a
  const next = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2))
  next.set(a)
  return next
}

/**
 * One socket's bars as typed-array columns sorted by start (100,000 bars are a few allocations),
 * with their runs per drawn row for zoomed-out drawing. Bars are added as requests get the socket
 * and finished when they end; a bar in flight reaches `now`.
 */
export class LaneBars {
  count = 0
  ids = new Float64Array(16)
  starts = new Float64Array(16)
  ends = new Float64Array(16)
  stacks = new Uint16Array(16)
  failed = new Uint8Array(16)
  /** How many stacked rows the lane needs (1 for HTTP/1.1, more when h2 streams overlap). */
  depth = 1
  /** The longest bar, so a window's first visible bar can be found by binary search on start. */
  longest = 0
  /** Bars in flight: id → index. */
  readonly open = new Map<number, number>()
  /** Runs of finished bars per drawn row and kind (row · 2, + 1 for failures), made when needed. */
  private runs: Array<RunLevels | undefined> = []
  /** Where each stack's last bar ends (Infinity while it is in flight). */
  private stackEnds: number[] = []

  /** Place a bar: the first stack free at `start`, greedily, as the batch build did. */
  add(id: number, start: number, end: number | null, failed: boolean, now: number): void {
    const n = this.count + 1
    this.ids = grow(this.ids, n)
    this.starts = grow(this.starts, n)
    this.ends = grow(this.ends, n)
    this.stacks = grow(this.stacks, n)
    this.failed = grow(this.failed, n)
    let i = this.count
    if (i > 0 && start < this.starts[i - 1]!) {
      // Out of start order (rare: assignments arrive in time order): shift the later bars up.
      i = lowerBound(this.starts, this.count, start + 1e-9)
      for (const column of [this.ids, this.starts, this.ends, this.stacks, this.failed])
        column.copyWithin(i + 1, i, this.count)
      for (const [openId, at] of this.open) if (at >= i) this.open.set(openId, at + 1)
    }
    this.count = n
    let stack = 0
    while (stack < this.stackEnds.length && this.stackEnds[stack]! > start) stack++
    if (stack === this.stackEnds.length) this.stackEnds.push(0)
    this.stackEnds[stack] = end === null ? Infinity : Math.max(start, end)
    this.depth = Math.max(this.depth, this.stackEnds.length)
    this.ids[i] = id
    this.starts[i] = start
    this.ends[i] = Math.max(start, end ?? now)
    this.stacks[i] = Math.min(stack, 65535)
    this.failed[i] = failed ? 1 : 0
    this.longest = Math.max(this.longest, this.ends[i]! - start)
    if (end === null) this.open.set(id, i)
    else this.runsOf(i)?.add(start, this.ends[i]!)
  }

  /** The bar of request `id` ended. False when it is not in flight here. */
  finish(id: number, end: number, failed: boolean): boolean {
    const i = this.open.get(id)
    if (i === undefined) return false
    this.open.delete(id)
    const stop = Math.max(this.starts[i]!, end)
    this.ends[i] = stop
    this.failed[i] = failed ? 1 : 0
    const stack = this.stacks[i]!
    if (this.stackEnds[stack] === Infinity) this.stackEnds[stack] = stop
    this.longest = Math.max(this.longest, stop - this.starts[i]!)
    this.runsOf(i)?.add(this.starts[i]!, stop)
    return true
  }

  /** Bars in flight reach `now`. */
  tick(now: number): void {
    for (const i of this.open.values()) {
      this.ends[i] = Math.max(this.starts[i]!, now)
      this.longest = Math.max(this.longest, this.ends[i]! - this.starts[i]!)
    }
  }

  /** The runs of a drawn row's finished bars (failed or not), rebuilt when too many came out of order. */
  rowRuns(row: number, failed: boolean): RunLevels | undefined {
    const key = row * 2 + (failed ? 1 : 0)
    const runs = this.runs[key]
    if (!runs?.stale) return runs
    const fresh = new RunLevels()
    for (let i = 0; i < this.count; i++) {
      if (this.open.has(this.ids[i]!)) continue
      if (Math.min(this.stacks[i]!, MAX_STACK - 1) === row && this.failed[i] === (failed ? 1 : 0))
        fresh.add(this.starts[i]!, this.ends[i]!)
    }
    this.runs[key] = fresh
    return fresh
  }

  private runsOf(i: number): RunLevels {
    const key = Math.min(this.stacks[i]!, MAX_STACK - 1) * 2 + this.failed[i]!
    return (this.runs[key] ??= new RunLevels())
  }
}

interface Pending {
  row: RequestRow
  /** Its place in the row columns. */
  at: number
  /** The socket and start its bar was placed with (null: no bar yet). */
  socket: number | null
  start: number
}

/**
 * One origin's bars, kept in step with the requests table a batch at a time: each sync looks only
 * at rows it has not seen and rows still in flight, so a batch costs what it changed, not the
 * 100,000 rows already drawn. A table that was replaced (snapshot, recording, clear) or had older
 * rows paged in before the ones seen is indexed afresh, `budget` rows per call.
 */
export class LaneIndex {
  lanes = new Map<number, LaneBars>()
  /** The origin's rows in id order: when each was queued and ended (NaN in flight). */
  rowStarts = new Column()
  rowEnds = new Column()
  /** First queueing and last end seen (an in-flight row counts from its queueing). */
  from = Infinity
  to = -Infinity
  /** The longest finished row, queueing to end. */
  longestRow = 0
  /** Moves each time the index starts over (its LaneBars objects are then new). */
  generation = 0
  private cursor = new TableCursor()
  private pending = new Map<number, Pending>()

  /** `origin` null: every row's. */
  constructor(readonly origin: string | null) {}

  /**
   * Catch up with `table`, looking at no more than `budget` new rows. Returns whether anything
   * changed and whether it caught up (false: call again, e.g. next frame).
   */
  sync(table: RowTable, budget = Infinity): { changed: boolean; done: boolean } {
    const { byId, order } = table
    if (this.cursor.restart(table)) this.reset()
    // Rows to place, with their place in the row columns; in start order once sorted.
    const rows: RequestRow[] = []
    const ats: number[] = []
    let sorted = true
    let last = -Infinity
    const queue = (row: RequestRow, at: number) => {
      const start = startOf(row)
      if (start < last) sorted = false
      last = start
      rows.push(row)
      ats.push(at)
    }
    // Finish first, so a socket freed in this batch is free for the bars placed in it.
    let finished = 0
    for (const [id, p] of this.pending) {
      const row = byId.get(id)
      if (row === p.row) continue
      finished++
      if (!row || (p.socket !== null && (row.socket !== p.socket || startOf(row) !== p.start))) {
        // Gone, or on another socket than its bar: index afresh.
        this.cursor = new TableCursor()
        return this.sync(table, budget)
      }
      if (p.socket === null) queue(row, p.at)
      else if (row.endedAt !== null) {
        this.lanes.get(p.socket)?.finish(row.id, row.endedAt, row.state === 'failed')
        this.settle(row, p.at)
      } else p.row = row
    }
    const stop = Math.min(order.length, this.cursor.seen + budget)
    for (let i = this.cursor.seen; i < stop; i++) {
      const row = byId.get(order[i]!)!
      if (this.origin !== null && row.origin !== this.origin) continue
      this.rowStarts.push(row.startedAt)
      this.rowEnds.push(NaN)
      queue(row, this.rowStarts.length - 1)
    }
    this.cursor.advance(stop)
    if (sorted) for (let i = 0; i < rows.length; i++) this.place(rows[i]!, ats[i]!)
    else {
      const byStart = rows.map((_, i) => i).sort((x, y) => startOf(rows[x]!) - startOf(rows[y]!))
      for (const i of byStart) this.place(rows[i]!, ats[i]!)
    }
    return { changed: finished + rows.length > 0, done: stop === order.length }
  }

  /** Bars in flight reach `now` (call after sync, with the view's end of time). */
  tick(now: number): void {
    for (const lane of this.lanes.values()) if (lane.open.size > 0) lane.tick(now)
  }

  /** The latest run (see latestOf), walking back over the row columns. */
  latest(now: number): TimeWindow | null {
    let settled = Infinity
    for (const p of this.pending.values()) settled = Math.min(settled, p.at)
    const starts = this.rowStarts.data
    const ends = this.rowEnds.data
    return latestOf(
      this.rowStarts.length,
      (i) => starts[i]!,
      (i) => (Number.isNaN(ends[i]!) ? null : ends[i]!),
      now,
      settled,
      this.longestRow,
    )
  }

  /** A socket's bars (empty until its first request): the same object until the index starts over. */
  bars(socket: number): LaneBars {
    let lane = this.lanes.get(socket)
    if (!lane) this.lanes.set(socket, (lane = new LaneBars()))
    return lane
  }

  private reset(): void {
    this.generation++
    this.pending = new Map()
    this.lanes = new Map()
    this.rowStarts = new Column()
    this.rowEnds = new Column()
    this.from = Infinity
    this.to = -Infinity
    this.longestRow = 0
  }

  private place(row: RequestRow, at: number): void {
    this.from = Math.min(this.from, row.startedAt)
    this.to = Math.max(this.to, row.endedAt ?? row.startedAt)
    const start = startOf(row)
    if (row.socket !== null) {
      this.bars(row.socket).add(row.id, start, row.endedAt, row.state === 'failed', this.to)
    }
    if (row.endedAt !== null) this.settle(row, at)
    else this.pending.set(row.id, { row, at, socket: row.socket, start })
  }

  private settle(row: RequestRow, at: number): void {
    this.pending.delete(row.id)
    this.rowEnds.data[at] = row.endedAt!
    this.to = Math.max(this.to, row.endedAt!)
    this.longestRow = Math.max(this.longestRow, row.endedAt! - row.startedAt)
  }
}

/**
 * A bar starts when the request held the socket, not when it queued: a request waiting for a busy
 * HTTP/1.1 socket must not look like it overlapped the one using it.
 */
const startOf = (row: RequestRow) => row.assignedAt ?? row.startedAt
