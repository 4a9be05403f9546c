import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { OLDER_PAGE, useOlderStore } from '../../renderer/src/stores/older'
import { storeSink } from '../../renderer/src/stores/sync'
import { LIMITS } from '../../electron/contract/limits'
import type { RequestPage, RequestResult, Snapshot } from '../../electron/contract'
import { DEFAULTS, result } from '../e2e/helpers/fabricate'

/**
 * An engine history in ARRIVAL order (ids interleave, as under concurrency: each pair finishes
 * swapped), paged the way the contract says: the `limit` records that arrived before `before`.
 */
function engine(total: number) {
  const arrived: RequestResult[] = []
  for (let id = 1; id <= total; id += 2) {
    if (id + 1 <= total) arrived.push(result(id + 1))
    arrived.push(result(id))
  }
  const calls: Array<{ before?: number; limit?: number }> = []
  const page = (limit: number, before?: number): RequestPage => {
    const end = before === undefined ? arrived.length : arrived.findIndex((r) => r.id === before)
    if (end < 0) return { requests: [], older: 0 }
    const start = Math.max(0, end - limit)
    return { requests: arrived.slice(start, end), older: start }
  }
  const api = {
    listRequests: async (input: { before?: number; limit?: number }) => {
      calls.push(input)
      return page(input.limit ?? LIMITS.pageRequests, input.before)
    },
    clearHistory: async () => ({}),
  } as unknown as RendererApi
  const snapshot = (): Snapshot => {
    const newest = page(LIMITS.pageRequests)
    const base = { connections: [], pools: [], settings: {}, defaults: DEFAULTS, lastSeq: 0 }
    return { ...base, requests: newest.requests, olderRequests: newest.older }
  }
  return { api, calls, snapshot }
}

beforeEach(() => {
  setActivePinia(createPinia())
  setApi(null)
})

describe('older requests', () => {
  it('pages back from the first record the snapshot carried, in arrival order, until none is left', async () => {
    const host = engine(LIMITS.pageRequests + 700)
    setApi(host.api)
    const snapshot = host.snapshot()
    storeSink().load(snapshot)
    const older = useOlderStore()
    const requests = useRequestsStore()
    expect(older.count).toBe(700)
    expect(requests.rows).toHaveLength(LIMITS.pageRequests)

    expect(await older.loadMore()).toBe(OLDER_PAGE)
    // `before` is the snapshot's first record by arrival (702), not its lowest id (701).
    expect(host.calls[0]).toEqual({ before: snapshot.requests[0]!.id, limit: OLDER_PAGE })
    expect(snapshot.requests[0]!.id).toBe(702)
    expect(older.count).toBe(200)

    expect(await older.loadMore()).toBe(200)
    expect(older.count).toBe(0)
    const ids = requests.rows.map((r) => r.id)
    expect(ids).toHaveLength(LIMITS.pageRequests + 700)
    expect(ids[0]).toBe(1)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(await older.loadMore()).toBe(0)
    expect(host.calls).toHaveLength(2)
  })

  it('stops paging at LIMITS.listRows rows and says the list is full', async () => {
    const host = engine(LIMITS.listRows + 1000)
    setApi(host.api)
    const requests = useRequestsStore()
    const older = useOlderStore()
    // A renderer that already holds all but 300 rows of its room (live rows, say).
    const held = LIMITS.listRows - 300
    const newest = host.snapshot()
    storeSink().load(newest)
    requests.prepend(Array.from({ length: held - newest.requests.length }, (_, i) => result(-1 - i)))
    expect(requests.rows).toHaveLength(held)

    expect(await older.loadMore()).toBe(300)
    expect(host.calls.at(-1)?.limit).toBe(300)
    expect(requests.rows).toHaveLength(LIMITS.listRows)
    expect(older.count).toBeGreaterThan(0)
    expect(older.capped).toBe(true)
    expect(await older.loadMore()).toBe(0)
    expect(host.calls).toHaveLength(1)
  })

  it('drops a page that was asked for before a reconnect replaced the rows', async () => {
    const host = engine(LIMITS.pageRequests + 10)
    let answer: (page: RequestPage) => void = () => {}
    setApi({
      ...host.api,
      listRequests: () => new Promise<RequestPage>((resolve) => (answer = resolve)),
    } as RendererApi)
    const sink = storeSink()
    sink.load(host.snapshot())
    const pending = useOlderStore().loadMore()
    sink.load(host.snapshot())
    answer({ requests: [result(1)], older: 0 })
    expect(await pending).toBe(0)
    expect(useRequestsStore().row(1)).toBeNull()
    expect(useOlderStore().count).toBe(10)
    expect(useOlderStore().loading).toBe(false)
  })

  it('has nothing older to offer after Clear', async () => {
    const host = engine(LIMITS.pageRequests + 10)
    setApi(host.api)
    storeSink().load(host.snapshot())
    await useRequestsStore().clear()
    expect(useOlderStore().count).toBe(0)
    expect(await useOlderStore().loadMore()).toBe(0)
    expect(host.calls).toHaveLength(0)
  })
})
