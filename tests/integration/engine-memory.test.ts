import { describe, expect, it } from 'vitest'
import { LIMITS, type BodyPayload, type RequestPage, type Snapshot } from '../../electron/contract'
import { createEngine } from '../../electron/engine'
import { createHost } from '../../electron/host/host'
import { closeAfterEach, get } from '../helpers/engine'
import { startHttpServer } from '../helpers/servers'

const MiB = 1024 * 1024
const t = closeAfterEach()

/** A server answering every request with `bytes` of text. */
const bodyServer = (bytes: number) =>
  startHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(Buffer.alloc(bytes, 0x61))
  })

describe('engine body budget (real loopback responses)', () => {
  it('drops the oldest kept bodies past the budget; getBody then answers evicted', async () => {
    t.server = await bodyServer(1 * MiB)
    t.engine = createEngine({ bodyBudget: 2.5 * MiB })
    const host = createHost(t.engine)
    const ids: number[] = []
    for (let i = 0; i < 4; i++) ids.push((await t.engine.send(get(t.server.url))).id)

    const body = async (id: number) => {
      const r = await host.call('getBody', { requestId: id })
      if (!r.ok) throw new Error(r.error.message)
      return r.value as BodyPayload
    }
    expect(await body(ids[0]!)).toMatchObject({ evicted: true, bytes: 0, data: '' })
    expect(await body(ids[1]!)).toMatchObject({ evicted: true })
    expect(await body(ids[3]!)).toMatchObject({ bytes: MiB, truncated: false })
    expect(t.engine.results().map((r) => r.evicted ?? false)).toEqual([true, true, false, false])
    // Records stay whole: status and sizes of an evicted body are still there.
    expect(t.engine.results()[0]).toMatchObject({ status: 200, bodyBytes: MiB })

    const memory = await host.call('configureMemory', {})
    expect(memory).toMatchObject({ ok: true, value: { keptBytes: 2 * MiB, keptBodies: 2, evictedBodies: 2 } })
    const shrunk = await host.call('configureMemory', { bodyBudgetMiB: 1 })
    expect(shrunk).toMatchObject({ ok: true, value: { bodyBudgetBytes: MiB, keptBytes: MiB, keptBodies: 1 } })

    const har = t.engine.toHar()
    expect(har.log.entries[0]?.response.content).toMatchObject({
      size: MiB,
      comment: 'body dropped to stay within the memory budget',
    })
    expect(har.log.entries[0]?.response.content.text).toBeUndefined()
    await host.close()
  })
})

describe('snapshot pages', () => {
  it('sends a reconnecting renderer the newest page and lets it page back to the first request', async () => {
    t.server = await bodyServer(16)
    t.engine = createEngine()
    const host = createHost(t.engine)
    const total = LIMITS.pageRequests + 150
    await t.engine.run({ request: get(t.server.url), repeat: total, concurrency: 10 }).done

    const snap = await host.call('snapshot', {})
    if (!snap.ok) throw new Error(snap.error.message)
    const { requests, olderRequests } = snap.value as Snapshot
    expect(requests).toHaveLength(LIMITS.pageRequests)
    expect(olderRequests).toBe(150)
    // Arrival (completion) order, as the engine's own list: with 10 in flight, ids may interleave.
    const arrived = t.engine.results().map((r) => r.id)
    expect(requests.map((r) => r.id)).toEqual(arrived.slice(150))

    const older = await host.call('listRequests', { before: requests[0]!.id, limit: 100 })
    if (!older.ok) throw new Error(older.error.message)
    const page = older.value as RequestPage
    expect(page.requests.map((r) => r.id)).toEqual(arrived.slice(50, 150))
    expect(page.older).toBe(50)
    expect(await host.call('listRequests', { limit: LIMITS.pageRequests + 1 })).toMatchObject({
      ok: false,
      error: {
        message: `listRequests: limit: Invalid value: Expected <=${LIMITS.pageRequests} but received ${LIMITS.pageRequests + 1}`,
      },
    })
    await host.close()
  })
})

describe('engine options the CLI uses', () => {
  it('emits no pool:stats events with statsEvents off, yet reports final stats on request', async () => {
    t.server = await bodyServer(16)
    t.engine = createEngine({ statsEvents: false })
    const types = new Set<string>()
    t.engine.subscribe((e) => types.add(e.type))
    for (let i = 0; i < 3; i++) await t.engine.send(get(t.server.url))
    expect(types.has('request:completed')).toBe(true)
    expect(types.has('pool:stats')).toBe(false)
    expect(t.engine.stats()).toMatchObject([{ origin: t.server.origin, numRequests: 3, numConnections: 1 }])
  })

  it('keeps no bodies with keepBodies off: getBody has nothing, no record is marked evicted', async () => {
    t.server = await bodyServer(1024)
    t.engine = createEngine({ keepBodies: false })
    const result = await t.engine.send(get(t.server.url))
    expect(result).toMatchObject({ status: 200, bodyBytes: 1024 })
    expect(t.engine.getBody(result.id)).toBeNull()
    expect(t.engine.memory()).toMatchObject({ keptBytes: 0, keptBodies: 0, evictedBodies: 0, requests: 1 })
  })
})

describe('engine without a request history (the CLI without --har)', () => {
  it('keeps no records with keepResults off, yet still lists its sockets and answers every send', async () => {
    t.server = await bodyServer(16)
    t.engine = createEngine({ keepResults: false, keepBodies: false })
    const results = []
    for (let i = 0; i < 3; i++) results.push(await t.engine.send(get(t.server.url)))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200])
    expect(t.engine.results()).toEqual([])
    expect(t.engine.memory()).toMatchObject({ requests: 0 })
    expect(t.engine.connections()).toMatchObject([{ id: 1, requests: 3 }])
  })
})
