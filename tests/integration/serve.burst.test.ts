import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerFrame } from '../../electron/contract'
import { startServe, type ServeHandle } from '../../electron/serve'
import { startHttpServer, type TestServer } from '../helpers/servers'
import { connectClient, STATIC_DIR } from './serve.client'

const BURST = 2000

let server: ServeHandle
let target: TestServer

beforeAll(async () => {
  server = await startServe({ staticDir: STATIC_DIR, note: () => {} })
  target = await startHttpServer()
})
afterAll(async () => {
  await server.close()
  await target.close()
})

describe('browser mode under a burst', () => {
  it(`delivers ${BURST} requests' events in at most one frame per 16 ms, none lost, in seq order`, async () => {
    const client = await connectClient(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    const frames: Array<{ at: number; seqs: number[]; completed: number }> = []
    const allDone = new Promise<void>((resolve) => {
      let completed = 0
      client.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as ServerFrame
        if (frame.kind !== 'events') return
        const done = frame.events.filter((e) => e.type === 'request:completed').length
        frames.push({ at: performance.now(), seqs: frame.events.map((e) => e.seq), completed: done })
        completed += done
        if (completed === BURST) resolve()
      })
    })
    const started = performance.now()
    const result = await client.call('send', {
      request: { method: 'GET', url: `${target.url}/?q=python&v=1.0`, headers: [], body: null },
      repeat: BURST,
      concurrency: 6,
    })
    expect(result.ok).toBe(true)
    await allDone
    const duration = frames.at(-1)!.at - started
    console.info(
      `${BURST} requests over browser mode: ${duration.toFixed(0)} ms, ${frames.length} event frames ` +
        `(bound ${Math.ceil(duration / 16) + 1})`,
    )
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(duration / 16) + 1)
    const seqs = frames.flatMap((f) => f.seqs)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    client.ws.terminate()
  })
})
