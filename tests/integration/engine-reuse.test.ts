import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { echo, startHttpServer } from '../helpers/servers'
import { closeAfterEach, gate, get, record } from '../helpers/engine'

const t = closeAfterEach()

describe('connection reuse on HTTP/1.1', () => {
  it('reuses the socket for a second GET on a pool of one (the founding scenario)', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine({ defaults: { connections: 1 } })
    const a = await t.engine.send(get(`${t.server.url}/?q=python&v=1.0`))
    const b = await t.engine.send(get(`${t.server.url}/?q=php&v=1.0`))

    for (const r of [a, b]) {
      expect(r.error).toBeNull()
      expect(r.status).toBe(200)
      expect(r.contentType).toBe('application/json')
      expect(r.bodyBytes).toBeGreaterThan(0)
      expect(r.bodyBytes).toBe(Buffer.byteLength(t.engine.getBody(r.id)!.data))
    }
    expect(JSON.parse(t.engine.getBody(b.id)!.data).query).toEqual({ q: 'php', v: '1.0' })
    expect([a.socket, a.reused, a.nth, a.reason]).toEqual([1, false, 1, 'first'])
    expect([b.socket, b.reused, b.nth, b.reason]).toEqual([1, true, 2, null])
    expect(b.timings.connect).toBe(-1)
    expect(b.requestHeaders).toEqual([
      ['host', `127.0.0.1:${t.server.port}`],
      ['connection', 'keep-alive'],
    ])
    const stats = t.engine.stats().find((s) => s.origin === t.server!.origin)
    expect([stats?.numConnections, stats?.numRequests]).toEqual([1, 2])
    expect(t.server.connections()).toBe(1)
  })

  it('keeps sequential requests on one socket with the default six connections', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine()
    const results = await t.engine.run({ request: get(t.server.url), repeat: 5 }).done

    expect(results.map((r) => r.socket)).toEqual([1, 1, 1, 1, 1])
    expect(results.map((r) => r.nth)).toEqual([1, 2, 3, 4, 5])
    expect(t.server.connections()).toBe(1)
  })

  it('opens a new socket per request when every response says Connection: close', async () => {
    t.server = await startHttpServer((req, res) => {
      res.setHeader('connection', 'close')
      echo(req, res)
    })
    t.engine = createEngine()
    const events = record(t.engine)
    const { done } = t.engine.run({ request: get(t.server.url), repeat: 3 })
    const results = await done

    expect(results.map((r) => r.socket)).toEqual([1, 2, 3])
    expect(results.map((r) => r.reason)).toEqual(['first', 'server-closed', 'server-closed'])
    await events.waitFor('socket:closed', (e) => e.socketId === 3)
    const closes = events.of('socket:closed')
    expect(closes.map((e) => e.reason)).toEqual(['connection-close', 'connection-close', 'connection-close'])
    expect(t.server.connections()).toBe(3)
  })

  it('opens a new socket without error after the keep-alive timeout the server announced', async () => {
    // Node sends `Keep-Alive: timeout=1` and closes idle sockets after 1 s.
    t.server = await startHttpServer(echo, { keepAliveTimeout: 1000 })
    t.engine = createEngine()
    const results = await t.engine.run({ request: get(t.server.url), repeat: 2, delayMs: 1500 }).done

    expect(results.map((r) => r.error)).toEqual([null, null])
    expect(results.map((r) => r.socket)).toEqual([1, 2])
    expect(results[1]?.reason).toBe('keep-alive-expired')
    const first = t.engine.connections().find((c) => c.id === 1)
    expect(first?.keepAliveHint).toEqual({ timeout: 1, max: null })
    expect(first?.closeReason).toBe('idle-timeout')
  })

  it('closes an idle socket after its own keep-alive timeout when the server gives no hint', async () => {
    // keepAliveTimeout 0: node sends no Keep-Alive header and never closes idle sockets itself.
    t.server = await startHttpServer(echo, { keepAliveTimeout: 0 })
    t.engine = createEngine({ defaults: { keepAliveTimeout: 200 } })
    const events = record(t.engine)
    await t.engine.send(get(t.server.url))
    const closed = await events.waitFor('socket:closed', (e) => e.socketId === 1)
    const second = await t.engine.send(get(t.server.url))

    expect(closed.reason).toBe('idle-timeout')
    expect(closed.detail).toMatch(/keep-alive timeout 200 ms/)
    expect([second.socket, second.reason, second.error]).toEqual([2, 'keep-alive-expired', null])
  })

  it('says server-closed when the server drops an idle socket before its announced timeout', async () => {
    t.server = await startHttpServer(
      (req, res) => {
        res.setHeader('keep-alive', 'timeout=30')
        echo(req, res)
      },
      { keepAliveTimeout: 300 },
    )
    t.engine = createEngine()
    const events = record(t.engine)
    await t.engine.send(get(t.server.url))
    await events.waitFor('socket:closed', (e) => e.socketId === 1)
    const second = await t.engine.send(get(t.server.url))

    expect(second.error).toBeNull()
    expect([second.socket, second.reason]).toEqual([2, 'server-closed'])
    expect(events.of('socket:closed')[0]?.reason).toBe('server-closed')
  })

  it('spreads 10 concurrent requests over exactly 2 sockets and queues the rest', async () => {
    const held = gate()
    t.server = await startHttpServer(async (req, res) => {
      if (held.count() === 1) {
        held.release()
        echo(req, res)
        return
      }
      await held.hold()
      echo(req, res)
    })
    t.engine = createEngine({ defaults: { connections: 2 } })
    const events = record(t.engine)
    const results = await t.engine.run({ request: get(t.server.url), repeat: 10, concurrency: 10 }).done

    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(new Set(results.map((r) => r.socket))).toEqual(new Set([1, 2]))
    expect(t.engine.connections()).toHaveLength(2)
    expect(t.server.connections()).toBe(2)
    expect(results.filter((r) => r.reused)).toHaveLength(8)
    expect(results.filter((r) => r.timings.blocked > 0).length).toBeGreaterThanOrEqual(8)
    const queued = events.of('pool:stats').map((e) => e.stats.queued)
    expect(Math.max(...queued)).toBeGreaterThanOrEqual(8)
    expect(results.map((r) => r.reason).filter((r) => r !== null)).toEqual(['first', 'all-busy'])
  })

  it('writes pipelined requests before the first response arrives', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine({ defaults: { connections: 1, pipelining: 3 } })
    const events = record(t.engine)
    const results = await t.engine.run({ request: get(t.server.url), repeat: 3, concurrency: 3 }).done

    expect(results.map((r) => [r.socket, r.nth])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ])
    const firstResponse = events.of('request:responseHeaders')[0]!.seq
    const sent = events.of('request:headersSent').map((e) => e.seq)
    expect(sent).toHaveLength(3)
    expect(sent.every((seq) => seq < firstResponse)).toBe(true)
  })
})

