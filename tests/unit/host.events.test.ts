import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../../electron/contract'
import { createHost, type Host } from '../../electron/host/host'
import { fakeEngine, type BareEvent } from './host.fake'
import { result } from '../e2e/helpers/fabricate'

const ORIGIN = 'http://127.0.0.1:9'

const stats = (running: number): BareEvent => ({
  type: 'pool:stats',
  stats: {
    origin: ORIGIN,
    connected: 1,
    free: 0,
    pending: 0,
    queued: 0,
    running,
    size: running,
    numConnections: 1,
    numRequests: 0,
  },
})
const progress = (requestId: number, wireBytes: number): BareEvent => ({
  type: 'request:bodyProgress',
  requestId,
  wireBytes,
})
const sent = (requestId: number): BareEvent => ({ type: 'request:headersSent', requestId })

let host: Host | null = null
afterEach(async () => {
  await host?.close()
  host = null
  vi.useRealTimers()
})

describe('host event batching', () => {
  it('keeps no timer while idle and flushes one batch per window', async () => {
    vi.useFakeTimers()
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const batches: EngineEvent[][] = []
    host.onEvents((events) => batches.push(events))
    expect(vi.getTimerCount()).toBe(0)
    fake.emit(sent(1))
    fake.emit(sent(2))
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(15)
    expect(batches).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1, 2]])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps only the last progress per request and the last stats per origin, in seq order', async () => {
    vi.useFakeTimers()
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const batches: EngineEvent[][] = []
    host.onEvents((events) => batches.push(events))
    fake.emit(progress(1, 10)) // seq 1, replaced
    fake.emit(stats(1)) // seq 2, replaced
    fake.emit(progress(2, 5)) // seq 3, kept (only one for request 2)
    fake.emit(sent(3)) // seq 4
    fake.emit(progress(1, 20)) // seq 5, kept
    fake.emit(stats(2)) // seq 6, kept
    await vi.advanceTimersByTimeAsync(16)
    expect(batches).toHaveLength(1)
    expect(batches[0]!.map((e) => e.seq)).toEqual([3, 4, 5, 6])
    expect(batches[0]![2]).toMatchObject({ type: 'request:bodyProgress', requestId: 1, wireBytes: 20 })
  })

  it('delivers a burst of 5,000 events in at most one flush per 16 ms, losing nothing else', async () => {
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const batches: Array<{ at: number; events: EngineEvent[] }> = []
    host.onEvents((events) => batches.push({ at: performance.now(), events }))
    const emitted: EngineEvent[] = []
    const off = fake.engine.subscribe((e) => emitted.push(e))
    const start = performance.now()
    // 5,000 events over ~50 macrotasks, so the burst spans several batch windows.
    for (let chunk = 0; chunk < 50; chunk++) {
      for (let i = 0; i < 100; i++) {
        const id = chunk * 10 + (i % 10)
        fake.emit(i % 2 === 0 ? progress(id, i) : i % 5 === 1 ? stats(i) : sent(id))
      }
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    off()
    const last = emitted[emitted.length - 1]!.seq
    while (batches.at(-1)?.events.at(-1)?.seq !== last) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const duration = batches.at(-1)!.at - start
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(duration / 16) + 1)
    for (let i = 1; i < batches.length; i++) {
      // Timers may fire a hair early relative to performance.now(); 15 ms still proves the window.
      expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(15)
    }
    const delivered = batches.flatMap((b) => b.events)
    const seqs = delivered.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const notCoalescible = (e: EngineEvent) => e.type !== 'request:bodyProgress' && e.type !== 'pool:stats'
    expect(delivered.filter(notCoalescible)).toEqual(emitted.filter(notCoalescible))
    expect(emitted).toHaveLength(5000)
    // The last progress of each request always arrives.
    const lastProgress = new Map<number, number>()
    for (const e of emitted) if (e.type === 'request:bodyProgress') lastProgress.set(e.requestId, e.seq)
    for (const seq of lastProgress.values()) expect(seqs).toContain(seq)
  })

  it("leaves out the steps of a request that ends in the same batch, keeping everyone else's", async () => {
    vi.useFakeTimers()
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const batches: EngineEvent[][] = []
    host.onEvents((events) => batches.push(events))
    const done = result(1)
    fake.emit({
      type: 'request:queued',
      requestId: 1,
      method: 'GET',
      url: done.url,
      origin: ORIGIN,
      requestHeaders: [],
      requestBodyBytes: 0,
      retryOf: null,
    })
    fake.emit({ type: 'request:assigned', requestId: 1, socketId: 1, reused: false, nth: 1, reason: 'first' })
    fake.emit(sent(2)) // request 2 goes on into the next batch: its step stays
    fake.emit(sent(1))
    fake.emit(progress(1, 42))
    fake.emit(stats(1))
    fake.emit({ type: 'request:completed', result: done })
    await vi.advanceTimersByTimeAsync(16)
    expect(batches).toHaveLength(1)
    expect(batches[0]!.map((e) => e.type)).toEqual(['request:headersSent', 'pool:stats', 'request:completed'])
    expect(batches[0]![0]).toMatchObject({ requestId: 2 })
  })

  it('buffers nothing while no one listens', async () => {
    vi.useFakeTimers()
    const fake = fakeEngine()
    host = createHost(fake.engine)
    fake.emit(sent(1))
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps delivering to other listeners when one throws', async () => {
    vi.useFakeTimers()
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const got: number[] = []
    host.onEvents(() => {
      throw new Error('window gone')
    })
    host.onEvents((events) => got.push(...events.map((e) => e.seq)))
    fake.emit(sent(1))
    await vi.advanceTimersByTimeAsync(16)
    expect(got).toEqual([1])
  })

  it('stops listening to the engine on close', async () => {
    const fake = fakeEngine()
    host = createHost(fake.engine)
    expect(fake.listenerCount()).toBe(1)
    await host.close()
    expect(fake.listenerCount()).toBe(0)
  })
})
