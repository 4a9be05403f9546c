import { describe, expect, it } from 'vitest'
import { buildSpec, problemsOf, urlProblem, type DraftFields } from '../../renderer/src/stores/draft'
import { noAuth } from '../../renderer/src/stores/auth'
import { part } from '../../renderer/src/stores/multipart'
import { kv } from '../../renderer/src/stores/urlParams'
import { blankDraft } from '../../renderer/src/stores/draftState'
import { socketLook } from '../../renderer/src/composables/format'

const draft = (fields: Partial<DraftFields> = {}): DraftFields => ({
  ...blankDraft(),
  url: 'http://127.0.0.1:1/p',
  ...fields,
})

describe('draft input problems', () => {
  it('refuses a header value with CR/LF at that header instead of changing it', () => {
    const h = kv('x-a', 'one\r\nInjected: yes')
    const built = buildSpec(draft({ headers: [h] }))
    expect(built.ok).toBe(false)
    expect(!built.ok && built.problems.headers?.[h.id]).toMatch(/line break \(CR\/LF\)/)
  })

  it('names the field of each problem: method, URL, header name, JSON body', () => {
    const bad = kv('bad name', 'v')
    const p = problemsOf(
      draft({ method: 'GE T', url: 'ftp://x/', headers: [bad], bodyMode: 'json', body: '{a' }),
    )
    expect(p.method).toMatch(/one word/)
    expect(p.url).toBe('ftp:// is not supported; use http:// or https://')
    expect(p.headers?.[bad.id]).toMatch(/not a header name/)
    expect(p.body).toMatch(/^Body is not valid JSON: /)
  })

  it('says how to fix a URL without a scheme, an empty one, and one with credentials', () => {
    expect(urlProblem('')).toMatch(/^Type a URL first/)
    expect(urlProblem('localhost:8080/x')).toBe(
      'Start the URL with http:// or https:// (e.g. http://localhost:8080/x)',
    )
    expect(urlProblem('http://u:p@h:1/')).toMatch(/Auth tab/)
    expect(urlProblem('http://127.0.0.1:8080/ok')).toBeNull()
  })

  it('sends a custom method as typed and a standard one upper-case', () => {
    const custom = buildSpec(draft({ method: 'PURGE-cache' }))
    expect(custom.ok && custom.spec.method).toBe('PURGE-cache')
    const standard = buildSpec(draft({ method: 'post' }))
    expect(standard.ok && standard.spec.method).toBe('POST')
  })
})

describe('auth helpers', () => {
  it('adds a Basic header from UTF-8 user and password (RFC 7617)', () => {
    const built = buildSpec(
      draft({ auth: { ...noAuth(), kind: 'basic', user: 'ada', password: 'pässword' } }),
    )
    const header = built.ok ? built.spec.headers.find(([n]) => n === 'authorization') : null
    expect(header?.[1]).toBe(
      `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode('ada:pässword')))}`,
    )
  })

  it('adds a Bearer header, and lets a header typed by the user win', () => {
    const auth = { ...noAuth(), kind: 'bearer' as const, token: 'tok' }
    const built = buildSpec(draft({ auth }))
    expect(built.ok && built.spec.headers).toEqual([['authorization', 'Bearer tok']])
    const own = buildSpec(draft({ auth, headers: [kv('Authorization', 'Bearer mine')] }))
    expect(own.ok && own.spec.headers).toEqual([['Authorization', 'Bearer mine']])
  })

  it('puts an API key in the query or in a header', () => {
    const query = buildSpec(
      draft({ auth: { ...noAuth(), kind: 'apikey', keyName: 'key', keyValue: 'a b', keyIn: 'query' } }),
    )
    expect(query.ok && query.spec.url).toBe('http://127.0.0.1:1/p?key=a%20b')
    const header = buildSpec(
      draft({ auth: { ...noAuth(), kind: 'apikey', keyName: 'x-api-key', keyValue: 'k1' } }),
    )
    expect(header.ok && header.spec.headers).toEqual([['x-api-key', 'k1']])
  })
})

describe('bodies', () => {
  it('sends multipart as base64 with its boundary, replacing a content-type header of the user', () => {
    const built = buildSpec(
      draft({
        method: 'POST',
        bodyMode: 'multipart',
        parts: [part('a', '1')],
        headers: [kv('content-type', 'text/plain')],
      }),
    )
    expect(built.ok && built.spec.bodyEncoding).toBe('base64')
    const types = built.ok ? built.spec.headers.filter(([n]) => n.toLowerCase() === 'content-type') : []
    expect(types).toHaveLength(1)
    expect(types[0]![1]).toMatch(/^multipart\/form-data; boundary=----SockeyeFormBoundary[0-9a-z]{24}$/)
  })

  it('sends a raw body with the picked content type', () => {
    const built = buildSpec(
      draft({ method: 'POST', bodyMode: 'raw', body: '<a/>', rawType: 'application/xml' }),
    )
    expect(built.ok && built.spec.headers).toEqual([['content-type', 'application/xml']])
  })
})

describe('socket colours', () => {
  it('gives the first 12 sockets of an origin 12 different hues, then a pattern', () => {
    const hues = Array.from({ length: 12 }, (_, i) => socketLook(i).hue)
    expect(new Set(hues).size).toBe(12)
    expect(socketLook(11).patterned).toBe(false)
    expect(socketLook(12)).toEqual({ hue: hues[0], patterned: true })
  })
})
