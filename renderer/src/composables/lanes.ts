import type { ConnectionInfo } from '../api/contract'
import type { LaneRow } from '../stores/requestRow'

/** One request drawn on its socket's lane; `stack` offsets streams that overlap in time (h2). */
export interface LaneBar {
  id: number
  start: number
  end: number
  stack: number
  failed: boolean
}

/**
 * One socket's lane. Bars are columns of typed arrays sorted by start, not objects: 100,000 bars
 * are then a few allocations instead of 100,000 (building them stays far under a frame, with no
 * garbage-collection pause).
 */
export interface Lane {
  connection: ConnectionInfo
  count: number
  ids: Float64Array
  starts: Float64Array
  ends: Float64Array
  stacks: Uint16Array
  failed: Uint8Array
  /** How many stacked rows the lane needs (1 for HTTP/1.1, more when h2 streams overlap). */
  depth: number
  /** The longest bar, so a window's first visible bar can be found by binary search on start. */
  longest: number
}

/** A time window in engine monotonic ms. */
export interface TimeWindow {
  from: number
  to: number
}

/** Bar `i` of a lane as an object (for hit tests and tooltips, not for drawing). */
export function barOf(lane: Lane, i: number): LaneBar {
  return {
    id: lane.ids[i]!,
    start: lane.starts[i]!,
    end: lane.ends[i]!,
    stack: lane.stacks[i]!,
    failed: lane.failed[i] === 1,
  }
}

/**
 * Lanes for one origin's sockets: each request a bar from start to end (`now` while in flight),
 * greedily stacked so that overlapping bars never cover each other.
 */
export function buildLanes(connections: ConnectionInfo[], rows: LaneRow[], now: number): Lane[] {
  const counts = new Map<number, number>()
  for (const row of rows) if (row.socket !== null) counts.set(row.socket, (counts.get(row.socket) ?? 0) + 1)
  const lanes = new Map<number, Lane>()
  const out = connections.map((connection) => {
    const n = counts.get(connection.id) ?? 0
    const lane: Lane = {
      connection,
      count: 0,
      ids: new Float64Array(n),
      starts: new Float64Array(n),
      ends: new Float64Array(n),
      stacks: new Uint16Array(n),
      failed: new Uint8Array(n),
      depth: 1,
      longest: 0,
    }
    lanes.set(connection.id, lane)
    return lane
  })
  let sorted = true
  for (const row of rows) {
    const lane = row.socket === null ? undefined : lanes.get(row.socket)
    if (!lane) continue
    // From the moment it held the socket, not from queueing: a request waiting for a busy
    // HTTP/1.1 socket must not look like it overlapped the one using it.
    const start = row.assignedAt ?? row.startedAt
    const i = lane.count++
    if (i > 0 && start < lane.starts[i - 1]!) sorted = false
    lane.ids[i] = row.id
    lane.starts[i] = start
    lane.ends[i] = Math.max(start, row.endedAt ?? now)
    lane.failed[i] = row.state === 'failed' ? 1 : 0
  }
  for (const lane of out) {
    if (!sorted) sortLane(lane)
    stackLane(lane)
  }
  return out
}

/** Rows arrive in id order, which is nearly always start order; when not, reorder every column. */
function sortLane(lane: Lane): void {
  const order = Array.from({ length: lane.count }, (_, i) => i).sort(
    (a, b) => lane.starts[a]! - lane.starts[b]!,
  )
  for (const key of ['ids', 'starts', 'ends', 'failed'] as const) {
    const column = lane[key]
    const copy = column.slice()
    order.forEach((from, to) => (column[to] = copy[from]!))
  }
}

function stackLane(lane: Lane): void {
  const ends: number[] = []
  let longest = 0
  for (let i = 0; i < lane.count; i++) {
    const start = lane.starts[i]!
    const end = lane.ends[i]!
    let stack = ends.findIndex((e) => e <= start)
    if (stack < 0) stack = ends.push(end) - 1
    else ends[stack] = end
    lane.stacks[i] = Math.min(stack, 65535)
    longest = Math.max(longest, end - start)
  }
  lane.depth = Math.max(1, ends.length)
  lane.longest = longest
}

/** Open sockets first (in id order), then closed ones: the group the view collapses. */
export function splitLanes(lanes: Lane[]): { open: Lane[]; closed: Lane[] } {
  const open: Lane[] = []
  const closed: Lane[] = []
  for (const lane of lanes) (lane.connection.closedAt === null ? open : closed).push(lane)
  return { open, closed }
}

