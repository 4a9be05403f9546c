import { describe, expect, it } from 'vitest'
import type { HeaderList, RequestSpec } from '../../electron/contract'
import { originOf, parseTarget } from '../../electron/engine/input'

const spec = (over: Partial<RequestSpec> = {}): RequestSpec => ({
  method: 'GET',
  url: 'http://127.0.0.1:8080/a?q=1',
  headers: [],
  body: null,
  ...over,
})

function errorOf(over: Partial<RequestSpec>) {
  const r = parseTarget(spec(over))
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(over)}`)
  expect(r.error.phase).toBe('input')
  expect(r.error.message).not.toMatch(/\n/)
  return r.error
}

describe('parseTarget', () => {
  it('splits a valid request into origin and path without the fragment', () => {
    const r = parseTarget(spec({ url: 'http://Example.COM/p/q?x=1&y=2#frag', headers: [['X-A', 'b']] }))
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.origin).toBe('http://example.com:80')
    expect(r.value.path).toBe('/p/q?x=1&y=2')
    expect(r.value.method).toBe('GET')
    expect(r.value.headers).toEqual([['X-A', 'b']])
    expect(r.value.body).toBeNull()
  })

  it('accepts every well-formed http(s) URL shape', () => {
    const cases: Array<[string, string, string]> = [
      ['HTTPS://[::1]:8443/x', 'https://[::1]:8443', '/x'],
      ['http://h?x=1', 'http://h:80', '/?x=1'],
      ['http://h:/p', 'http://h:80', '/p'],
      ['http://h#f', 'http://h:80', '/'],
      ['  http://h/trimmed  ', 'http://h:80', '/trimmed'],
      ['http://bücher.example/', 'http://xn--bcher-kva.example:80', '/'],
    ]
    for (const [url, origin, path] of cases) {
      const r = parseTarget(spec({ url }))
      expect(r.ok && [r.value.origin, r.value.path], url).toEqual([origin, path])
    }
  })

  it('rejects an ftp URL naming the schemes it supports', () => {
    const e = errorOf({ url: 'ftp://example.com/file' })
    expect(e).toEqual({
      code: 'UNSUPPORTED_SCHEME',
      phase: 'input',
      message: 'ftp:// is not supported; use http:// or https://',
    })
  })

  it('rejects text that is not a URL', () => {
    expect(errorOf({ url: 'not a url' }).code).toBe('INVALID_URL')
    expect(errorOf({ url: 'http://exa mple.com/' }).code).toBe('INVALID_URL')
  })

  it('suggests the scheme for host:port without one', () => {
    const e = errorOf({ url: 'localhost:8080/x' })
    expect(e.code).toBe('INVALID_URL')
    expect(e.message).toContain('did you mean http://localhost:8080/x?')
  })

  it('rejects a URL without a host', () => {
    for (const url of ['http://', 'http:///path', 'https://:8443/']) {
      expect(errorOf({ url }).code, url).toBe('MISSING_HOST')
    }
  })

  it('rejects ports outside 1-65535', () => {
    for (const url of ['http://h:0/', 'http://h:65536/', 'http://h:99999999/', 'http://h:abc/']) {
      const e = errorOf({ url })
      expect(e.code, url).toBe('INVALID_PORT')
      expect(e.message).toMatch(/from 1 to 65535/)
    }
  })

  it('rejects credentials in the URL and points to the Authorization header', () => {
    const e = errorOf({ url: 'http://user:secret@h/' })
    expect(e.code).toBe('INVALID_URL')
    expect(e.message).toContain('Authorization')
    expect(e.message).not.toContain('secret')
  })

  it('rejects a method that is not an RFC 9110 token', () => {
    expect(errorOf({ method: 'GE T' }).code).toBe('INVALID_METHOD')
    expect(errorOf({ method: '' }).code).toBe('INVALID_METHOD')
    expect(errorOf({ method: 'GET\r\nX: y' }).message).not.toMatch(/\r|\n/)
  })

  it('rejects a header value with CR/LF, naming the header', () => {
    const e = errorOf({ headers: [['X-Evil', 'a\r\nInjected: 1']] })
    expect(e.code).toBe('INVALID_HEADER')
    expect(e.message).toContain("'X-Evil'")
    expect(e.message).toMatch(/line break/)
  })

  it('rejects NUL and other control characters in header values', () => {
    expect(errorOf({ headers: [['X-A', 'a\0b']] }).code).toBe('INVALID_HEADER')
    expect(errorOf({ headers: [['X-A', 'a\x01b']] }).code).toBe('INVALID_HEADER')
  })

  it('rejects header names that are not tokens, naming the header', () => {
    const bad: HeaderList[] = [[['Bad Name', 'v']], [['X:Y', 'v']], [['', 'v']]]
    for (const headers of bad) expect(errorOf({ headers }).code).toBe('INVALID_HEADER')
    expect(errorOf({ headers: [['Bad Name', 'v']] }).message).toContain("'Bad Name'")
  })

  it('rejects headers that undici manages itself, with the reason', () => {
    for (const name of ['Transfer-Encoding', 'Keep-Alive', 'Upgrade', 'Expect']) {
      const e = errorOf({ headers: [[name, 'x']] })
      expect(e.code).toBe('INVALID_HEADER')
      expect(e.message).toContain(`'${name}' cannot be set`)
    }
  })

  it('rejects a Content-Length that does not match the body', () => {
    const e = errorOf({ method: 'POST', body: 'abc', headers: [['Content-Length', '5']] })
    expect(e.code).toBe('INVALID_HEADER')
    expect(e.message).toMatch(/says 5 bytes but the body has 3/)
    expect(parseTarget(spec({ method: 'POST', body: 'abc', headers: [['content-length', '3']] })).ok).toBe(
      true,
    )
  })

  it('encodes a utf8 body as UTF-8 bytes', () => {
    const r = parseTarget(spec({ method: 'POST', body: 'é' }))
    expect(r.ok && r.value.body?.equals(Buffer.from([0xc3, 0xa9]))).toBe(true)
  })

  it('decodes a base64 body and rejects invalid base64', () => {
    const r = parseTarget(spec({ method: 'POST', body: 'AAEC/w==', bodyEncoding: 'base64' }))
    expect(r.ok && r.value.body?.equals(Buffer.from([0, 1, 2, 255]))).toBe(true)
    expect(errorOf({ method: 'POST', body: 'not base64!', bodyEncoding: 'base64' }).code).toBe(
      'INVALID_OPTION',
    )
  })
})

describe('originOf', () => {
  it('makes the default port explicit and lower-cases scheme and host', () => {
    expect(originOf(new URL('HTTPS://Example.com/x'))).toBe('https://example.com:443')
    expect(originOf(new URL('http://example.com'))).toBe('http://example.com:80')
    expect(originOf(new URL('http://example.com:8080/'))).toBe('http://example.com:8080')
  })

  it('keeps IPv6 hosts in brackets', () => {
    expect(originOf(new URL('http://[::1]:3000/'))).toBe('http://[::1]:3000')
    expect(originOf(new URL('https://[2001:DB8::1]/'))).toBe('https://[2001:db8::1]:443')
  })

  it('writes an explicit default port the same as an absent one', () => {
    expect(originOf(new URL('https://h:443/'))).toBe(originOf(new URL('https://h/')))
  })
})
