import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type EngineApi } from '../../electron/engine'
import { startHttpServer } from '../helpers/servers'
import { get, record, startRawServer } from '../helpers/engine'

let closers: Array<() => Promise<void>> = []
let engine: EngineApi | undefined

afterEach(async () => {
  await engine?.close()
  for (const close of closers) await close()
  closers = []
  engine = undefined
})

async function http(handler: Parameters<typeof startHttpServer>[0]) {
  const server = await startHttpServer(handler)
  closers.push(server.close)
  return server
}

describe('failures are typed values', () => {
  it('fails with CONNECTION_REFUSED in the connect phase when nothing listens', async () => {
    const server = await startHttpServer()
    const url = server.url
    await server.close()
    engine = createEngine()
    const result = await engine.send(get(url))

    expect(result.error?.code).toBe('CONNECTION_REFUSED')
    expect(result.error?.phase).toBe('connect')
    expect(result.socket).toBeNull()
  })

  it('fails with HEADERS_TOO_LARGE on oversized response headers', async () => {
    const server = await http((_req, res) => {
      res.setHeader('x-big', 'a'.repeat(64 * 1024))
      res.end('ok')
    })
    engine = createEngine()
    const result = await engine.send(get(server.url))
    expect(result.error?.code).toBe('HEADERS_TOO_LARGE')
  })

  it('fails with MALFORMED_RESPONSE when the server writes garbage', async () => {
    const raw = await startRawServer((socket) => {
      socket.once('data', () => socket.end('HELLO THERE\r\n\r\n'))
    })
    closers.push(raw.close)
    engine = createEngine()
    const result = await engine.send(get(raw.url))
    expect(result.error?.code).toBe('MALFORMED_RESPONSE')
  })

  it('fails in the receive phase when the connection is reset mid-body', async () => {
    const raw = await startRawServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100000\r\n\r\n')
        socket.write('x'.repeat(1000), () => socket.destroy())
      })
    })
    closers.push(raw.close)
    engine = createEngine()
    const result = await engine.send(get(raw.url))
    expect(result.status).toBe(200)
    expect(result.error?.code).toBe('CONNECTION_RESET')
    expect(result.error?.phase).toBe('receive')
    expect(result.wireBytes).toBe(1000)
  })

  it('names the phase and the limit when response headers time out', async () => {
    const server = await http(() => {
      // Never answers; the server's close() destroys the socket.
    })
    engine = createEngine()
    engine.configure(server.origin, { headersTimeout: 200 })
    const result = await engine.send(get(server.url))
    expect(result.error?.code).toBe('HEADERS_TIMEOUT')
    expect(result.error?.phase).toBe('wait')
    expect(result.error?.message).toContain('200 ms')
  })

  it('names the receive phase when the body stalls past the body timeout', async () => {
    const server = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' })
      res.write('12345')
    })
    engine = createEngine()
    engine.configure(server.origin, { bodyTimeout: 200 })
    const result = await engine.send(get(server.url))
    expect(result.error).toMatchObject({ code: 'BODY_TIMEOUT', phase: 'receive' })
    expect(result.wireBytes).toBe(5)
  })

  it('reports bad input as a typed error without touching the network', async () => {
    engine = createEngine()
    const result = await engine.send(get('ftp://example.test/file'))
    expect(result.error).toMatchObject({ code: 'UNSUPPORTED_SCHEME', phase: 'input' })
    expect(engine.connections()).toHaveLength(0)
  })

  it('refuses CONNECT with a one-line reason', async () => {
    const server = await http(() => {})
    engine = createEngine()
    const result = await engine.send({
      method: 'CONNECT',
      url: server.url,
      headers: [],
      body: null,
    })
    expect(result.error).toMatchObject({ code: 'INVALID_METHOD', phase: 'input' })
    expect(result.error?.message).toContain('CONNECT')
  })
})

describe('gzip bomb', () => {
  let bomb: Buffer
  beforeAll(async () => {
    // 1 GiB of zeros, gzip-compressed to about 1 MiB, made once by streaming.
    const chunk = Buffer.alloc(1024 * 1024)
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 1024; i++) yield chunk
      })(),
    )
    const parts: Buffer[] = []
    for await (const part of source.pipe(zlib.createGzip({ level: 1 }))) parts.push(part as Buffer)
    bomb = Buffer.concat(parts)
  }, 60_000)

  it('stops decoding at the cap and keeps memory bounded', async () => {
    const server = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' })
      res.end(bomb)
    })
    engine = createEngine()
    const before = process.memoryUsage()
    const result = await engine.send(get(server.url))
    const after = process.memoryUsage()

    expect(result.error).toBeNull()
    expect(result.wireBytes).toBe(bomb.length)
    expect(result.truncated).toBe(true)
    expect(result.bodyBytes).toBeLessThanOrEqual(10 * 1024 * 1024)
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)
    expect(grown).toBeLessThan(100 * 1024 * 1024)
  })
})

describe('stale keep-alive sockets', () => {
  /** Answers the first request on each connection; destroys the connection on the second. */
  async function dropsSecondRequest() {
    const seen = { requests: 0, bodies: [] as string[] }
    const perSocket = new WeakMap<object, number>()
    const server = await http((req, res) => {
      seen.requests++
      const n = (perSocket.get(req.socket) ?? 0) + 1
      perSocket.set(req.socket, n)
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen.bodies.push(Buffer.concat(chunks).toString())
        if (n >= 2) req.socket.destroy()
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      })
    })
    return { server, seen }
  }

  it('retries a GET once on a fresh socket and records both attempts', async () => {
    const { server, seen } = await dropsSecondRequest()
    engine = createEngine()
    const events = record(engine)
    await engine.send(get(server.url))
    const final = await engine.send(get(server.url))

    expect(final.status).toBe(200)
    expect([final.socket, final.reason, final.reused]).toEqual([2, 'retry', false])
    const failed = events.of('request:failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]?.willRetry).toBe(true)
    expect(failed[0]?.result.error?.code).toBe('STALE_SOCKET')
    expect(failed[0]?.result.error?.message).toContain('socket #1')
    expect(final.retryOf).toBe(failed[0]?.result.id)
    expect(engine.results()).toHaveLength(3)
    expect(seen.requests).toBe(3)
  })

  it('never sends a POST twice and says why it was not retried', async () => {
    const { server, seen } = await dropsSecondRequest()
    engine = createEngine()
    const post = (body: string) => ({ method: 'POST', url: server.url, headers: [], body })
    await engine.send(post('one'))
    const second = await engine.send(post('two'))

    expect(second.error?.code).toBe('STALE_SOCKET')
    expect(second.error?.message).toMatch(/not retried/)
    expect(engine.results()).toHaveLength(2)
    expect(seen.bodies).toEqual(['one', 'two'])
  })
})
