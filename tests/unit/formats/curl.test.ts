import { describe, expect, it } from 'vitest'
import { importCurl, looksLikeCurl } from '../../../electron/workspace/import/curl'
import { importText, ImportError } from '../../../electron/workspace/import'
import { specToCurl, quote } from '../../../electron/workspace/export/curl'
import { toSpec } from '../../../electron/workspace/export/spec'
import { poolFor, type SockeyeHttpRequest } from '../../../electron/workspace/import/types'

const first = (text: string, readFile?: (p: string) => Buffer | null) =>
  importCurl(text, readFile ? { readFile } : {}).collection.items?.[0] as SockeyeHttpRequest

describe('curl import', () => {
  it('keeps -k and --http1.1 as pool settings of the origin', () => {
    const { collection } = importCurl('curl -k --http1.1 https://127.0.0.1:8443/x')
    expect(collection.extensions).toEqual({
      sockeye: { pools: { 'https://127.0.0.1:8443': { rejectUnauthorized: false, allowH2: false } } },
    })
    expect(poolFor(collection, 'https://127.0.0.1:8443/other')).toEqual({
      rejectUnauthorized: false,
      allowH2: false,
    })
  })

  it('makes one request per URL and per --next', () => {
    const { collection } = importCurl('curl http://a/1 http://a/2 --next -X DELETE http://b/3')
    expect(
      collection.items?.map((i) => [
        (i as SockeyeHttpRequest).http?.method,
        (i as SockeyeHttpRequest).http?.url,
      ]),
    ).toEqual([
      ['GET', 'http://a/1'],
      ['GET', 'http://a/2'],
      ['DELETE', 'http://b/3'],
    ])
  })

  it('reports what a paste cannot read instead of reading files', () => {
    const result = importCurl('curl -d @/etc/passwd -b cookies.txt -H @h.txt --retry 3 http://a/')
    expect(result.warnings).toEqual([
      '--retry is not imported (Sockeye has no equivalent)',
      '-H @h.txt: the header file was not read; add its headers by hand',
      "-b cookies.txt: cookie files are not read; paste the cookies as -b 'name=value'",
      'the body reads /etc/passwd, which was not read here; the body is left empty',
    ])
    expect(first('curl -d @/etc/passwd http://a/').http?.body).toBeUndefined()
  })

  it('reports options that change what curl does but that Sockeye does not map', () => {
    expect(importCurl('curl -sSL --max-time 5 -o out.txt http://a/').warnings).toEqual([
      '--max-time is not imported (Sockeye has no equivalent)',
    ])
    expect(importCurl("curl 'http://a/{x,y}'").warnings).toEqual([
      'http://a/{x,y}: curl expands [] and {} into several URLs (unless -g); imported as written',
    ])
    expect(importCurl("curl -g 'http://a/[1]'").warnings).toEqual([])
  })

  it('imports -L [--max-redirs N] as the request following redirects (curl default: 50)', () => {
    expect(first('curl -L --max-redirs 3 http://a/').settings).toEqual({
      followRedirects: true,
      maxRedirects: 3,
    })
    expect(first('curl -L http://a/').settings).toEqual({ followRedirects: true, maxRedirects: 50 })
    expect(first('curl http://a/').settings).toBeUndefined()
    expect(importCurl('curl --max-redirs 3 http://a/').warnings).toEqual([
      '--max-redirs without -L: curl follows no redirect, so neither does Sockeye',
    ])
    const unlimited = importCurl('curl -L --max-redirs -1 http://a/')
    expect(unlimited.warnings).toEqual(['--max-redirs -1: Sockeye follows at most 50 redirects; 50 is used'])
    // Sent and copied back: the spec follows, and Copy as cURL writes the same options.
    const spec = toSpec(first('curl -L --max-redirs 3 http://a/'))
    expect(spec.ok && spec.spec.redirects).toEqual({ follow: true, max: 3 })
    expect(spec.ok && specToCurl(spec.spec)).toBe('curl http://a/ -L --max-redirs 3')
  })

  it('keeps a sole --data-binary @file as a file body, read when sent', () => {
    expect(first('curl --data-binary @photo.png -H "Content-Type: image/png" http://a/').http?.body).toEqual({
      type: 'file',
      data: [{ filePath: 'photo.png', contentType: 'image/png', selected: true }],
    })
  })

  it('guesses http:// for a URL without a scheme, as curl does', () => {
    expect(first('curl example.test/x').http?.url).toBe('http://example.test/x')
  })

  it('refuses text that is not a curl command in one line', () => {
    expect(() => importCurl('curl --no-such-option http://a')).toThrow(ImportError)
    expect(() => importCurl('curl -X')).toThrow(/^curl: option -X: requires parameter$/)
    expect(() => importCurl('curl -s')).toThrow('the curl command names no URL; add one (curl … https://…)')
  })

  it('is what the composer and import detect as a curl command', () => {
    expect(looksLikeCurl('  curl https://x')).toBe(true)
    expect(looksLikeCurl('$ curl https://x')).toBe(true)
    expect(looksLikeCurl('https://x/curl')).toBe(false)
    expect(importText('$ curl https://x/', 'paste').format).toBe('curl')
  })
})

describe('copy as cURL', () => {
  it("quotes for bash: plain words bare, single quotes otherwise, $'…' for control characters", () => {
    expect(quote('http://a/b')).toBe('http://a/b')
    expect(quote("it's here")).toBe("'it'\\''s here'")
    expect(quote('a\r\nb')).toBe("$'a\\r\\nb'")
  })

  it('turns a command back into the same request', () => {
    const spec = {
      method: 'PATCH',
      url: 'http://a/x?y=1',
      headers: [['X-A', 'b c'] as [string, string], ['Content-Type', 'text/plain'] as [string, string]],
      body: "it's\n",
    }
    const again = first(specToCurl(spec))
    expect(again.http?.method).toBe('PATCH')
    expect(again.http?.url).toBe('http://a/x?y=1')
    expect(again.http?.headers).toEqual([
      { name: 'X-A', value: 'b c' },
      { name: 'Content-Type', value: 'text/plain' },
    ])
    expect(again.http?.body).toEqual({ type: 'text', data: "it's\n" })
  })
})
