import http2, { type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { closeAfterEach, get, record } from '../helpers/engine'
import { makeCertificate } from '../helpers/servers'

/**
 * A loopback h2 server that ends each connection the way nginx's `keepalive_requests` and nghttpx's
 * `--frontend-max-requests` do: after `limit` streams it answers them and sends GOAWAY(NO_ERROR)
 * with last_stream_id = the last stream it processed; streams above it are never answered.
 * `processed` counts what the server handled: the oracle for "nothing was sent twice".
 */
async function goawayServer(options: {
  limit: number
  code?: number
  idleGoawayMs?: number
  holdMs?: number
}) {
  const { key, cert } = await makeCertificate()
  const server = http2.createSecureServer({ key, cert })
  const sessions = new Set<ServerHttp2Session>()
  let processed = 0
  const paths: string[] = []
  server.on('session', (session) => {
    sessions.add(session)
    session.on('close', () => sessions.delete(session))
    let count = 0
    let idle: NodeJS.Timeout | null = null
    session.on('stream', (stream: ServerHttp2Stream, headers) => {
      if (idle) clearTimeout(idle)
      // The client resets the streams this server did not process (they are above the GOAWAY).
      stream.on('error', () => {})
      if (count >= options.limit) return // above last_stream_id: not processed
      count++
      processed++
      paths.push(`${headers[':method']} ${headers[':path']}`)
      const last = count === options.limit
      const respond = () => {
        if (stream.destroyed) return
        stream.respond({ ':status': 200, 'content-type': 'text/plain' })
        stream.end(`ok ${headers[':path']}`)
      }
      stream.resume()
      if (last) {
        // Processed, then GOAWAY naming this stream as the last; its response still follows.
        session.goaway(options.code ?? 0, stream.id)
        setTimeout(respond, options.holdMs ?? 5)
      } else setTimeout(respond, options.holdMs ?? 5)
      if (options.idleGoawayMs !== undefined && !last) {
        stream.on('close', () => {
          idle = setTimeout(() => !session.destroyed && session.goaway(0, stream.id), options.idleGoawayMs)
        })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}`,
    processed: () => processed,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('HTTP/2 GOAWAY (RFC 9113 §6.8)', () => {
  const t = closeAfterEach()
  let close: (() => Promise<void>) | null = null
  const stop = async () => {
    await t.engine?.close()
    await close?.()
    close = null
  }

  it('answers streams up to last_stream_id, sends the rest once on a new connection', async () => {
    const server = await goawayServer({ limit: 3 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const engine = t.engine
    const { done } = engine.run({ request: get(`${server.url}/x`), repeat: 10, concurrency: 10 })
    const results = await done
    const final = results.filter((r) => r.error === null)
    expect(final).toHaveLength(10)
    // The server processed exactly the 10 requests the user sent: nothing twice.
    expect(server.processed()).toBe(10)
    await engine.settled()
    const unprocessed = results.filter((r) => r.error !== null)
    for (const r of unprocessed) expect(r.error?.code).toBe('NOT_PROCESSED')
    const connections = engine.connections()
    const first = connections[0]!
    expect(first.closeReason).toBe('server-closed')
    expect(first.closeDetail).toBe('server sent GOAWAY (NO_ERROR) after 3 streams')
    expect(first.requests).toBe(3)
    expect(connections[1]?.openReason).toBe('goaway')
    await stop()
  })

  it('never sends a POST the server processed twice, and resends one it did not', async () => {
    const server = await goawayServer({ limit: 2 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const post = { method: 'POST', url: `${server.url}/p`, headers: [], body: 'x' }
    const { done } = t.engine.run({ request: post, repeat: 4, concurrency: 4 })
    const results = await done
    expect(results.filter((r) => r.status === 200)).toHaveLength(4)
    expect(server.paths.filter((p) => p === 'POST /p')).toHaveLength(4)
    await stop()
  })

  it('survives 50 requests, 10 at a time, over connections that each end after 7 streams', async () => {
    const server = await goawayServer({ limit: 7, holdMs: 1 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const { done } = t.engine.run({ request: get(`${server.url}/y`), repeat: 50, concurrency: 10 })
    const results = await done
    expect(results.filter((r) => r.status === 200)).toHaveLength(50)
    expect(server.processed()).toBe(50)
    // Once the first GOAWAY says 7 per connection, later connections start 7 streams, not 10:
    // only the first burst (and a GOAWAY racing a budget raise) is sent again.
    expect(results.length - 50).toBeLessThanOrEqual(10)
    const conns = t.engine.connections()
    expect(conns.reduce((n, c) => n + c.requests, 0)).toBe(50)
    await stop()
  })

  it('reports an idle GOAWAY as a server close and names it on the next socket', async () => {
    const server = await goawayServer({ limit: 100, idleGoawayMs: 20 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const rec = record(t.engine)
    expect((await t.engine.send(get(`${server.url}/a`))).error).toBeNull()
    const closed = await rec.waitFor('socket:closed')
    expect(closed.reason).toBe('server-closed')
    expect(closed.detail).toMatch(/^server sent GOAWAY \(NO_ERROR\) after idling \d+ ms \(1 stream\)$/)
    const second = await t.engine.send(get(`${server.url}/b`))
    expect(second.error).toBeNull()
    expect(second.reason).toBe('goaway')
    await stop()
  })

  it('fails a processed stream with the GOAWAY error code it names', async () => {
    const server = await goawayServer({ limit: 1, code: 1, holdMs: 50 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const rec = record(t.engine)
    const result = await t.engine.send(get(`${server.url}/e`))
    expect(result.error?.code).toBe('GOAWAY')
    expect(result.error?.message).toContain('PROTOCOL_ERROR')
    const closed = await rec.waitFor('socket:closed')
    expect(closed.reason).toBe('error')
    expect(closed.detail).toContain('GOAWAY (PROTOCOL_ERROR)')
    await stop()
  })

  it('fails a response cut by the connection dropping mid-body, not a short success', async () => {
    const { key, cert } = await makeCertificate()
    const server = http2.createSecureServer({ key, cert })
    server.on('stream', (stream) => {
      stream.respond({ ':status': 200 })
      stream.write('partial')
      setTimeout(() => stream.session?.destroy(), 10)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    close = () => new Promise<void>((resolve) => server.close(() => resolve()))
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const { port } = server.address() as AddressInfo
    const result = await t.engine.send(get(`https://127.0.0.1:${port}/`))
    expect(result.error?.code).toBe('CONNECTION_RESET')
    expect(result.error?.phase).toBe('receive')
    await stop()
  })

  it('never sends a cancelled request that was waiting for the connection', async () => {
    const server = await goawayServer({ limit: 100, holdMs: 50 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const { runId, requestIds, done } = t.engine.run({
      request: get(`${server.url}/c`),
      repeat: 3,
      concurrency: 3,
    })
    // All three wait for the first connection's ALPN; cancel two of them while they wait.
    expect(t.engine.cancel(requestIds[1]!)).toBe(true)
    expect(t.engine.cancel(requestIds[2]!)).toBe(true)
    const results = await done
    expect(results.map((r) => r.error?.code ?? null)).toEqual([null, 'CANCELLED', 'CANCELLED'])
    expect(server.processed()).toBe(1)
    expect(t.engine.cancelRun(runId)).toBe(0)
    await stop()
  })

  it('opens a fresh h2 connection per request with --fresh and says why', async () => {
    const server = await goawayServer({ limit: 100 })
    close = server.close
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const a = await t.engine.send(get(`${server.url}/1`, { fresh: true }))
    const b = await t.engine.send(get(`${server.url}/2`, { fresh: true }))
    expect([a.error, b.error]).toEqual([null, null])
    expect([a.reason, b.reason]).toEqual(['first', 'fresh'])
    expect(a.socket).not.toBe(b.socket)
    await stop()
  })
})
