import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { EngineEvent, RequestResult } from '../api/contract'
import { useApi } from '../api/current'
import { LIMITS } from '../../../electron/contract/limits'
import {
  laneRowOf,
  rowFromResult,
  statusBucket,
  type LaneRow,
  type RequestRow,
  type StatusFilter,
} from './requestRow'

/**
 * Requests by id, built from request:* events. Rows are plain objects in a shallow map, replaced
 * (not mutated) on change, and the map is triggered once per batch: 10,000 rows stay cheap.
 */
export const useRequestsStore = defineStore('requests', () => {
  /**
   * Rows by id and ids in ascending order (the engine allocates them in send order), in one shallow
   * ref so a batch is one trigger however many rows it touches.
   */
  const table = shallowRef({ byId: new Map<number, RequestRow>(), order: [] as number[] })
  /**
   * An opened recording (a HAR's entries) shown instead of the live rows while set: events keep
   * filling `table`, so closing it returns to live with nothing lost. Set by the recording store.
   */
  const recorded = shallowRef<typeof table.value | null>(null)
  /**
   * Ids of the finished rows held, in arrival (completion) order from `arrivalHead` on: the order
   * the engine keeps its records in, so the oldest to drop past LIMITS.listRows come first and the
   * first one held is the `before` cursor for paging older records in.
   */
  let arrivals: number[] = []
  let arrivalHead = 0
  /**
   * Lane fields of the live rows the list let go (oldest first), so the Connections timeline still
   * draws every request the engine keeps: a few numbers each, at most LIMITS.history in all.
   */
  const past = shallowRef<LaneRow[]>([])
  /** The selected row when the list dropped it (see `trim`); `row` still finds it. */
  let spare: RequestRow | null = null
  // A function, not a computed: `apply` triggers `table` with the same object, which a computed
  // returning it would not pass on (its value did not change).
  const shown = () => recorded.value ?? table.value
  const originFilter = ref<string | null>(null)
  const statusFilter = ref<StatusFilter>('all')
  const socketFilter = ref<number | null>(null)
  const highlightedSocket = ref<number | null>(null)
  /** Time-range filter (engine monotonic ms), set by brushing the Connections timeline. */
  const timeRange = ref<TimeRange | null>(null)

  const rows = computed(() => {
    const { order, byId } = shown()
    return order.map((id) => byId.get(id)!)
  })
  // A request whose URL did not parse has no origin: it is in no origin's list. Loops, not
  // map/flatMap: these run over every row held once per batch, and a small array per row was
  // garbage the collector paid for during a burst.
  const origins = computed(() => {
    const seen = new Set<string>()
    for (const r of rows.value) if (r.origin !== null) seen.add(r.origin)
    return [...seen].sort()
  })
  const sockets = computed(() => {
    const seen = new Set<number>()
    for (const r of rows.value) if (r.socket !== null) seen.add(r.socket)
    return [...seen].sort((a, b) => a - b)
  })
  /** Every request the timeline draws: the rows the list let go, then the rows it holds. */
  const laneRows = computed((): LaneRow[] =>
    recorded.value === null && past.value.length > 0 ? [...past.value, ...rows.value] : rows.value,
  )
  const visible = computed(() => {
    const origin = originFilter.value
    const status = statusFilter.value
    const socket = socketFilter.value
    const range = timeRange.value
    if (origin === null && status === 'all' && socket === null && range === null) return rows.value
    return rows.value.filter(
      (r) =>
        (origin === null || r.origin === origin) &&
        (status === 'all' || statusBucket(r) === status) &&
        (socket === null || r.socket === socket) &&
        (range === null || inRange(r, range)),
    )
  })

  const insert = (map: Map<number, RequestRow>, ids: number[], row: RequestRow) => {
    if (!map.has(row.id)) {
      const last = ids[ids.length - 1]
      if (last === undefined || row.id > last) ids.push(row.id)
      else ids.splice(lowerBound(ids, row.id), 0, row.id)
    }
    map.set(row.id, row)
  }

  /** Rows by id and in id order from final records (a snapshot's, or a recording's). */
  function tableOf(results: RequestResult[], fields: Partial<RequestRow> = {}): typeof table.value {
    const map = new Map<number, RequestRow>()
    const ids: number[] = []
    for (const r of [...results].sort((a, b) => a.id - b.id))
      insert(map, ids, { ...rowFromResult(r), ...fields })
    return { byId: map, order: ids }
  }

  /** Replace every row with a snapshot's records. */
  function load(results: RequestResult[]): void {
    table.value = tableOf(results)
    past.value = []
    arrivals = results.map((r) => r.id)
    arrivalHead = 0
  }

  /**
   * Merge older records (a `listRequests` page) into the live rows by id: a record already held
   * (pages may overlap near their edges under concurrency) keeps its current row. Returns how many
   * rows were new.
   */
  function prepend(results: RequestResult[]): number {
    const { byId: map, order: ids } = table.value
    const fresh: number[] = []
    for (const r of results) {
      if (map.has(r.id)) continue
      insert(map, ids, rowFromResult(r))
      fresh.push(r.id)
    }
    if (fresh.length > 0) {
      arrivals = [...fresh, ...arrivals.slice(arrivalHead)]
      arrivalHead = 0
      triggerRef(table)
    }
    return fresh.length
  }

  /** Show a recording's requests instead of the live ones (null: back to live). */
  function showRecorded(results: RequestResult[] | null): void {
    recorded.value = results === null ? null : tableOf(results, { recorded: true })
  }

  /**
   * Apply one batch of engine events in a single mutation. Past LIMITS.listRows rows, the oldest
   * finished ones (by arrival) leave the list (the engine still has them; `keep`, the selected
   * row, stays readable through `row`). Returns how many rows left.
   */
  function apply(events: EngineEvent[], keep: number | null = null): number {
    const { byId: map, order: ids } = table.value
    let changed = false
    const patch = (id: number, fields: Partial<RequestRow>) => {
      const row = map.get(id)
      if (!row) return
      map.set(id, { ...row, ...fields })
      changed = true
    }
    for (const e of events) {
      switch (e.type) {
        case 'request:queued':
          insert(map, ids, {
            id: e.requestId,
            method: e.method,
            url: e.url,
            origin: e.origin,
            state: 'queued',
            startedAt: e.t,
            assignedAt: null,
            endedAt: null,
            status: null,
            statusText: null,
            httpVersion: null,
            socket: null,
            reused: false,
            nth: 0,
            reason: null,
            size: 0,
            wireBytes: 0,
            durationMs: null,
            requestHeaders: e.requestHeaders,
            responseHeaders: [],
            contentType: null,
            timings: null,
            error: null,
            retryOf: e.retryOf,
            willRetry: false,
            truncated: false,
            redirect: e.redirect ?? null,
          })
          changed = true
          break
        case 'request:assigned':
          patch(e.requestId, {
            socket: e.socketId,
            reused: e.reused,
            nth: e.nth,
            reason: e.reason,
            reuse: e.reuse ?? null,
            assignedAt: e.t,
            state: 'sending',
          })
          break
        case 'request:bodySent':
          patch(e.requestId, { state: 'waiting' })
          break
        case 'request:responseHeaders':
          patch(e.requestId, {
            status: e.status,
            statusText: e.statusText,
            httpVersion: e.httpVersion,
            responseHeaders: e.headers,
            state: 'receiving',
          })
          break
        case 'request:bodyProgress':
          patch(e.requestId, { size: e.wireBytes, wireBytes: e.wireBytes })
          break
        case 'request:completed':
        case 'request:failed': {
          const before = map.get(e.result.id)
          if (!before || !final(before)) arrivals.push(e.result.id)
          insert(map, ids, rowFromResult(e.result, e.type === 'request:failed' && e.willRetry))
          changed = true
          break
        }
        default:
          break
      }
    }
    if (!changed) return 0
    const dropped = trim(keep)
    triggerRef(table)
    return dropped
  }

  /**
   * Drop the oldest finished rows (by arrival) past LIMITS.listRows. Dropping `keep` sets it
   * aside as `spare`, so the detail pane keeps showing the selected row the list let go.
   */
  function trim(keep: number | null): number {
    const live = table.value
    let excess = live.order.length - LIMITS.listRows
    if (excess <= 0) return 0
    const gone = new Set<number>()
    const lanes: LaneRow[] = []
    while (excess > 0 && arrivalHead < arrivals.length) {
      const id = arrivals[arrivalHead++]!
      const row = live.byId.get(id)
      if (!row) continue
      if (id === keep) spare = row
      lanes.push(laneRowOf(row))
      live.byId.delete(id)
      gone.add(id)
      excess--
    }
    if (arrivalHead > 4096 && arrivalHead * 2 > arrivals.length) {
      arrivals = arrivals.slice(arrivalHead)
      arrivalHead = 0
    }
    if (gone.size > 0) live.order = live.order.filter((id) => !gone.has(id))
    if (lanes.length > 0) {
      const kept = past.value
      kept.push(...lanes)
      const over = kept.length - (LIMITS.history - LIMITS.listRows)
      if (over > 0) kept.splice(0, over)
      triggerRef(past)
    }
    return gone.size
  }

  /** The first finished row held by arrival: `before` for a page of older records (null: none). */
  function firstArrived(): number | null {
    const byId = table.value.byId
    for (let i = arrivalHead; i < arrivals.length; i++) if (byId.has(arrivals[i]!)) return arrivals[i]!
    return null
  }

  /** One row by id (reactive: reads the table). */
  function row(id: number): RequestRow | null {
    const held = shown().byId.get(id)
    if (held) return held
    return spare?.id === id && shown() === table.value ? spare : null
  }

  /** Forget every request, here and in the engine (sockets and pools stay). */
  async function clear(): Promise<void> {
    await useApi().clearHistory({})
    spare = null
    load([])
  }

  /** Show only requests that overlap `range` in time (null: every time). */
  function setTimeRange(range: TimeRange | null): void {
    timeRange.value = range && range.to > range.from ? { from: range.from, to: range.to } : null
  }

  /** Clicking a socket chip toggles highlighting every request on that socket. */
  function toggleHighlight(socket: number | null): void {
    highlightedSocket.value = highlightedSocket.value === socket ? null : socket
  }

  /** How many rows are shown (live or recorded), without building the `rows` array. */
  const size = computed(() => shown().order.length)

  return {
    table,
    recorded,
    size,
    originFilter,
    statusFilter,
    socketFilter,
    highlightedSocket,
    timeRange,
    rows,
    past,
    laneRows,
    origins,
    sockets,
    visible,
    row,
    firstArrived,
    load,
    prepend,
    showRecorded,
    apply,
    clear,
    toggleHighlight,
    setTimeRange,
  }
})

/** A closed time interval in engine monotonic ms. */
export interface TimeRange {
  from: number
  to: number
}

/** A row overlaps the range from when it held its socket (or was queued) to its end (open: ongoing). */
export function inRange(row: RequestRow, range: TimeRange): boolean {
  const start = row.assignedAt ?? row.startedAt
  return start <= range.to && (row.endedAt === null || row.endedAt >= range.from)
}

/** A row from a final record (the engine keeps it), not one still in flight. */
const final = (row: RequestRow) => row.state === 'done' || row.state === 'failed'

function lowerBound(ids: number[], id: number): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ids[mid]! < id) lo = mid + 1
    else hi = mid
  }
  return lo
}
