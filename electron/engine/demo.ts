import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32, deflateSync } from 'node:zlib'

/** The loopback demo server behind the first-run example. */
export interface DemoServer {
  /** e.g. `http://127.0.0.1:40123` */
  baseUrl: string
  close(): Promise<void>
}

const LANGUAGES: Record<string, string[]> = {
  python: ['requests', 'urllib3', 'httpx', 'aiohttp'],
  php: ['guzzle', 'symfony/http-client', 'curl'],
  node: ['undici', 'node:http', 'got', 'axios'],
  go: ['net/http', 'resty'],
}

const MAX_SLOW_MS = 5000

function json(res: ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** A small PNG (stripes), built once, so the demo has a binary body for the image and hex views. */
function stripesPng(size = 32): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'ascii')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
    return Buffer.concat([head, data, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const rows: number[] = []
  for (let y = 0; y < size; y++) {
    rows.push(0) // filter: none
    for (let x = 0; x < size; x++) rows.push(...((x + y) % 8 < 4 ? [250, 128, 114] : [40, 60, 90]))
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function route(png: Buffer, timers: Set<ReturnType<typeof setTimeout>>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://demo')
    // The body is not needed by any route; draining it keeps the connection reusable.
    req.resume()
    switch (url.pathname) {
      case '/search': {
        const q = url.searchParams.get('q') ?? ''
        const v = url.searchParams.get('v') ?? '1.0'
        const results = (LANGUAGES[q.toLowerCase()] ?? []).map((name) => ({ name, version: v }))
        return json(res, 200, { query: q, version: v, count: results.length, results })
      }
      case '/close':
        // Connection: close makes the client open a new socket for the next request (RFC 9112 §9.6).
        return json(res, 200, { closing: true }, { connection: 'close' })
      case '/slow': {
        const wanted = Number(url.searchParams.get('ms') ?? 800)
        const ms = Number.isFinite(wanted) ? Math.min(Math.max(wanted, 0), MAX_SLOW_MS) : 800
        const timer = setTimeout(() => {
          timers.delete(timer)
          json(res, 200, { waitedMs: ms })
        }, ms)
        timers.add(timer)
        return
      }
      case '/image.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
        return res.end(png)
      case '/':
        return json(res, 200, {
          endpoints: ['/search?q=python&v=1.0', '/close', '/slow?ms=800', '/image.png'],
        })
      default:
        return json(res, 404, { error: `no demo endpoint ${url.pathname}` })
    }
  }
}

/**
 * Start the demo server on 127.0.0.1, port 0: JSON search (`/search?q=python&v=1.0`), a
 * `Connection: close` endpoint (`/close`), a slow one (`/slow?ms=N`, at most 5 s) and a PNG.
 * Loopback only, so the first-run example works without internet and exposes nothing.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const server = http.createServer(route(stripesPng(), timers))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
