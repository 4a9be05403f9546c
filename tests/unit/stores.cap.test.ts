import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../renderer/src/api/current'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useOlderStore } from '../../renderer/src/stores/older'
import { useRunsStore } from '../../renderer/src/stores/runs'
import { useUiStore } from '../../renderer/src/stores/ui'
import { storeSink } from '../../renderer/src/stores/sync'
import { LIMITS } from '../../electron/contract/limits'
import type { EngineEvent } from '../../electron/contract'
import { connection, ev, lifecycle } from '../e2e/helpers/fabricate'
import { useConnectionsStore } from '../../renderer/src/stores/connections'

const SPEC = { method: 'GET', url: 'http://127.0.0.1:4000/', headers: [], body: null }
const OTHER = 'http://127.0.0.1:4001'

beforeEach(() => {
  setActivePinia(createPinia())
  setApi(null)
})

/**
 * Requests `from`..`to` on sockets 1..4 (socket 5 for the first ten, on another origin), each
 * pair finishing swapped as under concurrency, in batches of `per` requests as the host sends them.
 */
function burst(from: number, to: number, per = 100): EngineEvent[][] {
  const batches: EngineEvent[][] = []
  const batch: EngineEvent[] = []
  for (let id = from; id <= to; id += 2) {
    const pair = [id + 1, id].filter((n) => n <= to)
    for (const n of pair) {
      const early = n <= 10
      batch.push(...lifecycle(n, early ? 5 : 1 + (n % 4), { nth: n, origin: early ? OTHER : undefined }))
    }
    if (batch.length >= per * 7) batches.push(batch.splice(0))
  }
  if (batch.length) batches.push(batch)
  return batches
}

describe('live rows past LIMITS.listRows', () => {
  it('drop the oldest finished rows, and the list says how many the engine keeps', () => {
    const sink = storeSink()
    const requests = useRequestsStore()
    const older = useOlderStore()
    const runs = useRunsStore()
    const total = LIMITS.listRows + 1500
    const ids = Array.from({ length: total }, (_, i) => i + 1)
    runs.track(ids, 1, SPEC)
    for (const batch of burst(1, total)) sink.apply(batch)

    expect(requests.rows).toHaveLength(LIMITS.listRows)
    // Arrival order dropped 2,1,4,3,…: the first 1500 by arrival are ids 1..1500.
    expect(requests.rows[0]!.id).toBe(1501)
    expect(requests.row(1500)).toBeNull()
    expect(older.count).toBe(1500)
    expect(older.capped).toBe(true)
    // `before` for a page is the first finished row held by arrival (1502 arrived before 1501).
    expect(older.cursor).toBe(1502)
    // Progress counts every request from its events, not from the rows still held.
    expect(runs.progress).toMatchObject({ total, sent: total, ok: total, failed: 0, ended: total })
    expect(runs.active).toBe(false)
    // Socket and origin lists follow the rows held: the early requests' socket and origin left.
    expect(requests.sockets).toEqual([1, 2, 3, 4])
    expect(requests.origins).toEqual(['http://127.0.0.1:4000'])
    // The timeline still draws every request: the rows that left keep their lane fields.
    expect(requests.laneRows).toHaveLength(total)
    expect(requests.laneRows.filter((r) => r.socket === 5)).toHaveLength(10)
    expect(Object.keys(requests.laneRows[0]!).sort()).toEqual(
      ['assignedAt', 'endedAt', 'id', 'origin', 'socket', 'startedAt', 'state'].sort(),
    )
  })

  it('keep showing the selected row after the list let it go', () => {
    const sink = storeSink()
    const requests = useRequestsStore()
    const ui = useUiStore()
    for (const batch of burst(1, 100)) sink.apply(batch)
    ui.select(3)
    for (const batch of burst(101, LIMITS.listRows + 200)) sink.apply(batch)
    expect(requests.rows.some((r) => r.id === 3)).toBe(false)
    expect(requests.row(3)?.id).toBe(3)
    // Filters see only rows held.
    requests.socketFilter = 5
    expect(requests.visible).toEqual([])
  })

  it('forget the older records on Clear', async () => {
    const sink = storeSink()
    const older = useOlderStore()
    const requests = useRequestsStore()
    for (const batch of burst(1, LIMITS.listRows + 10)) sink.apply(batch)
    expect(older.count).toBe(10)
    setApi({ clearHistory: async () => ({}) } as never)
    await requests.clear()
    expect([older.count, older.cursor, requests.rows.length]).toEqual([0, null, 0])
  })
})

describe('a request whose steps the host left out (it ended in the same batch)', () => {
  it('reads the same as one applied step by step: row, socket count and run progress', () => {
    const state = (events: EngineEvent[]) => {
      setActivePinia(createPinia())
      const runs = useRunsStore()
      runs.track([2], 1, SPEC)
      const sink = storeSink()
      sink.apply([ev('socket:opened', { connection: connection(1) })])
      sink.apply(events)
      return {
        row: useRequestsStore().row(2),
        socketRequests: useConnectionsStore().byId.get(1)!.requests,
        progress: runs.progress,
      }
    }
    // The engine stamps request:queued with the time its record starts at (queuedAt).
    const full = lifecycle(2, 1, { nth: 3, reused: true }).map((e) =>
      e.type === 'request:queued' ? { ...e, t: 20 } : e,
    )
    const ended = full.filter((e) => e.type === 'request:completed')
    expect(ended).toHaveLength(1)
    const a = state(full)
    const b = state(ended)
    expect(b.socketRequests).toBe(3)
    expect(b).toEqual(a)
  })
})
