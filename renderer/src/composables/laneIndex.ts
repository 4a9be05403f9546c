import type { LaneRow } from '../stores/requestRow'
import { Column, RunLevels, lowerBound } from './laneRuns'
import { latestOf, type TimeWindow } from './lanes'

/** Rows of stacked h2 streams drawn at most; deeper streams share the last row. */
export const MAX_STACK = 6

/** The requests store's table: rows by id and ids in ascending order. */
export interface RowTable {
  byId: Map<number, LaneRow>
  order: number[]
}

/**
 * The origins of the table's requests, kept up a batch at a time: rows arrive in id order, so the
 * new ones are those past the highest id read (rows that leave the list keep their origin here).
 */
export class RowOrigins {
  readonly set = new Set<string>()
  private table: RowTable | null = null
  private last = -Infinity
  /** Returns whether the set changed. */
  sync(table: RowTable): boolean {
    let changed = false
    if (table !== this.table) {
      changed = this.set.size > 0
      this.set.clear()
      this.table = table
      this.last = -Infinity
    }
    const { order, byId } = table
    for (let i = lowerBound(order, order.length, this.last + 1); i < order.length; i++) {
      const origin = byId.get(order[i]!)!.origin
      if (origin !== null && !this.set.has(origin)) {
        this.set.add(origin)
        changed = true
      }
    }
    if (order.length > 0) this.last = Math.max(this.last, order[order.length - 1]!)
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
  /** A bar was put before others: stacks and runs are made again by `restack`. */
  unsorted = false

  /** Stack every bar again in start order, as the batch build does, and make the runs anew. */
  restack(): void {
    this.unsorted = false
    this.stackEnds = []
    this.runs = []
    this.depth = 1
    for (let i = 0; i < this.count; i++) {
      const start = this.starts[i]!
      const open = this.open.has(this.ids[i]!)
      let stack = 0
      while (stack < this.stackEnds.length && this.stackEnds[stack]! > start) stack++
      if (stack === this.stackEnds.length) this.stackEnds.push(0)
      this.stackEnds[stack] = open ? Infinity : this.ends[i]!
      this.stacks[i] = Math.min(stack, 65535)
      if (!open) this.runsOf(i).add(start, this.ends[i]!)
    }
    this.depth = Math.max(1, this.stackEnds.length)
  }

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
      // Out of start order (older rows paged in, or let go by the list in arrival order): shift
      // the later bars up, and stack the lane again once the batch is placed.
      i = lowerBound(this.starts, this.count, start + 1e-9)
      for (const column of [this.ids, this.starts, this.ends, this.stacks, this.failed])
        column.copyWithin(i + 1, i, this.count)
      for (const [openId, at] of this.open) if (at >= i) this.open.set(openId, at + 1)
      this.unsorted = true
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
  row: LaneRow
  /** Its place in the row columns. */
  at: number
  /** The socket and start its bar was placed with (null: no bar yet). */
  socket: number | null
  start: number
}

/**
 * One origin's bars, kept in step with the requests a batch at a time: each sync looks at the rows
 * the list holds (at most LIMITS.listRows live) and at the rows it let go since the last sync
 * (`past`, finished), never again at the 100,000 bars already placed. A replaced table (snapshot,
 * recording, clear) is indexed afresh, `budget` new rows per call.
 */
export class LaneIndex {
  lanes = new Map<number, LaneBars>()
  /** The origin's rows as indexed (about queueing order): when each was queued and ended (NaN in flight). */
  rowStarts = new Column()
  rowEnds = new Column()
  /** First queueing and last end seen (an in-flight row counts from its queueing). */
  from = Infinity
  to = -Infinity
  /** The longest finished row, queueing to end. */
  longestRow = 0
  /** Moves each time the index starts over (its LaneBars objects are then new). */
  generation = 0
  private table: RowTable | null = null
  /** Every row indexed (any origin), so a row seen in the list and again in `past` counts once. */
  private seen = new Set<number>()
  private pending = new Map<number, Pending>()
  /** The last `past` entry read, and where it was. */
  private pastLast: LaneRow | null = null
  private pastAt = 0
  /** Where the table scan stopped when a sync ran out of budget (0: scan it all). */
  private scanAt = 0

  /** `origin` null: every row's. */
  constructor(readonly origin: string | null) {}

