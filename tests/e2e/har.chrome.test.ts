/**
 * A Chrome-made HAR keeps its connection ids: Chromium loads a loopback page with several resources
 * (its DevTools protocol events become a HAR as DevTools writes it), `sockeye open` reads it, and the
 * server's own log is the judge: two requests share a Sockeye socket exactly when the server saw them
 * on the same client port.
 */
import http from 'node:http'
import { existsSync } from 'node:fs'
import type { AddressInfo, Socket } from 'node:net'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openHar } from '../../electron/workspace/import/recording'
import { recordHar } from '../helpers/cdpHar'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const RESOURCES = 10

describe('Chrome HAR → sockeye open', () => {
  it('maps Chrome connection ids to sockets the way the server saw them', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium`)
    const log: Array<{ path: string; port: number }> = []
    const sockets = new Set<Socket>()
    const server = http.createServer((req, res) => {
      const path = req.url ?? '/'
      log.push({ path, port: req.socket.remotePort ?? 0 })
      if (path === '/') {
        const tags = Array.from({ length: RESOURCES }, (_, i) => `<img src="/r${i}.svg">`).join('')
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end(`<!doctype html><title>x</title><link rel="icon" href="data:,">${tags}`)
        return
      }
      // Resources answer after 50 ms so several are in flight at once and Chrome opens more sockets.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'image/svg+xml' })
        res.end('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
      }, 50)
    })
    server.on('connection', (s: Socket) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const { port } = server.address() as AddressInfo
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
      headless: true,
    })
    try {
      const page = await browser.newPage()
      const recorder = await recordHar(await page.context().newCDPSession(page))
      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' })
      await recorder.finished(RESOURCES + 1)
      const recording = openHar(recorder.har())

      const byPath = new Map(recording.requests.map((r) => [new URL(r.url).pathname, r]))
      const served = log.filter((l) => byPath.has(l.path))
      expect(served).toHaveLength(RESOURCES + 1)
      for (const a of served) {
        for (const b of served) {
          const sameSocket = byPath.get(a.path)?.socket === byPath.get(b.path)?.socket
          expect(sameSocket, `${a.path} and ${b.path}`).toBe(a.port === b.port)
        }
      }
      expect(recording.connections).toHaveLength(new Set(served.map((l) => l.port)).size)
      // More resources than Chrome's 6 sockets per host: some were reused, and the story says so.
      expect(recording.requests.some((r) => r.reused)).toBe(true)
      expect(recording.requests[0]?.reason).toBe('first')
      expect(recording.connections.every((c) => /^\d+$/.test(c.recorded))).toBe(true)
    } finally {
      await browser.close()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
