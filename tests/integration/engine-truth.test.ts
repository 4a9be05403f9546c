import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { closeAfterEach, get, record, startRawServer } from '../helpers/engine'
import { startH2Server, startHttpsServer } from '../helpers/servers'

/**
 * An HTTP/1.1 server that counts what it saw (requests, and which socket each came on) and can
 * close each connection after `perSocket` responses: with a FIN and no `Connection: close`
 * (`fin`, as hypercorn does) or with the header (`header`, as nginx's keepalive_requests does).
 */
async function countingServer(
  options: { perSocket?: number; close?: 'fin' | 'header'; holdMs?: number; keepAliveMs?: number } = {},
) {
  const ports: number[] = []
  const perSocket = new Map<Socket, number>()
  const server = http.createServer((req, res) => {
    const socket = req.socket
    const n = (perSocket.get(socket) ?? 0) + 1
    perSocket.set(socket, n)
    ports.push(socket.remotePort ?? 0)
    const last = options.perSocket !== undefined && n >= options.perSocket
    req.resume()
    req.on('end', () => {
      const send = () => {
        if (last && options.close === 'header') res.setHeader('connection', 'close')
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('ok')
        if (last && options.close === 'fin') res.on('finish', () => socket.end())
      }
      if (options.holdMs) setTimeout(send, options.holdMs)
      else send()
    })
  })
  server.keepAliveTimeout = options.keepAliveMs ?? 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => ports.length,
    sockets: () => new Set(ports).size,
    ports,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe('connection truth against what the server saw', () => {
  const t = closeAfterEach()
  let stop: (() => Promise<void>) | null = null
  const done = async () => {
    await t.engine?.close()
    await stop?.()
    stop = null
  }

  it('never writes on a socket the server closed with a FIN after each response', async () => {
    const server = await countingServer({ perSocket: 1, close: 'fin' })
    stop = server.close
    t.engine = createEngine()
    const results = []
    for (let i = 0; i < 5; i++) results.push(await t.engine.send(get(`${server.url}/${i}`)))
    for (const r of [
      ...results,
      await t.engine.send({ method: 'POST', url: `${server.url}/p`, headers: [], body: 'x' }),
    ]) {
      expect(r.error).toBeNull()
    }
    expect(server.requests()).toBe(6)
    expect(server.sockets()).toBe(6)
    expect(results.slice(1).map((r) => r.reason)).toEqual(Array(4).fill('server-closed'))
    await t.engine.settled()
    const conns = t.engine.connections()
    expect(conns.map((c) => c.closeReason)).toEqual(Array(6).fill('server-closed'))
    expect(conns.map((c) => c.requests)).toEqual(Array(6).fill(1))
    await done()
  })

  it('never writes on a closed socket when requests queue for a pool at its limit', async () => {
    // As hypercorn does: one response without Connection or Keep-Alive, then nothing more is read
    // and the FIN follows 5 ms later (a request written meanwhile is never answered). With -c 4 over
    // 2 connections requests wait for a socket; undici's own queue hands one to a freed connection
    // at once, so each socket must be retired by its FIN before a waiting request is written on it.
    const ports: number[] = []
    const raw = await startRawServer((s) =>
      s.once('data', () => {
        ports.push(s.remotePort ?? 0)
        s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok')
        setTimeout(() => s.end(), 5)
      }),
    )
    stop = raw.close
    t.engine = createEngine({ defaults: { connections: 2 } })
    const { done: all } = t.engine.run({ request: get(`${raw.url}/q`), repeat: 12, concurrency: 4 })
    const results = await all
    expect(results.map((r) => r.error)).toEqual(Array(12).fill(null))
    expect(ports).toHaveLength(12)
    expect(new Set(ports).size).toBe(12)
    const conns = t.engine.connections()
    expect(conns.map((c) => c.requests)).toEqual(Array(12).fill(1))
    expect(new Set(conns.slice(2).map((c) => c.openReason))).toEqual(new Set(['server-closed']))
    await done()
  })

  it('names server-closed for a replacement socket while the pool is at its limit', async () => {
    const server = await countingServer({ perSocket: 2, close: 'header', holdMs: 5 })
    stop = server.close
    t.engine = createEngine({ defaults: { connections: 2 } })
    const { done: all } = t.engine.run({ request: get(`${server.url}/`), repeat: 12, concurrency: 4 })
    const results = await all
    expect(results.every((r) => r.error === null)).toBe(true)
    expect(server.requests()).toBe(12)
    const conns = t.engine.connections()
    expect(conns).toHaveLength(server.sockets())
    expect(conns.slice(2).map((c) => c.openReason)).toEqual(Array(conns.length - 2).fill('server-closed'))
    for (const c of conns) expect(c.requests).toBe(2)
    await done()
  })

  it('shows the last socket closed when the server closes it right after the response', async () => {
    const server = await countingServer({ perSocket: 1, close: 'header' })
    stop = server.close
    t.engine = createEngine()
    await t.engine.send(get(`${server.url}/a`))
    await t.engine.send(get(`${server.url}/b`))
    await t.engine.settled()
    const conns = t.engine.connections()
    expect(conns.map((c) => c.closeReason)).toEqual(['connection-close', 'connection-close'])
    await done()
  })

  it('reports HTTP/1.0 as 1.0 and its close as the protocol default', async () => {
    const raw = await startRawServer((s) =>
      s.once('data', () => s.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold')),
    )
    stop = raw.close
    t.engine = createEngine()
    const r = await t.engine.send(get(`${raw.url}/`))
    expect(r.error).toBeNull()
    expect(r.httpVersion).toBe('1.0')
    await t.engine.settled()
    const c = t.engine.connections()[0]!
    expect(c.closeReason).toBe('connection-close')
    expect(c.closeDetail).toBe('HTTP/1.0 response without keep-alive')
    await done()
  })

  it('accepts an unsolicited 100 Continue before the response (RFC 9110 §15.2)', async () => {
    const raw = await startRawServer((s) =>
      s.once('data', () =>
        s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
      ),
    )
    stop = raw.close
    t.engine = createEngine()
    const r = await t.engine.send(get(`${raw.url}/`))
    expect(r.error).toBeNull()
    expect(r.status).toBe(200)
    expect(t.engine.getBody(r.id)?.data).toBe('ok')
    await done()
  })

  it('fails an unsolicited 101 with one typed line, and the next request still runs', async () => {
    let n = 0
    const raw = await startRawServer((s) =>
      s.on('data', () => {
        n++
        if (n === 1)
          s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n')
        else s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      }),
    )
    stop = raw.close
    t.engine = createEngine()
    const r = await t.engine.send(get(`${raw.url}/`))
    expect(r.error?.code).toBe('MALFORMED_RESPONSE')
    expect(r.error?.message).toMatch(/answered 101 Switching Protocols, but no upgrade was asked for$/)
    n = 1
    expect((await t.engine.send(get(`${raw.url}/`))).status).toBe(200)
    await done()
  })

  it('fails a complete body whose gzip data is corrupt with DECODE_FAILED', async () => {
    const good = zlib.gzipSync(Buffer.from('hello '.repeat(100)))
    const bad = Buffer.concat([good.subarray(0, good.length - 20), Buffer.alloc(12)])
    const raw = await startRawServer((s) =>
      s.once('data', () => {
        s.write(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bad.length}\r\n\r\n`)
        s.write(bad)
      }),
    )
    stop = raw.close
    t.engine = createEngine()
    const r = await t.engine.send(get(`${raw.url}/`))
    expect(r.status).toBe(200)
    expect(r.error?.code).toBe('DECODE_FAILED')
    expect(r.error?.phase).toBe('decode')
    await done()
  })

  it('keeps the id of a socket whose TLS handshake failed and lists it with the failure', async () => {
    const server = await startHttpsServer()
    t.server = server
    t.engine = createEngine()
    const failed = await t.engine.send(get(`${server.url}/`))
    expect(failed.error?.code).toBe('TLS_SELF_SIGNED')
    t.engine.configure(server.origin, { rejectUnauthorized: false })
    const ok = await t.engine.send(get(`${server.url}/`))
    expect(ok.socket).toBe(2)
    const conns = t.engine.connections()
    expect(conns.map((c) => c.id)).toEqual([1, 2])
    expect(conns[0]?.error?.code).toBe('TLS_SELF_SIGNED')
    expect(ok.reason).toBe('settings-changed')
  })

  it('says settings-changed, not fresh, for the first socket after configurePool', async () => {
    const server = await countingServer()
    stop = server.close
    t.engine = createEngine()
    await t.engine.send(get(`${server.url}/`))
    t.engine.configure(server.url, { connections: 3 })
    const r = await t.engine.send(get(`${server.url}/`))
    expect(r.reason).toBe('settings-changed')
    await done()
  })

  it('tells pipelined, multiplexed and idle reuse apart', async () => {
    const server = await countingServer({ holdMs: 20 })
    stop = server.close
    t.engine = createEngine({ defaults: { connections: 1, pipelining: 3 } })
    const piped = await t.engine.run({ request: get(`${server.url}/`), repeat: 3, concurrency: 3 }).done
    expect(piped.map((r) => r.reuse?.kind ?? null)).toEqual([null, 'pipelined', 'pipelined'])
    expect(piped[1]?.reuse?.behind).toBe(piped[0]?.id)
    const idle = await t.engine.send(get(`${server.url}/`))
    expect(idle.reuse).toEqual({ kind: 'idle', inFlight: 0, behind: null })
    const h2 = await startH2Server()
    t.server = h2
    const engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const streams = await engine.run({ request: get(`${h2.url}/`), repeat: 3, concurrency: 3 }).done
    expect(streams.map((r) => r.reuse?.kind ?? null)).toEqual([null, 'multiplexed', 'multiplexed'])
    expect(streams[2]?.reuse?.inFlight).toBe(2)
    await engine.close()
    await done()
  })

  it('cancels a queued and an in-flight request with CANCELLED and their phase', async () => {
    const server = await countingServer({ holdMs: 2000 })
    stop = server.close
    t.engine = createEngine({ defaults: { connections: 1 } })
    const rec = record(t.engine)
    const { runId, done: all } = t.engine.run({ request: get(`${server.url}/`), repeat: 2, concurrency: 2 })
    await rec.waitFor('request:bodySent')
    expect(t.engine.cancelRun(runId)).toBe(2)
    const results = await all
    expect(results.map((r) => r.error?.code)).toEqual(['CANCELLED', 'CANCELLED'])
    expect(results.map((r) => r.error?.phase)).toEqual(['wait', 'queue'])
    const controller = new AbortController()
    const one = t.engine.send(get(`${server.url}/`), { signal: controller.signal })
    controller.abort()
    expect((await one).error?.code).toBe('CANCELLED')
    await done()
  })

  it('lets an explicit keepAliveTimeout override a server hint that leaves no idle time', async () => {
    // Node sends `Keep-Alive: timeout=1`: minus the 1 s margin, the hint alone closes after each response.
    const server = await countingServer({ keepAliveMs: 1500 })
    stop = server.close
    const hinted = createEngine()
    await hinted.send(get(`${server.url}/a`))
    expect((await hinted.send(get(`${server.url}/b`))).reused).toBe(false)
    await hinted.close()
    t.engine = createEngine({ defaults: { keepAliveTimeout: 5000 } })
    await t.engine.send(get(`${server.url}/c`))
    const second = await t.engine.send(get(`${server.url}/d`))
    expect(second.reused).toBe(true)
    expect(t.engine.connections()[0]?.idleTimeout).toBe(5000)
    await done()
  })

  it('closes an idle h2 connection on the client idle timer', async () => {
    const h2 = await startH2Server()
    t.server = h2
    t.engine = createEngine({ defaults: { rejectUnauthorized: false, keepAliveTimeout: 100 } })
    const rec = record(t.engine)
    expect((await t.engine.send(get(`${h2.url}/`))).error).toBeNull()
    const closed = await rec.waitFor('socket:closed', undefined, 3000)
    expect(closed.reason).toBe('idle-timeout')
    expect(closed.detail).toMatch(/^idle \d+ ms ≥ keep-alive timeout 100 ms$/)
  })

  it('ends a drip-fed body at maxTime with MAX_TIME naming the phase', async () => {
    const raw = await startRawServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n')
        const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write('x')), 20)
      }),
    )
    stop = raw.close
    t.engine = createEngine({ defaults: { maxTime: 300 } })
    const started = Date.now()
    const r = await t.engine.send(get(`${raw.url}/`))
    expect(r.error?.code).toBe('MAX_TIME')
    expect(r.error?.phase).toBe('receive')
    expect(Date.now() - started).toBeLessThan(2000)
    await done()
  })
})