  /**
   * Catch up with `table` and `past` (the rows the list let go, oldest first), placing no more than
   * `budget` new rows. Returns whether anything changed and whether it caught up (false: call again).
   */
  sync(
    table: RowTable,
    past: readonly LaneRow[] = [],
    budget = Infinity,
  ): { changed: boolean; done: boolean } {
    if (table !== this.table) this.reset(table)
    // Past a few times what the store holds (it dropped the oldest for good): start over, bounded.
    if (this.seen.size > 1.5 * (past.length + table.order.length) + 5000) this.reset(table)
    const rows: LaneRow[] = []
    const ats: number[] = []
    let sorted = true
    let last = -Infinity
    let changed = 0
    const queue = (row: LaneRow, at: number) => {
      const start = startOf(row)
      if (start < last) sorted = false
      last = start
      rows.push(row)
      ats.push(at)
    }
    const fresh = (row: LaneRow) => {
      this.seen.add(row.id)
      if (this.origin !== null && row.origin !== this.origin) return
      this.rowStarts.push(row.startedAt)
      this.rowEnds.push(NaN)
      queue(row, this.rowStarts.length - 1)
    }
    // Finish first, so a socket freed in this batch is free for the bars placed in it.
    const update = (row: LaneRow, p: Pending): boolean => {
      if (row === p.row) return true
      changed++
      if (p.socket !== null && (row.socket !== p.socket || startOf(row) !== p.start)) return false
      if (p.socket === null) queue(row, p.at)
      else if (row.endedAt !== null) {
        this.lanes.get(p.socket)?.finish(row.id, row.endedAt, row.state === 'failed')
        this.settle(row, p.at)
      } else p.row = row
      return true
    }
    // The rows the list let go since the last sync (it may also have dropped its oldest).
    let at = this.pastAt
    if (this.pastLast !== null && past[at - 1] !== this.pastLast) {
      at = past.lastIndexOf(this.pastLast, Math.min(at, past.length) - 1) + 1
      if (at === 0) return this.restart(table, past, budget)
    }
    let left = budget
    // One row looked at: an unfinished one updated (false: its bar moved, start again), a new one placed.
    const look = (row: LaneRow): boolean => {
      const p = this.pending.get(row.id)
      if (p) return update(row, p)
      if (!this.seen.has(row.id)) {
        fresh(row)
        left--
      }
      return true
    }
    for (; at < past.length && left > 0; at++) {
      if (!look(past[at]!)) return this.restart(table, past, budget)
    }
    this.pastAt = at
    this.pastLast = at > 0 ? past[at - 1]! : null
    const pastDone = at === past.length
    // The rows the list holds: new ones placed, unfinished ones looked at again.
    const { byId, order } = table
    let i = pastDone ? this.scanAt : order.length
    for (; i < order.length && left > 0; i++) {
      if (!look(byId.get(order[i]!)!)) return this.restart(table, past, budget)
    }
    const done = pastDone && i === order.length
    this.scanAt = done ? 0 : pastDone ? i : this.scanAt
    if (sorted) for (let k = 0; k < rows.length; k++) this.place(rows[k]!, ats[k]!)
    else {
      const byStart = rows.map((_, k) => k).sort((x, y) => startOf(rows[x]!) - startOf(rows[y]!))
      for (const k of byStart) this.place(rows[k]!, ats[k]!)
    }
    for (const lane of this.lanes.values()) if (lane.unsorted) lane.restack()
    return { changed: changed + rows.length > 0, done }
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

  /** A bar is not where its request now says (another socket): index everything afresh. */
  private restart(table: RowTable, past: readonly LaneRow[], budget: number) {
    this.table = null
    return this.sync(table, past, budget)
  }

  private reset(table: RowTable): void {
    this.generation++
    this.table = table
    this.seen = new Set()
    this.pastLast = null
    this.pastAt = 0
    this.scanAt = 0
    this.pending = new Map()
    this.lanes = new Map()
    this.rowStarts = new Column()
    this.rowEnds = new Column()
    this.from = Infinity
    this.to = -Infinity
    this.longestRow = 0
  }

  private place(row: LaneRow, at: number): void {
    this.from = Math.min(this.from, row.startedAt)
    this.to = Math.max(this.to, row.endedAt ?? row.startedAt)
    const start = startOf(row)
    if (row.socket !== null) {
      this.bars(row.socket).add(row.id, start, row.endedAt, row.state === 'failed', this.to)
    }
    if (row.endedAt !== null) this.settle(row, at)
    else this.pending.set(row.id, { row, at, socket: row.socket, start })
  }

  private settle(row: LaneRow, at: number): void {
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
const startOf = (row: LaneRow) => row.assignedAt ?? row.startedAt
