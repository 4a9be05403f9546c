import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer, type DemoServer } from '../../electron/engine/demo'

let demo: DemoServer
beforeAll(async () => {
  demo = await startDemoServer()
})
afterAll(async () => {
  await demo.close()
})

describe('demo server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(demo.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('answers a search with a small JSON body echoing the query', async () => {
    const res = await fetch(`${demo.baseUrl}/search?q=php&v=1.0`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { query: string; version: string; results: unknown[] }
    expect(body).toMatchObject({ query: 'php', version: '1.0' })
    expect(body.results.length).toBeGreaterThan(0)
  })

  it('sends Connection: close from /close', async () => {
    const res = await fetch(`${demo.baseUrl}/close`)
    expect(res.headers.get('connection')).toBe('close')
  })

  it('delays /slow by the asked time', async () => {
    const started = performance.now()
    const res = await fetch(`${demo.baseUrl}/slow?ms=60`)
    expect(await res.json()).toEqual({ waitedMs: 60 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
  })

  it('clamps a negative /slow delay to zero', async () => {
    const res = await fetch(`${demo.baseUrl}/slow?ms=-5`)
    expect(await res.json()).toEqual({ waitedMs: 0 })
  })

  it('serves a valid 32×32 PNG', async () => {
    const res = await fetch(`${demo.baseUrl}/image.png`)
    expect(res.headers.get('content-type')).toBe('image/png')
    const png = Buffer.from(await res.arrayBuffer())
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([32, 32])
    const idatLength = png.readUInt32BE(33)
    const pixels = inflateSync(png.subarray(41, 41 + idatLength))
    expect(pixels.length).toBe(32 * (1 + 32 * 3))
  })

  it('answers an unknown path with a JSON 404', async () => {
    const res = await fetch(`${demo.baseUrl}/nope`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'no demo endpoint /nope' })
  })
})
