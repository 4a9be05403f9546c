import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type EngineApi } from '../../electron/engine'
import { createCookieStore } from '../../electron/engine/cookies'
import { get } from '../helpers/engine'
import { setPath, startCookieServer, type CookieServer } from '../helpers/cookieServer'
import { startH2Server, startHttpServer, type Handler } from '../helpers/servers'

let engine: EngineApi | null = null
let server: CookieServer | null = null
afterEach(async () => {
  await engine?.close()
  await server?.close()
  engine = server = null
})

async function setup(jar = true) {
  server = await startCookieServer()
  const store = createCookieStore()
  engine = createEngine({ cookies: jar ? store : null })
  return { server, engine, store }
}

describe('engine cookie jar (real undici, loopback server log as oracle)', () => {
  it('sends back what the server set, by path, and reports sent and set', async () => {
    const { server, engine } = await setup()
    const first = await engine.send(get(server.url + setPath('a=1; Path=/', 'deep=2; Path=/deep')))
    expect(first.cookies?.set.map((c) => [c.name, c.accepted])).toEqual([
      ['a', true],
      ['deep', true],
    ])
    expect(first.cookies?.sent).toEqual([])
    const top = await engine.send(get(server.url + '/top'))
    const deep = await engine.send(get(server.url + '/deep/x'))
    expect(server.seen.map((s) => s.cookie)).toEqual([null, 'a=1', 'deep=2; a=1'])
    expect(top.cookies?.sent).toEqual([
      { name: 'a', value: '1', domain: '127.0.0.1', path: '/', from: 'jar' },
    ])
    expect(deep.cookies?.sent.map((c) => c.name)).toEqual(['deep', 'a'])
    // The head the engine reports is the one written: the server's log agrees with it.
    expect(deep.requestHeaders.find(([n]) => n.toLowerCase() === 'cookie')?.[1]).toBe('deep=2; a=1')
  })

  it('keeps Domain=127.0.0.1, refuses a foreign Domain and Secure over http, with reasons', async () => {
    const { server, engine } = await setup()
    const r = await engine.send(
      get(
        server.url +
          setPath('ok=1; Domain=127.0.0.1', 'far=1; Domain=example.com', 'sec=1; Secure', 'h=1; HttpOnly'),
      ),
    )
    const byName = Object.fromEntries((r.cookies?.set ?? []).map((c) => [c.name, c]))
    expect(byName.ok).toMatchObject({ accepted: true, domain: '127.0.0.1' })
    expect(byName.far).toMatchObject({ accepted: false })
    expect(byName.far!.reason).toMatch(/not in this host's domain/)
    expect(byName.sec).toMatchObject({
      accepted: false,
      reason: 'Cookie is Secure but this is not a secure connection',
    })
    expect(byName.h).toMatchObject({ accepted: true, httpOnly: true })
    await engine.send(get(server.url + '/next'))
    expect(server.seen[1]!.cookie).toBe('ok=1; h=1')
  })

  it('Max-Age=0 deletes the cookie: the next request carries none', async () => {
    const { server, engine, store } = await setup()
    await engine.send(get(server.url + setPath('a=1; Path=/')))
    await engine.send(get(server.url + '/one'))
    const gone = await engine.send(get(server.url + setPath('a=x; Path=/; Max-Age=0')))
    expect(gone.cookies?.set[0]).toMatchObject({ accepted: true, reason: 'deleted: already expired' })
    await engine.send(get(server.url + '/two'))
    expect(server.seen.map((s) => s.cookie)).toEqual([null, 'a=1', 'a=1', null])
    expect(store.list()).toEqual([])
  })

  it("keeps a Cookie header the user wrote and appends the jar's (the user's name wins)", async () => {
    const { server, engine } = await setup()
    await engine.send(get(server.url + setPath('a=jar', 'b=jar')))
    const r = await engine.send(get(server.url + '/mine', { headers: [['Cookie', 'a=mine; z=9']] }))
    expect(server.seen[1]!.cookie).toBe('a=mine; z=9; b=jar')
    expect(r.cookies?.sent.map((c) => `${c.from}:${c.name}=${c.value}`)).toEqual([
      'header:a=mine',
      'header:z=9',
      'jar:b=jar',
    ])
  })

  it('a batch sends each request with the jar as it is when that request starts', async () => {
    const { server, engine } = await setup()
    await engine.send(get(server.url + setPath('n=1')))
    const { done } = engine.run({ request: get(server.url + '/b'), repeat: 3 })
    await done
    expect(server.seen.slice(1).map((s) => s.cookie)).toEqual(['n=1', 'n=1', 'n=1'])
  })

  it('with the jar off the server sees no Cookie header and nothing is kept', async () => {
    const { server, engine, store } = await setup(false)
    const r = await engine.send(get(server.url + setPath('a=1')))
    await engine.send(get(server.url + '/again'))
    expect(server.seen.map((s) => s.cookie)).toEqual([null, null])
    expect(r.cookies).toBeUndefined()
    expect(store.list()).toEqual([])
  })

  it('turning the jar off at run time stops sending its cookies', async () => {
    const { server, engine, store } = await setup()
    await engine.send(get(server.url + setPath('a=1')))
    await engine.send(get(server.url + '/on'))
    engine.useCookies(null)
    await engine.send(get(server.url + '/off'))
    engine.useCookies(store)
    await engine.send(get(server.url + '/on-again'))
    expect(server.seen.map((s) => s.cookie)).toEqual([null, 'a=1', null, 'a=1'])
  })

  it('over h2 (https): keeps a Secure cookie and sends it back over https only, never to http on the same host', async () => {
    const seen: Array<[string, string | null]> = []
    const handler: Handler = (req, res) => {
      seen.push([`${req.httpVersion} ${req.url}`, req.headers.cookie ?? null])
      if (req.url === '/set') res.setHeader('set-cookie', ['s=1; Secure; Path=/', 'p=2; Path=/'])
      res.end('ok')
    }
    const tls = await startH2Server(handler)
    const plain = await startHttpServer(handler)
    const store = createCookieStore()
    engine = createEngine({ cookies: store, defaults: { rejectUnauthorized: false } })
    try {
      const set = await engine.send(get(tls.url + '/set'))
      expect(set.httpVersion).toBe('2')
      expect(set.cookies?.set.map((c) => [c.name, c.accepted, c.secure])).toEqual([
        ['s', true, true],
        ['p', true, false],
      ])
      await engine.send(get(tls.url + '/again'))
      // Cookies do not isolate by port (RFC 6265 §8.5): the http server on 127.0.0.1 gets `p`, not `s`.
      await engine.send(get(plain.url + '/plain'))
      expect(seen).toEqual([
        ['2.0 /set', null],
        ['2.0 /again', 's=1; p=2'],
        ['1.1 /plain', 'p=2'],
      ])
    } finally {
      await engine.close()
      engine = null
      await tls.close()
      await plain.close()
    }
  })
})
