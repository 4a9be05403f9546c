import { describe, expect, it } from 'vitest'
import { parseCall, RANGES, type RequestSpec } from '../../electron/contract'
import { planHop } from '../../electron/engine/request/redirect'

const spec = (method: string, extra: Partial<RequestSpec> = {}): RequestSpec => ({
  method,
  url: 'http://a.test:8080/start#frag',
  headers: [
    ['Content-Type', 'text/plain'],
    ['Authorization', 'Bearer t'],
    ['Host', 'a.test:8080'],
  ],
  body: 'x',
  ...extra,
})
const from = new URL('http://a.test:8080/start#frag')
const hop = (s: RequestSpec, status: number, location: string, n = 1, max = 10) =>
  planHop(s, from, { status, headers: [['Location', location]] }, n, max)

describe('planHop (RFC 9110 §15.4 with Fetch rules)', () => {
  it('turns POST into GET without body headers on 301 and 302, keeps other methods', () => {
    for (const status of [301, 302]) {
      const plan = hop(spec('POST'), status, '/b')
      expect(plan).toMatchObject({ kind: 'hop', spec: { method: 'GET', body: null } })
      if (plan.kind === 'hop') expect(plan.spec.headers.map(([n]) => n)).toEqual(['Authorization', 'Host'])
    }
    expect(hop(spec('PUT'), 302, '/b')).toMatchObject({ spec: { method: 'PUT', body: 'x' } })
  })

  it('makes 303 a GET unless the request was HEAD', () => {
    expect(hop(spec('PUT'), 303, '/b')).toMatchObject({ spec: { method: 'GET', body: null } })
    expect(hop(spec('HEAD', { body: null }), 303, '/b')).toMatchObject({ spec: { method: 'HEAD' } })
  })

  it('keeps method, body and its headers on 307 and 308', () => {
    for (const status of [307, 308]) {
      const plan = hop(spec('POST'), status, '/b')
      expect(plan).toMatchObject({ kind: 'hop', spec: { method: 'POST', body: 'x' } })
      if (plan.kind === 'hop') expect(plan.spec.headers).toHaveLength(3)
    }
  })

  it('resolves Location against the hop URL and keeps the fragment when Location has none', () => {
    expect(hop(spec('GET'), 302, '../c?q=1')).toMatchObject({
      spec: { url: 'http://a.test:8080/c?q=1#frag' },
    })
    expect(hop(spec('GET'), 302, '//b.test/x#y')).toMatchObject({ spec: { url: 'http://b.test/x#y' } })
  })

  it('drops credentials and Host only when the origin changes (scheme, host or port)', () => {
    const names = (location: string) => {
      const plan = hop(spec('GET', { body: null }), 302, location)
      return plan.kind === 'hop' ? plan.spec.headers.map(([n]) => n) : []
    }
    expect(names('/same')).toEqual(['Content-Type', 'Authorization', 'Host'])
    expect(names('http://a.test:8081/')).toEqual(['Content-Type'])
    expect(names('https://a.test:8080/')).toEqual(['Content-Type'])
  })

  it('is nothing for non-redirect statuses and a 3xx without Location', () => {
    expect(hop(spec('GET'), 200, '/b')).toEqual({ kind: 'none' })
    expect(hop(spec('GET'), 304, '/b')).toEqual({ kind: 'none' })
    expect(planHop(spec('GET'), from, { status: 302, headers: [] }, 1, 10)).toEqual({ kind: 'none' })
  })

  it('stops with typed errors: past max, a non-http(s) Location, credentials in Location', () => {
    expect(hop(spec('GET'), 302, '/b', 11, 10)).toMatchObject({ error: { code: 'TOO_MANY_REDIRECTS' } })
    // The GUI rewrites this phrase into its own wording (renderer errorText; stores.redirects.test.ts).
    expect(hop(spec('GET'), 302, '/b', 3, 2)).toMatchObject({
      error: {
        message:
          'stopped after 2 redirects (max 2): this 302 goes on to http://a.test:8080/b; check for a loop or raise --max-redirs (up to 50)',
      },
    })
    expect(hop(spec('GET'), 302, 'javascript:alert(1)')).toMatchObject({ error: { code: 'BAD_REDIRECT' } })
    expect(hop(spec('GET'), 302, 'http://u:p@b.test/')).toMatchObject({ error: { code: 'BAD_REDIRECT' } })
    expect(hop(spec('GET'), 302, 'http://[bad/')).toMatchObject({ error: { code: 'BAD_REDIRECT' } })
  })
})

describe('RequestSpec.redirects in the contract', () => {
  const send = (redirects: unknown) =>
    parseCall('send', { request: { method: 'GET', url: 'http://a/', headers: [], body: null, redirects } })
  it('accepts follow with max in range and refuses the rest with one line', () => {
    expect(send({ follow: true, max: RANGES.redirects[1] }).ok).toBe(true)
    expect(send({ follow: false, max: 0 }).ok).toBe(true)
    expect(send({ follow: true, max: RANGES.redirects[1] + 1 })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('request.redirects.max') },
    })
    expect(send({ follow: true, max: 1, extra: 1 }).ok).toBe(false)
    expect(send({ follow: 'yes', max: 1 }).ok).toBe(false)
  })
})