/** The time span the lanes cover: first open to last thing seen. */
export function laneSpan(connections: ConnectionInfo[], rows: LaneRow[], now = -Infinity): TimeWindow {
  let from = Infinity
  let to = -Infinity
  for (const c of connections) {
    from = Math.min(from, c.openedAt)
    to = Math.max(to, c.closedAt ?? c.openedAt)
  }
  for (const r of rows) {
    from = Math.min(from, r.startedAt)
    to = Math.max(to, r.endedAt ?? Math.max(r.startedAt, now))
  }
  if (!Number.isFinite(from)) return { from: 0, to: 1 }
  return { from, to: Math.max(to, from + 1) }
}

/** An idle gap this long between requests starts a new run. */
export const RUN_GAP_MS = 1000
/** The default window never spans more than this (the latest minute of a long run). */
export const LATEST_MAX_MS = 60_000

/**
 * The latest run: the last stretch of requests with no idle gap of RUN_GAP_MS, capped to its last
 * LATEST_MAX_MS, padded 3 % each side. A burst stays readable however long the app has been open.
 */
export function latestWindow(rows: LaneRow[], now: number): TimeWindow | null {
  if (rows.length === 0) return null
  // Rows are in id order, which is queueing order: walk back from the newest while each earlier
  // request ran into the stretch after it (no sort, no copies: this runs on every batch).
  let from = Infinity
  let to = -Infinity
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!
    const end = r.endedAt ?? Math.max(r.startedAt, now)
    if (end + RUN_GAP_MS < from && Number.isFinite(from)) break
    from = Math.min(from, r.startedAt)
    to = Math.max(to, end)
  }
  from = Math.max(from, to - LATEST_MAX_MS)
  return pad({ from, to: Math.max(to, from + 1) })
}

/** The window with 3 % room each side. */
export function pad(w: TimeWindow, ratio = 0.03): TimeWindow {
  const room = (w.to - w.from) * ratio
  return { from: w.from - room, to: w.to + room }
}

/** The narrowest window anyone can zoom to (1 µs would show nothing useful). */
export const MIN_SPAN_MS = 0.05

/** Zoom by `factor` (< 1 zooms in) around time `at`. */
export function zoom(w: TimeWindow, factor: number, at = (w.from + w.to) / 2): TimeWindow {
  const span = Math.max(MIN_SPAN_MS, (w.to - w.from) * factor)
  const ratio = (at - w.from) / (w.to - w.from)
  const from = at - span * ratio
  return { from, to: from + span }
}

/** Move the window by `dt` ms. */
export function pan(w: TimeWindow, dt: number): TimeWindow {
  return { from: w.from + dt, to: w.to + dt }
}

/** One labelled tick of the time axis. */
export interface Tick {
  t: number
  label: string
}

/**
 * Ticks at 1-2-5 steps, about one per `pixelsPerTick`, labelled in seconds since `base` with
 * as many decimals as the step needs (`12.35 s`), or in ms below one millisecond steps.
 */
export function ticks(w: TimeWindow, width: number, base: number, pixelsPerTick = 90): Tick[] {
  const span = w.to - w.from
  const wanted = Math.max(1, width / pixelsPerTick)
  const raw = span / wanted
  const pow = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / 1000) - 1e-9))
  const out: Tick[] = []
  const first = Math.ceil((w.from - base) / step) * step
  for (let rel = first; base + rel <= w.to && out.length < 200; rel += step) {
    const fixed = Math.round(rel / step) * step
    out.push({ t: base + fixed, label: `${(fixed / 1000).toFixed(Math.min(decimals, 4))} s` })
  }
  return out
}

/** Index of the first bar whose start is ≥ t. */
export function firstFrom(lane: Lane, t: number): number {
  let lo = 0
  let hi = lane.count
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (lane.starts[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Bars of a lane that intersect the window, as an index range [begin, end). */
export function visibleRange(lane: Lane, w: TimeWindow): [number, number] {
  return [firstFrom(lane, w.from - lane.longest), firstFrom(lane, w.to + 1e-9)]
}

/** The bar at time t on stack row `stack` (any row when < 0, or at/after `-stack - 1`), within `slack` ms. */
export function barAt(lane: Lane, t: number, stack: number, slack: number): LaneBar | null {
  const [begin, end] = visibleRange(lane, { from: t - slack, to: t + slack })
  let best = -1
  let bestDistance = Infinity
  for (let i = begin; i < end; i++) {
    const s = lane.stacks[i]!
    if (stack >= 0 ? s !== stack : s < -stack - 1) continue
    const start = lane.starts[i]!
    const stop = lane.ends[i]!
    const distance = t < start ? start - t : t > stop ? t - stop : 0
    if (distance <= slack && distance < bestDistance) {
      best = i
      bestDistance = distance
    }
  }
  return best < 0 ? null : barOf(lane, best)
}
