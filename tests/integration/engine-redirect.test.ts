import { afterEach, describe, expect, it } from 'vitest'
import type { RequestSpec } from '../../electron/contract'
import { createEngine, type EngineApi } from '../../electron/engine'
import { record } from '../helpers/engine'
import { startRedirectServer, type RedirectServer } from '../helpers/redirects'
import { startH2Server } from '../helpers/servers'
import { openHar } from '../../electron/workspace/import/recording'

/**
 * Followed redirects against real undici and loopback servers whose own logs (method, path,
 * headers, body, client port) say what each hop was and which connection carried it.
 */
describe('redirects', () => {
  let engine: EngineApi | null = null
  const servers: RedirectServer[] = []
  afterEach(async () => {
    await engine?.close()
    engine = null
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  const start = async (routes: Parameters<typeof startRedirectServer>[0]) => {
    const server = await startRedirectServer(routes)
    servers.push(server)
    return server
  }
  const follow = (max = 10) => ({ redirects: { follow: true, max } })
  /** A GET of `url` that follows at most `max` redirects. */
  const followed = (url: string, max = 10): RequestSpec => ({
    method: 'GET',
    url,
    headers: [],
    body: null,
    ...follow(max),
  })
  const post = (url: string, extra: Partial<RequestSpec> = {}): RequestSpec => ({
    method: 'POST',
    url,
    headers: [
      ['content-type', 'text/plain'],
      ['authorization', 'Bearer secret'],
    ],
    body: 'hello',
    ...extra,
  })

  it('is off by default: a 302 is one request and one row, nothing followed', async () => {
    const s = await start({ '/a': () => [302, '/b'] })
    engine = createEngine()
    const r = record(engine)
    const result = await engine.send(post(`${s.url}/a`))
    expect(result.status).toBe(302)
    expect(result.error).toBeNull()
    expect(s.log.map((h) => `${h.method} ${h.path}`)).toEqual(['POST /a'])
    expect(r.of('request:queued')).toHaveLength(1)
    // Records of requests sent without follow carry no link fields at all.
    expect('redirect' in result).toBe(false)
    expect('redirectedTo' in result).toBe(false)
  })

  it('follows 301 (POST → GET) and 303 as new linked requests on the reused keep-alive socket', async () => {
    const s = await start({ '/a': () => [301, '/b'], '/b': () => [303, `/c?x=1`] })
    engine = createEngine()
    const r = record(engine)
    const final = await engine.send(post(`${s.url}/a`, follow()))
    expect(s.log.map((h) => `${h.method} ${h.path} ${h.body}`)).toEqual([
      'POST /a hello',
      'GET /b ',
      'GET /c?x=1 ',
    ])
    // The body went with the method: no body headers on the GETs; same origin keeps Authorization.
    expect(s.log[1]!.headers['content-type']).toBeUndefined()
    expect(s.log[1]!.headers['content-length']).toBeUndefined()
    expect(s.log[2]!.headers.authorization).toBe('Bearer secret')
    // One connection carried all three (the server saw one client port), and the engine says so.
    expect(new Set(s.log.map((h) => h.port)).size).toBe(1)
    const results = engine.results()
    expect(results).toHaveLength(3)
    const [a, b, c] = results
    expect(results.map((x) => x.socket)).toEqual([a!.socket, a!.socket, a!.socket])
    expect(results.map((x) => [x.reused, x.nth])).toEqual([
      [false, 1],
      [true, 2],
      [true, 3],
    ])
    // Each hop is its own request, linked both ways, with its own timings.
    expect(results.map((x) => x.status)).toEqual([301, 303, 200])
    expect(a!.redirect).toBeNull()
    expect(a!.redirectedTo).toBe(b!.id)
    expect(b!.redirect).toEqual({ from: a!.id, hop: 1, head: a!.id })
    expect(b!.redirectedTo).toBe(c!.id)
    expect(c!.redirect).toEqual({ from: b!.id, hop: 2, head: a!.id })
    expect(c!.redirectedTo).toBeNull()
    expect(b!.method).toBe('GET')
    expect(c!.url).toBe(`${s.url}/c?x=1`)
    expect(final.id).toBe(c!.id)
    expect(c!.startedAt).toBeGreaterThan(b!.startedAt)
    // Every hop has its own lifecycle events, and the queued event carries the link.
    const queued = r.of('request:queued')
    expect(queued.map((e) => e.redirect)).toEqual([null, b!.redirect, c!.redirect])
    expect(r.of('request:completed').map((e) => e.result.id)).toEqual([a!.id, b!.id, c!.id])
    expect(r.of('request:assigned').map((e) => e.requestId)).toEqual([a!.id, b!.id, c!.id])
  })

  it('keeps method and body on 307', async () => {
    const s = await start({ '/a': () => [307, '/echo'] })
    engine = createEngine()
    const final = await engine.send(post(`${s.url}/a`, { method: 'PUT', ...follow() }))
    expect(s.log.map((h) => `${h.method} ${h.path} ${h.body}`)).toEqual(['PUT /a hello', 'PUT /echo hello'])
    expect(s.log[1]!.headers['content-type']).toBe('text/plain')
    expect(s.log[1]!.headers['content-length']).toBe('5')
    expect(final.status).toBe(200)
    expect(final.requestBodyBytes).toBe(5)
  })

  it('drops Authorization, Cookie and Proxy-Authorization on a hop to another origin, on its own socket', async () => {
    const other = await start({})
    const s = await start({ '/a': () => [302, `${other.url}/land`] })
    engine = createEngine()
    const spec: RequestSpec = {
      method: 'GET',
      url: `${s.url}/a`,
      headers: [
        ['authorization', 'Bearer secret'],
        ['cookie', 'sid=1'],
        ['proxy-authorization', 'Basic eDp5'],
        ['x-keep', 'yes'],
      ],
      body: null,
      ...follow(),
    }
    const final = await engine.send(spec)
    expect(s.log.map((h) => h.path)).toEqual(['/a'])
    expect(s.log[0]!.headers.authorization).toBe('Bearer secret')
    expect(other.log.map((h) => h.path)).toEqual(['/land'])
    const seen = other.log[0]!.headers
    expect([seen.authorization, seen.cookie, seen['proxy-authorization'], seen['x-keep']]).toEqual([
      undefined,
      undefined,
      undefined,
      'yes',
    ])
    const [a, b] = engine.results()
    expect(b!.origin).toBe(other.origin)
    expect(b!.socket).not.toBe(a!.socket)
    expect([b!.reused, b!.reason]).toEqual([false, 'first'])
    expect(b!.requestHeaders.some(([n]) => n.toLowerCase() === 'authorization')).toBe(false)
    expect(final.id).toBe(b!.id)
    const ports = engine.connections().map((c) => c.localPort)
    expect(ports).toEqual([s.log[0]!.port, other.log[0]!.port])
  })

  it('ends a loop with TOO_MANY_REDIRECTS after max hops: the server saw exactly max + 1 requests', async () => {
    const s = await start({ '/loop': () => [302, '/loop'] })
    engine = createEngine()
    const final = await engine.send(followed(`${s.url}/loop`, 3))
    expect(s.log).toHaveLength(4)
    expect(final.status).toBe(302)
    expect(final.error).toMatchObject({ code: 'TOO_MANY_REDIRECTS', phase: 'receive' })
    expect(final.error?.message).toContain('max 3')
    expect(final.redirect).toMatchObject({ hop: 3 })
    expect(final.redirectedTo).toBeNull()
    expect(engine.results()).toHaveLength(4)
    expect(new Set(s.log.map((h) => h.port)).size).toBe(1)
  })

  it('max 0 follows nothing: the first redirect is TOO_MANY_REDIRECTS', async () => {
    const s = await start({ '/a': () => [302, '/b'] })
    engine = createEngine()
    const final = await engine.send(followed(`${s.url}/a`, 0))
    expect(s.log).toHaveLength(1)
    expect(final.error?.code).toBe('TOO_MANY_REDIRECTS')
  })

  it('refuses a Location that is not http(s) with BAD_REDIRECT and sends nothing more', async () => {
    const s = await start({ '/a': () => [302, 'ftp://127.0.0.1/file'] })
    engine = createEngine()
    const final = await engine.send(followed(`${s.url}/a`))
    expect(s.log).toHaveLength(1)
    expect(final.error?.code).toBe('BAD_REDIRECT')
    expect(final.error?.message).toContain('ftp://127.0.0.1/file')
  })

  it('cancelling the first request of a chain stops the hop in flight; the server sees no further hop', async () => {
    let release: () => void = () => {}
    let held: () => void = () => {}
    const holding = new Promise<void>((resolve) => (held = resolve))
    const s = await start({
      '/a': () => [302, '/hold'],
      '/hold': (_req, res) => {
        release = () => res.writeHead(302, { location: '/never' }).end()
        held()
        return null
      },
    })
    engine = createEngine()
    const r = record(engine)
    const sent = engine.send(followed(`${s.url}/a`))
    const head = (await r.waitFor('request:queued')).requestId
    // The server holds the hop's response: the chain is in flight on hop 1.
    await holding
    expect(engine.cancel(head)).toBe(true)
    const final = await sent
    release()
    expect(final.error).toMatchObject({ code: 'CANCELLED', phase: 'wait' })
    expect(final.redirect?.hop).toBe(1)
    expect(s.log.map((h) => h.path)).toEqual(['/a', '/hold'])
  })

  it('cancelRun stops a chain of a batch', async () => {
    let held: () => void = () => {}
    const holding = new Promise<void>((resolve) => (held = resolve))
    const s = await start({ '/a': () => [302, '/hold'], '/hold': () => (held(), null) })
    engine = createEngine()
    const batch = engine.run({
      request: followed(`${s.url}/a`),
    })
    await holding
    expect(engine.cancelRun(batch.runId)).toBe(1)
    const results = await batch.done
    // run() answers every hop of each request, oldest first.
    expect(results.map((x) => [x.status, x.error?.code ?? null])).toEqual([
      [302, null],
      [null, 'CANCELLED'],
    ])
  })

  it('follows on h2 as new streams of the one connection the server saw', async () => {
    const ports: number[] = []
    const h2 = await startH2Server((req, res) => {
      ports.push(req.socket.remotePort ?? 0)
      if (req.url === '/a') res.writeHead(308, { location: '/b' }).end()
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url}`)
    })
    servers.push(h2 as unknown as RedirectServer)
    engine = createEngine({ defaults: { rejectUnauthorized: false } })
    const final = await engine.send({
      method: 'PUT',
      url: `${h2.url}/a`,
      headers: [],
      body: 'x',
      ...follow(),
    })
    expect(final).toMatchObject({ status: 200, httpVersion: '2', method: 'PUT', redirect: { hop: 1 } })
    expect(ports).toHaveLength(2)
    expect(new Set(ports).size).toBe(1)
    expect(h2.connections()).toBe(1)
    expect(engine.results().map((r) => [r.socket, r.reused])).toEqual([
      [1, false],
      [1, true],
    ])
  })

  it('counts maxTime from the first request of the chain, as curl -m covers every hop', async () => {
    const s = await start({
      // The 302 itself takes 200 ms of the 300 ms budget.
      '/a': (_req, res) => {
        setTimeout(() => res.writeHead(302, { location: '/slow' }).end(), 200).unref()
        return null
      },
      '/slow': (_req, res) => {
        setTimeout(() => res.writeHead(200).end('late'), 1500).unref()
        return null
      },
    })
    engine = createEngine({ defaults: { maxTime: 300 } })
    const final = await engine.send(followed(`${s.url}/a`))
    expect(final.error?.code).toBe('MAX_TIME')
    expect(final.redirect?.hop).toBe(1)
    const [head, hop] = engine.results()
    expect(head!.totalMs).toBeGreaterThanOrEqual(200)
    // The hop had what was left (~100 ms), not 300 ms of its own.
    expect(hop!.totalMs).toBeLessThan(250)
  })

  it('exports each hop as its own HAR entry and reads the links back when the HAR is opened', async () => {
    const s = await start({ '/a': () => [301, '/b'], '/b': () => [303, '/c'] })
    engine = createEngine()
    await engine.send(post(`${s.url}/a`, follow()))
    const har = JSON.parse(JSON.stringify(engine.toHar()))
    const entries = har.log.entries as Array<Record<string, unknown>>
    expect(entries.map((e) => [e._requestId, e._redirectOf, e._redirectHop, e._redirectedTo])).toEqual([
      [1, undefined, undefined, 2],
      [2, 1, 1, 3],
      [3, 2, 2, undefined],
    ])
    expect(entries.map((e) => (e.response as { redirectURL: string }).redirectURL)).toEqual(['/b', '/c', ''])
    const links = (list: Array<{ id: number; redirect?: unknown; redirectedTo?: unknown }>) =>
      list.map((r) => [r.id, r.redirect ?? null, r.redirectedTo ?? null])
    expect(links(openHar(har).requests)).toEqual(links(engine.results()))
  })
})
