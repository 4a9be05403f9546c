import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { watch } from 'vue'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useConnectionsStore } from '../../renderer/src/stores/connections'
import { usePoolsStore } from '../../renderer/src/stores/pools'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { ApiError } from '../../renderer/src/api/errors'
import { connection, DEFAULTS, ev, lifecycle, ORIGIN, result, stats } from '../e2e/helpers/fabricate'

beforeEach(() => {
  setActivePinia(createPinia())
  setApi(null)
})

describe('requests store', () => {
  it('builds a finished row with its socket from one request lifecycle', () => {
    const requests = useRequestsStore()
    requests.apply(lifecycle(1, 7, { open: true }))
    const row = requests.row(1)!
    expect(row).toMatchObject({
      state: 'done',
      status: 200,
      socket: 7,
      reused: false,
      nth: 1,
      reason: 'first',
    })
  })

  it('marks the second request on the same socket as reused', () => {
    const requests = useRequestsStore()
    requests.apply([...lifecycle(1, 1, { open: true }), ...lifecycle(2, 1, { reused: true, nth: 2 })])
    expect(requests.rows.map((r) => [r.socket, r.reused, r.nth])).toEqual([
      [1, false, 1],
      [1, true, 2],
    ])
  })

  it('shows a request in flight before it completes', () => {
    const requests = useRequestsStore()
    requests.apply(lifecycle(1, 1).slice(0, 4))
    expect(requests.row(1)).toMatchObject({ state: 'waiting', status: null, socket: 1 })
  })

  it('recomputes the list once per batch, not once per event', () => {
    const requests = useRequestsStore()
    let runs = 0
    watch(
      () => requests.rows,
      () => runs++,
      { flush: 'sync' },
    )
    const batch = Array.from({ length: 50 }, (_, i) => lifecycle(i + 1, 1, { nth: i + 1 })).flat()
    requests.apply(batch)
    expect(requests.rows).toHaveLength(50)
    expect(runs).toBe(1)
  })

  it('keeps rows in id order when a completion arrives for a request it never saw queued', () => {
    const requests = useRequestsStore()
    requests.load([result(1), result(3)])
    requests.apply([ev('request:completed', { result: result(2) })])
    expect(requests.rows.map((r) => r.id)).toEqual([1, 2, 3])
  })

  it('filters by origin, status bucket and socket', () => {
    const requests = useRequestsStore()
    const other = 'http://127.0.0.1:5000'
    requests.load([
      result(1, { socket: 1 }),
      result(2, { socket: 2, status: 404, statusText: 'Not Found' }),
      result(3, { socket: 3, origin: other, url: `${other}/` }),
    ])
    requests.originFilter = other
    expect(requests.visible.map((r) => r.id)).toEqual([3])
    requests.originFilter = null
    requests.statusFilter = '4xx'
    expect(requests.visible.map((r) => r.id)).toEqual([2])
    requests.statusFilter = 'all'
    requests.socketFilter = 1
    expect(requests.visible.map((r) => r.id)).toEqual([1])
  })

  it('puts a failed request in the failed bucket with its error', () => {
    const requests = useRequestsStore()
    const error = {
      code: 'CONNECTION_REFUSED',
      phase: 'connect',
      message: 'Nothing listens on 127.0.0.1:1',
    } as const
    requests.apply([
      ev('request:failed', { result: result(1, { status: null, error, socket: null }), willRetry: false }),
    ])
    requests.statusFilter = 'failed'
    expect(requests.visible[0]).toMatchObject({ id: 1, state: 'failed', error })
  })

  it('toggles the highlighted socket when the same chip is clicked twice', () => {
    const requests = useRequestsStore()
    requests.toggleHighlight(2)
    expect(requests.highlightedSocket).toBe(2)
    requests.toggleHighlight(2)
    expect(requests.highlightedSocket).toBeNull()
  })
})

describe('connections store', () => {
  it('counts requests served per socket from assignments', () => {
    const connections = useConnectionsStore()
    connections.apply([...lifecycle(1, 1, { open: true }), ...lifecycle(2, 1, { reused: true, nth: 2 })])
    expect(connections.byId.get(1)?.requests).toBe(2)
  })

  it('records why a socket closed', () => {
    const connections = useConnectionsStore()
    connections.load([connection(1)])
    connections.apply([
      ev('socket:closed', {
        socketId: 1,
        origin: ORIGIN,
        reason: 'idle-timeout',
        detail: 'idle 4001 ms > keepAliveTimeout 4000 ms',
        closedAt: 99,
        requests: 3,
        error: null,
      }),
    ])
    expect(connections.byId.get(1)).toMatchObject({ closedAt: 99, closeReason: 'idle-timeout', requests: 3 })
  })

  it('groups sockets into lanes per origin', () => {
    const connections = useConnectionsStore()
    const other = 'https://127.0.0.1:5000'
    connections.load([connection(2), connection(1), connection(3, { origin: other })])
    expect([...connections.lanes.entries()].map(([o, l]) => [o, l.map((c) => c.id)])).toEqual([
      [ORIGIN, [1, 2]],
      [other, [3]],
    ])
  })

  it('shows a socket as connecting until it opens', () => {
    const connections = useConnectionsStore()
    connections.apply([ev('socket:connecting', { socketId: 4, origin: ORIGIN })])
    expect(connections.connecting.has(4)).toBe(true)
    connections.apply([ev('socket:opened', { connection: connection(4) })])
    expect(connections.connecting.has(4)).toBe(false)
    expect(connections.byId.has(4)).toBe(true)
  })
})

describe('pools store', () => {
  it('keeps the latest stats per origin', () => {
    const pools = usePoolsStore()
    pools.apply([ev('pool:stats', { stats: stats(ORIGIN, { numRequests: 1 }) })])
    pools.apply([ev('pool:stats', { stats: stats(ORIGIN, { numRequests: 2 }) })])
    expect(pools.stats[ORIGIN]?.numRequests).toBe(2)
  })

  it('falls back to the engine defaults for an origin without its own settings', () => {
    const pools = usePoolsStore()
    pools.load({ pools: [], settings: {}, defaults: DEFAULTS })
    expect(pools.settingsFor(ORIGIN)?.connections).toBe(6)
  })

  it('stores the settings configurePool returns', async () => {
    const calls: unknown[] = []
    setApi({
      configurePool: async (input: unknown) => {
        calls.push(input)
        return { ...DEFAULTS, connections: 1 }
      },
    } as unknown as RendererApi)
    const pools = usePoolsStore()
    await pools.configurePool(ORIGIN, { connections: 1 })
    expect(calls).toEqual([{ origin: ORIGIN, settings: { connections: 1 } }])
    expect(pools.settings[ORIGIN]?.connections).toBe(1)
  })

  it('passes a refused configurePool on as an error with its code', async () => {
    setApi({
      configurePool: async () => {
        throw new ApiError({ code: 'INVALID_OPTION', phase: 'input', message: 'connections: too big' })
      },
    } as unknown as RendererApi)
    await expect(usePoolsStore().configurePool(ORIGIN, { connections: 9999 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    })
  })
})
