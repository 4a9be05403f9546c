import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../electron/contract/limits'
import { createCookieStore } from '../../electron/engine/cookies'
import { parseTarget } from '../../electron/engine/input'
import { baseTarget, withCookies } from '../../electron/engine/request/cookies'

const page = new URL('http://127.0.0.1:8080/a/b')
const names = (url: URL, store = createCookieStore()) =>
  store.forRequest(url).map((c) => `${c.name}=${c.value}`)

describe('cookie store', () => {
  it('keeps a host-only cookie and sends it back to the same host only', () => {
    const store = createCookieStore()
    const set = store.offer('a=1; Path=/', page)
    expect(set).toMatchObject({ name: 'a', value: '1', accepted: true, domain: '127.0.0.1', path: '/' })
    expect(names(page, store)).toEqual(['a=1'])
    expect(names(new URL('http://localhost:8080/'), store)).toEqual([])
  })

  it("refuses a Domain the host is not in, with tough-cookie's reason", () => {
    const store = createCookieStore()
    const set = store.offer('c=3; Domain=example.com', page)
    expect(set.accepted).toBe(false)
    expect(set.reason).toMatch(/not in this host's domain/)
    expect(store.list()).toEqual([])
  })

  it('refuses a cookie for a public suffix (co.uk), keeps one for the site', () => {
    const store = createCookieStore()
    const shop = new URL('https://shop.example.co.uk/')
    expect(store.offer('x=1; Domain=co.uk', shop)).toMatchObject({
      accepted: false,
      reason: 'Cookie has domain set to a public suffix',
    })
    expect(store.offer('y=1; Domain=example.co.uk', shop)).toMatchObject({
      accepted: true,
      domain: 'example.co.uk',
    })
    expect(names(new URL('https://www.example.co.uk/'), store)).toEqual(['y=1'])
  })

  it('refuses a Secure cookie over http, loopback included', () => {
    const set = createCookieStore().offer('s=1; Secure', page)
    expect(set).toMatchObject({
      accepted: false,
      reason: 'Cookie is Secure but this is not a secure connection',
    })
  })

  it('keeps a Secure cookie from https and sends it only over https', () => {
    const store = createCookieStore()
    const https = new URL('https://127.0.0.1:8443/')
    expect(store.offer('s=1; Secure', https).accepted).toBe(true)
    expect(names(https, store)).toEqual(['s=1'])
    expect(names(new URL('http://127.0.0.1:8443/'), store)).toEqual([])
  })

  it('matches paths: /a cookies go to /a/b, not to /x', () => {
    const store = createCookieStore()
    store.offer('p=1; Path=/a', page)
    expect(names(page, store)).toEqual(['p=1'])
    expect(names(new URL('http://127.0.0.1:8080/x'), store)).toEqual([])
  })

  it('deletes a cookie on Max-Age=0 and says so', () => {
    const store = createCookieStore()
    store.offer('a=1; Path=/', page)
    const set = store.offer('a=gone; Path=/; Max-Age=0', page)
    expect(set).toMatchObject({ accepted: true, reason: 'deleted: already expired' })
    expect(store.list()).toEqual([])
    expect(names(page, store)).toEqual([])
  })

  it('records HttpOnly and SameSite', () => {
    const store = createCookieStore()
    const set = store.offer('h=1; HttpOnly; SameSite=Lax; Max-Age=60', page)
    expect(set).toMatchObject({ accepted: true, httpOnly: true, sameSite: 'lax' })
    expect(set.expires).toBeGreaterThan(Date.now())
    expect(store.list()[0]).toMatchObject({ name: 'h', httpOnly: true, sameSite: 'lax', hostOnly: true })
  })

  it('refuses a header that does not parse or is larger than the limit', () => {
    const store = createCookieStore()
    expect(store.offer('=', page)).toMatchObject({ accepted: false })
    const big = store.offer(`big=${'x'.repeat(LIMITS.cookieBytes)}`, page)
    expect(big).toMatchObject({ accepted: false, reason: `larger than ${LIMITS.cookieBytes} bytes` })
    expect(big.header.length).toBeLessThanOrEqual(LIMITS.cookieBytes + 1)
  })

  it('adds, edits and deletes cookies by name, domain and path', () => {
    const store = createCookieStore()
    const base = {
      domain: '127.0.0.1',
      path: '/',
      expires: null,
      secure: false,
      httpOnly: false,
      hostOnly: true,
    }
    store.put({ ...base, name: 'k', value: 'v1', sameSite: null })
    store.put({ ...base, name: 'k', value: 'v2', sameSite: null })
    expect(store.list().map((c) => c.value)).toEqual(['v2'])
    expect(names(page, store)).toEqual(['k=v2'])
    expect(store.remove('k', '127.0.0.1', '/x')).toBe(false)
    expect(store.remove('k', '127.0.0.1', '/')).toBe(true)
    expect(store.list()).toEqual([])
  })

  it('reports changes and clears everything', () => {
    const store = createCookieStore()
    let changes = 0
    store.onChange(() => changes++)
    store.offer('a=1', page)
    store.offer('b=1', page)
    store.offer('c=1; Domain=example.com', page)
    expect(changes).toBe(2)
    expect(store.clear()).toBe(2)
    expect(changes).toBe(3)
    expect(store.list()).toEqual([])
  })

  it('a full jar of the largest cookies saves within the file limit and loads back whole', () => {
    const store = createCookieStore()
    const base = {
      domain: '127.0.0.1',
      path: '/',
      expires: null,
      secure: false,
      httpOnly: false,
      hostOnly: true,
    }
    const value = 'v'.repeat(LIMITS.cookieBytes - 8)
    for (let i = 0; i < LIMITS.cookies; i++) store.put({ ...base, name: `c${i}`, value, sameSite: null })
    expect(() => store.put({ ...base, name: 'one-more', value: '1', sameSite: null })).toThrow(
      /the jar is full/,
    )
    const text = JSON.stringify(store.save())
    expect(text.length).toBeLessThan(LIMITS.cookieFileBytes)
    expect(createCookieStore(JSON.parse(text)).list()).toHaveLength(LIMITS.cookies)
  })

  it('comes back from its saved JSON; a damaged save is an empty jar', () => {
    const store = createCookieStore()
    store.offer('a=1; Max-Age=600', page)
    store.offer('s=2', page)
    const again = createCookieStore(JSON.parse(JSON.stringify(store.save())))
    expect(again.list().map((c) => [c.name, c.expires === null])).toEqual([
      ['a', false],
      ['s', true],
    ])
    expect(names(page, again)).toEqual(['a=1', 's=2'])
    expect(createCookieStore({ cookies: 'nope' }).list()).toEqual([])
  })
})

describe('withCookies (the launch hook)', () => {
  const target = (headers: Array<[string, string]>) => {
    const parsed = parseTarget({ method: 'GET', url: 'http://127.0.0.1:8080/a/b', headers, body: null })
    if (!parsed.ok) throw new Error(parsed.error.message)
    return parsed.value
  }
  const cookieOf = (t: { headers: Array<[string, string]> }) =>
    t.headers.filter(([n]) => n.toLowerCase() === 'cookie')

  it('leaves the target alone without a jar, and when the jar has nothing for the URL', () => {
    const given = target([['accept', '*/*']])
    expect(withCookies(null, given)).toEqual({ target: given, trace: null })
    const empty = withCookies(createCookieStore(), given)
    expect(empty.target).toBe(given)
    expect(empty.trace?.report()).toBeUndefined()
  })

  it('a retry of a target that already carries the jar gets the jar once, as it is now', () => {
    const store = createCookieStore()
    store.offer('a=1', page)
    const first = withCookies(store, target([['Cookie', 'mine=1;']]))
    expect(cookieOf(first.target)).toEqual([['Cookie', 'mine=1; a=1']])
    store.offer('b=2', page)
    const retry = withCookies(store, first.target)
    expect(cookieOf(retry.target)).toEqual([['Cookie', 'mine=1; a=1; b=2']])
    expect(baseTarget(retry.target).headers).toEqual([['Cookie', 'mine=1;']])
  })
})

describe('cookie store on IPv6 loopback', () => {
  it('keeps [::1] cookies as ::1 and edits and deletes them with or without brackets', () => {
    const store = createCookieStore()
    const v6 = new URL('http://[::1]:8080/x')
    expect(store.offer('a=1', v6)).toMatchObject({ accepted: true, domain: '::1' })
    expect(store.forRequest(v6).map((c) => c.name)).toEqual(['a'])
    const base = { path: '/', expires: null, secure: false, httpOnly: false, hostOnly: true, sameSite: null }
    store.put({ ...base, name: 'a', value: '2', domain: '[::1]' })
    expect(store.list().map((c) => [c.domain, c.value])).toEqual([['::1', '2']])
    expect(store.remove('a', '[::1]', '/')).toBe(true)
  })
})
