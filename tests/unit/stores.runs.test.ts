import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useRunsStore } from '../../renderer/src/stores/runs'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { ev, lifecycle, result } from '../e2e/helpers/fabricate'

const SPEC = { method: 'GET', url: 'http://127.0.0.1:1/', headers: [], body: null }

beforeEach(() => {
  setActivePinia(createPinia())
  setApi(null)
})

describe('runs store', () => {
  it('counts sent, ok and failed requests of the latest run from the events', () => {
    const requests = useRequestsStore()
    const runs = useRunsStore()
    runs.track([1, 2, 3], 7, SPEC)
    requests.apply([
      ...lifecycle(1, 1, { open: true }),
      ...lifecycle(2, 1, { nth: 2 }).slice(0, 2),
      ev('request:queued', {
        requestId: 3,
        method: 'GET',
        url: SPEC.url,
        origin: 'http://127.0.0.1:1',
        requestHeaders: [],
        requestBodyBytes: 0,
        retryOf: null,
      }),
    ])
    expect(runs.progress).toMatchObject({ total: 3, sent: 2, ok: 1, failed: 0, ended: 1 })
    expect(runs.active).toBe(true)
    requests.apply([
      ev('request:failed', {
        result: result(3, {
          status: null,
          socket: null,
          error: { code: 'CANCELLED' as never, phase: 'queue', message: 'stopped' },
        }),
        willRetry: false,
      }),
      ...lifecycle(2, 1, { nth: 2 }).slice(2),
    ])
    // The cancelled one never left the queue: not sent.
    expect(runs.progress).toMatchObject({ sent: 2, ok: 2, failed: 0, cancelled: 1, ended: 3 })
    expect(runs.progress!.rate).toBeGreaterThan(0)
    expect(runs.active).toBe(false)
  })

  it('stops the latest run through cancelRun with its run id', async () => {
    const calls: unknown[] = []
    setApi({
      cancelRun: async (input: unknown) => (calls.push(input), { cancelled: 2 }),
    } as unknown as RendererApi)
    const runs = useRunsStore()
    runs.track([1, 2], 42, SPEC)
    expect(await runs.stop()).toBe(2)
    expect(calls).toEqual([{ runId: 42 }])
    expect(runs.message).toBe('Stopped: 2 requests cancelled.')
  })

  it('knows what each request was sent with, collection files included, for Duplicate and Copy as cURL', () => {
    const runs = useRunsStore()
    const files = { dir: '/c', body: { type: 'file' as const, filePath: 'a.bin', contentType: '' } }
    runs.track([5, 6], 1, SPEC)
    runs.track([7], 2, { ...SPEC, method: 'PUT' }, files)
    expect(runs.sentFor(6)).toEqual({ spec: SPEC })
    expect(runs.sentFor(7)).toEqual({ spec: { ...SPEC, method: 'PUT' }, files })
    expect(runs.sentFor(8)).toBeNull()
  })
})
