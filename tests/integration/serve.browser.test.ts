import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeHandle } from '../../electron/serve'
import { startHttpServer, type TestServer } from '../helpers/servers'
import { STATIC_DIR } from './serve.client'

let browser: Browser
let server: ServeHandle
let otherSite: TestServer

beforeAll(async () => {
  server = await startServe({ staticDir: STATIC_DIR, note: () => {} })
  // Another page on loopback, as any site the user visits could be after DNS rebinding.
  otherSite = await startHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><title>other site</title>')
  })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
    headless: true,
  })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await otherSite?.close()
})

describe('browser mode in Chromium', () => {
  it('loads every asset of the page with the token cookie and opens the WebSocket', async () => {
    const page = await browser.newPage()
    const failures: string[] = []
    page.on('response', (res) => {
      if (res.status() >= 400) failures.push(`${res.status()} ${res.url()}`)
    })
    const firstFrame = new Promise<string>((resolve) =>
      page.on('websocket', (ws) => ws.on('framereceived', (frame) => resolve(String(frame.payload)))),
    )
    await page.goto(server.url)
    // The renderer's first call is a snapshot; its result proves the socket passed every check.
    expect(JSON.parse(await firstFrame)).toMatchObject({ kind: 'result', result: { ok: true } })
    expect(failures).toEqual([])
    await page.close()
  })

  it('refuses another site’s page that knows the token: no WebSocket, no readable page', async () => {
    const page = await browser.newPage()
    await page.goto(otherSite.url)
    const outcome = await page.evaluate(
      async ({ ws, index }) => {
        const socket = await new Promise<string>((resolve) => {
          const s = new WebSocket(ws)
          s.onopen = () => resolve('open')
          s.onerror = () => resolve('refused')
        })
        const read = await fetch(index).then(
          (r) => r.text().then(() => 'read'),
          () => 'blocked',
        )
        return { socket, read }
      },
      { ws: `ws://127.0.0.1:${server.port}/ws?token=${server.token}`, index: server.url },
    )
    expect(outcome).toEqual({ socket: 'refused', read: 'blocked' })
    await page.close()
  })
})