describe('events and run-time control', () => {
  it('emits one request lifecycle in order with increasing seq', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine()
    const events = record(t.engine)
    const result = await t.engine.send(get(`${t.server.url}/?size=200000`))
    await events.waitFor('pool:stats', (e) => e.stats.running === 0 && e.stats.numRequests === 1)

    const mine = events.events.filter(
      (e) =>
        ('requestId' in e && e.requestId === result.id) ||
        ('socketId' in e && e.socketId === 1) ||
        (e.type === 'socket:opened' && e.connection.id === 1) ||
        (e.type === 'request:completed' && e.result.id === result.id),
    )
    const order = mine
      .map((e) => e.type)
      .filter((t, i, all) => t !== 'request:bodyProgress' || all[i - 1] !== t)
    expect(order).toEqual([
      'request:queued',
      'socket:connecting',
      'socket:opened',
      'request:assigned',
      'request:headersSent',
      'request:bodySent',
      'request:responseHeaders',
      'request:bodyProgress',
      'request:completed',
    ])
    const seqs = events.events.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(seqs.length)
    const last = events.of('request:bodyProgress').at(-1)
    expect(last?.wireBytes).toBe(200000)
    expect(result.timings.wait).toBeGreaterThan(0)
    expect(result.timings.dns).toBe(-1)
  })

  it('changes settings while requests are in flight without dropping any', async () => {
    const held = gate()
    let open = false
    t.server = await startHttpServer(async (req, res) => {
      if (!open) await held.hold()
      echo(req, res)
    })
    t.engine = createEngine({ defaults: { connections: 1 } })
    const events = record(t.engine)
    const before = t.engine.run({ request: get(t.server.url), repeat: 3, concurrency: 3 })
    await held.held(1)
    const settings = t.engine.configure(t.server.origin, { connections: 4 })
    expect(settings.connections).toBe(4)
    await events.waitFor('pool:settings')
    const after = t.engine.run({ request: get(t.server.url), repeat: 3, concurrency: 3 })
    // One request in flight on the old pool (1 connection), three on the new one (4 connections).
    await held.held(4)
    open = true
    held.release()
    const results = [...(await before.done), ...(await after.done)]

    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(new Set(results.slice(0, 3).map((r) => r.socket))).toEqual(new Set([1]))
    expect(results.slice(3).every((r) => r.socket !== 1)).toBe(true)
    const closed = await events.waitFor('socket:closed', (e) => e.socketId === 1)
    expect(closed.reason).toBe('pool-closed')
  })

  it('opens a fresh socket after closePool and for a request that asks for one', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine()
    const events = record(t.engine)
    await t.engine.send(get(t.server.url))
    expect(await t.engine.closePool(t.server.origin)).toBe(1)
    const afterClose = await t.engine.send(get(t.server.url))
    const fresh = await t.engine.send(get(t.server.url, { fresh: true }))

    expect([afterClose.socket, afterClose.reason]).toEqual([2, 'fresh'])
    expect([fresh.socket, fresh.reason]).toEqual([3, 'fresh'])
    const closes = events.of('socket:closed')
    expect(closes.map((e) => [e.socketId, e.reason])).toEqual([
      [1, 'pool-closed'],
      [2, 'pool-closed'],
    ])
    expect(events.of('pool:closed').map((e) => e.origin)).toEqual([t.server.origin])
  })

  it('sends a spec object changed in place as changed', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine()
    const spec = get(`${t.server.url}/a`)
    const a = await t.engine.send(spec)
    spec.url = `${t.server.url}/b`
    spec.headers.push(['x-n', '1'])
    const b = await t.engine.send(spec)
    spec.headers[0]![1] = '2'
    const c = await t.engine.send(spec)

    expect([a, b, c].map((r) => JSON.parse(t.engine!.getBody(r.id)!.data).path)).toEqual(['/a', '/b', '/b'])
    expect(b.requestHeaders).toContainEqual(['x-n', '1'])
    expect(c.requestHeaders).toContainEqual(['x-n', '2'])
  })

  it('answers calls made after close with typed results, not rejections', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine()
    await t.engine.send(get(t.server.url))
    await t.engine.close()
    t.engine.configure(t.server.origin, { connections: 2 })
    expect(await t.engine.closePool(null)).toBe(0)
    const late = await t.engine.send(get(t.server.url))
    expect(late.error?.code).toBe('POOL_CLOSED')
  })

  it('keeps at most maxHistory results and bodies, dropping the oldest', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine({ maxHistory: 3 })
    await t.engine.run({ request: get(t.server.url), repeat: 5 }).done

    expect(t.engine.results().map((r) => r.id)).toEqual([3, 4, 5])
    expect(t.engine.getBody(2)).toBeNull()
    expect(t.engine.getBody(5)?.bytes).toBeGreaterThan(0)
  })

  it('exports HAR entries naming the socket that carried each request', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine({ defaults: { connections: 1 } })
    await t.engine.send(get(`${t.server.url}/?q=python&v=1.0`))
    await t.engine.send({ method: 'POST', url: `${t.server.url}/?q=php&v=1.0`, headers: [], body: 'hi' })
    const har = t.engine.toHar()
    const entries = har.log.entries as Array<
      (typeof har.log.entries)[number] & { _socket?: { reused: boolean } }
    >

    expect(entries.map((e) => e.connection)).toEqual(['1', '1'])
    expect(entries.map((e) => e._socket?.reused)).toEqual([false, true])
    expect(entries[1]?.request.postData?.text).toBe('hi')
    expect(entries[0]?.serverIPAddress).toBe('127.0.0.1')
    expect(entries[1]?.timings.connect).toBe(-1)
  })
  it('with lifecycleEvents off emits only final results, socket and pool events, with the same records', async () => {
    t.server = await startHttpServer()
    t.engine = createEngine({ defaults: { connections: 1 }, lifecycleEvents: false })
    const events = record(t.engine)
    await t.engine.send(get(`${t.server.url}/?q=python&v=1.0`))
    await t.engine.send({ method: 'POST', url: `${t.server.url}/?q=php&v=1.0`, headers: [], body: 'hi' })
    const failed = await t.engine.send(get('http://'))

    const types = new Set(events.events.map((e) => e.type))
    expect([...types].filter((type) => type.startsWith('request:')).sort()).toEqual([
      'request:completed',
      'request:failed',
    ])
    expect(types.has('socket:opened')).toBe(true)
    const results = events.of('request:completed').map((e) => e.result)
    expect(results.map((r) => [r.socket, r.nth, r.reused, r.status, r.bodyBytes > 0])).toEqual([
      [1, 1, false, 200, true],
      [1, 2, true, 200, true],
    ])
    // The record keeps every phase although no progress event told of it.
    expect(results[1]!.timings.send).toBeGreaterThanOrEqual(0)
    expect(results[1]!.timings.wait).toBeGreaterThanOrEqual(0)
    expect(results[1]!.requestBodyBytes).toBe(2)
    expect(failed.error?.code).toBe('MISSING_HOST')
    expect(t.server.connections()).toBe(1)
  })

  it('opens another socket for a request sent while the reused one is busy (no queueing behind it)', async () => {
    // #1 then #2 in sequence reuse socket #1; #3, sent while #2 is still waiting for its response,
    // must not wait behind #2 on socket #1 when the pool has five more connections to give.
    const g = gate()
    t.server = await startHttpServer((req, res) => {
      if (req.url === '/slow') void g.hold().then(() => res.end('slow'))
      else res.end('ok')
    })
    t.engine = createEngine()
    const a = await t.engine.send(get(`${t.server.url}/`))
    const b = t.engine.send(get(`${t.server.url}/slow`))
    await g.held(1)
    const c = await t.engine.send(get(`${t.server.url}/`))
    expect(g.count()).toBe(1)
    g.release()
    const second = await b
    expect([a.socket, second.socket, second.reused]).toEqual([1, 1, true])
    expect([c.socket, c.reused, c.reason]).toEqual([2, false, 'all-busy'])
    expect(t.server.connections()).toBe(2)
  })
})
