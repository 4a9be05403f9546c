import type { ConnectionInfo } from '../api/contract'
import type { RequestRow } from '../stores/requestRow'
import { LaneBars, LaneIndex } from './laneIndex'

/** One request drawn on its socket's lane; `stack` offsets streams that overlap in time (h2). */
export interface LaneBar {
  id: number
  start: number
  end: number
  stack: number
  failed: boolean
}

/** One socket's lane: the connection and its bars (typed-array columns, see LaneBars). */
export interface Lane {
  connection: ConnectionInfo
  bars: LaneBars
}

/** A time window in engine monotonic ms. */
export interface TimeWindow {
  from: number
  to: number
}

/** Bar `i` of a lane as an object (for hit tests and tooltips, not for drawing). */
export function barOf(lane: LaneBars, i: number): LaneBar {
  return {
    id: lane.ids[i]!,
    start: lane.starts[i]!,
    end: lane.ends[i]!,
    stack: lane.stacks[i]!,
    failed: lane.failed[i] === 1,
  }
}

/**
 * Lanes for one origin's sockets, built in one go (the view keeps a LaneIndex in step instead):
 * each request a bar from start to end (`now` while in flight), greedily stacked so that
 * overlapping bars never cover each other.
 */
export function buildLanes(connections: ConnectionInfo[], rows: RequestRow[], now: number): Lane[] {
  const index = new LaneIndex(null)
  const byId = new Map(rows.map((r) => [r.id, r]))
  index.sync({ byId, order: [...byId.keys()].sort((a, b) => a - b) })
  index.tick(now)
  return connections.map((connection) => ({
    connection,
    bars: index.lanes.get(connection.id) ?? new LaneBars(),
  }))
}

/** Open sockets first (in id order), then closed ones: the group the view collapses. */
export function splitLanes(lanes: Lane[]): { open: Lane[]; closed: Lane[] } {
  const open: Lane[] = []
  const closed: Lane[] = []
  for (const lane of lanes) (lane.connection.closedAt === null ? open : closed).push(lane)
  return { open, closed }
}

/** An idle gap this long between requests starts a new run. */
export const RUN_GAP_MS = 1000
/** The default window never spans more than this (the latest minute of a long run). */
export const LATEST_MAX_MS = 60_000

/**
 * The latest run: the last stretch of requests with no idle gap of RUN_GAP_MS, capped to its last
 * LATEST_MAX_MS, padded 3 % each side. A burst stays readable however long the app has been open.
 */
export function latestWindow(rows: RequestRow[], now: number): TimeWindow | null {
  return latestOf(
    rows.length,
    (i) => rows[i]!.startedAt,
    (i) => rows[i]!.endedAt,
    now,
  )
}

/**
 * latestWindow over any columns of rows in id order (queueing order): walk back from the newest
 * while each earlier request ran into the stretch after it (no sort, no copies: this runs on every
 * batch). `settledBefore`: rows before this index are finished, and `longest` bounds their length,
 * so the walk stops once nothing earlier can reach the last minute.
 */
export function latestOf(
  count: number,
  startAt: (i: number) => number,
  endAt: (i: number) => number | null,
  now: number,
  settledBefore = 0,
  longest = Infinity,
): TimeWindow | null {
  if (count === 0) return null
  let from = Infinity
  let to = -Infinity
  for (let i = count - 1; i >= 0; i--) {
    const start = startAt(i)
    const end = endAt(i) ?? Math.max(start, now)
    if (end + RUN_GAP_MS < from && Number.isFinite(from)) break
    from = Math.min(from, start)
    to = Math.max(to, end)
    if (i <= settledBefore && start + longest < to - LATEST_MAX_MS) break
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
export function firstFrom(lane: LaneBars, t: number): number {
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
export function visibleRange(lane: LaneBars, w: TimeWindow): [number, number] {
  return [firstFrom(lane, w.from - lane.longest), firstFrom(lane, w.to + 1e-9)]
}

/** The bar at time t on stack row `stack` (any row when < 0, or at/after `-stack - 1`), within `slack` ms. */
export function barAt(lane: LaneBars, t: number, stack: number, slack: number): LaneBar | null {
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

/** Index of request `id`'s bar, which starts at `start` (-1: not on this lane). */
export function indexOf(lane: LaneBars, id: number, start: number): number {
  for (let i = firstFrom(lane, start); i < lane.count && lane.starts[i]! <= start; i++)
    if (lane.ids[i] === id) return i
  return -1
}
