import type { ConnectionInfo } from '../api/contract'
import type { RequestRow } from '../stores/requestRow'

/** One request drawn on its socket's lane; `stack` offsets streams that overlap in time (h2). */
export interface LaneBar {
  row: RequestRow
  start: number
  end: number
  stack: number
}

/** One socket's lane. */
export interface Lane {
  connection: ConnectionInfo
  bars: LaneBar[]
  /** How many stacked rows the lane needs (1 for HTTP/1.1, more when h2 streams overlap). */
  depth: number
}

/**
 * Lanes for one origin's sockets: each request a bar from start to end (`now` while in flight),
 * greedily stacked so that overlapping bars never cover each other.
 */
export function buildLanes(connections: ConnectionInfo[], rows: RequestRow[], now: number): Lane[] {
  const bySocket = new Map<number, RequestRow[]>()
  for (const r of rows) {
    if (r.socket === null) continue
    const list = bySocket.get(r.socket) ?? []
    list.push(r)
    bySocket.set(r.socket, list)
  }
  return connections.map((connection) => {
    const ends: number[] = []
    const bars = (bySocket.get(connection.id) ?? [])
      .map((row) => {
        // From the moment it held the socket, not from queueing: a request waiting for a busy
        // HTTP/1.1 socket must not look like it overlapped the one using it.
        const start = row.assignedAt ?? row.startedAt
        return { row, start, end: Math.max(start, row.endedAt ?? now) }
      })
      .sort((a, b) => a.start - b.start)
      .map((bar) => {
        let stack = ends.findIndex((end) => end <= bar.start)
        if (stack < 0) stack = ends.push(bar.end) - 1
        else ends[stack] = bar.end
        return { ...bar, stack }
      })
    return { connection, bars, depth: Math.max(1, ends.length) }
  })
}

/** The time span the lanes cover: first open to last thing seen. */
export function laneSpan(connections: ConnectionInfo[], rows: RequestRow[]): { from: number; to: number } {
  let from = Infinity
  let to = -Infinity
  for (const c of connections) {
    from = Math.min(from, c.openedAt)
    to = Math.max(to, c.closedAt ?? c.openedAt)
  }
  for (const r of rows) {
    from = Math.min(from, r.startedAt)
    to = Math.max(to, r.endedAt ?? r.startedAt)
  }
  if (!Number.isFinite(from)) return { from: 0, to: 1 }
  return { from, to: Math.max(to, from + 1) }
}
