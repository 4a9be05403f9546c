import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type EngineApi } from '../../electron/engine'
import { createCookieStore } from '../../electron/engine/cookies'
import { startRedirectServer, type RedirectServer } from '../helpers/redirects'

/** The cookie jar and followed redirects: each hop gets the jar's cookies for its own URL at launch. */
describe('redirect hops and the cookie jar', () => {
  let engine: EngineApi | null = null
  const servers: RedirectServer[] = []
  afterEach(async () => {
    await engine?.close()
    engine = null
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })

  it('sends a cookie set by a 302 on the hop it redirects to, and records it sent and set', async () => {
    const s = await startRedirectServer({
      '/login': (_req, res) => {
        res.setHeader('set-cookie', 'sid=abc; Path=/')
        return [302, '/home']
      },
    })
    servers.push(s)
    engine = createEngine({ cookies: createCookieStore() })
    const final = await engine.send({
      method: 'POST',
      url: `${s.url}/login`,
      headers: [['cookie', 'mine=1']],
      body: 'u=1',
      redirects: { follow: true, max: 5 },
    })
    expect(s.log.map((h) => [h.path, h.headers.cookie])).toEqual([
      ['/login', 'mine=1'],
      ['/home', 'mine=1; sid=abc'],
    ])
    const [login, home] = engine.results()
    expect(login!.cookies?.set.map((c) => c.name)).toEqual(['sid'])
    expect(home!.cookies?.sent.map((c) => c.name)).toContain('sid')
    expect(final.id).toBe(home!.id)
  })
})
