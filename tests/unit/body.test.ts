import { describe, expect, it } from 'vitest'
import zlib from 'node:zlib'
import { BodyCollector, bodyPayload, decodeBody } from '../../electron/engine/body'

const MiB = 1024 * 1024

describe('BodyCollector', () => {
  it('keeps every byte when the body fits under the cap', () => {
    const c = new BodyCollector(10)
    c.push(Buffer.from('hello'))
    c.push(Buffer.from('world'))
    expect(c.buffer().toString()).toBe('helloworld')
    expect(c.wireBytes).toBe(10)
    expect(c.truncated).toBe(false)
  })

  it('keeps the first maxBytes and counts the rest as truncated', () => {
    const c = new BodyCollector(4)
    c.push(Buffer.from('abc'))
    c.push(Buffer.from('defgh'))
    c.push(Buffer.from('ij'))
    expect(c.buffer().toString()).toBe('abcd')
    expect(c.wireBytes).toBe(10)
    expect(c.truncated).toBe(true)
  })

  it('keeps nothing with a cap of zero but still counts', () => {
    const c = new BodyCollector(0)
    c.push(Buffer.from('abc'))
    expect(c.buffer().length).toBe(0)
    expect(c.wireBytes).toBe(3)
    expect(c.truncated).toBe(true)
  })
})

describe('decodeBody', () => {
  const text = Buffer.from('{"hello":"world"}'.repeat(100))

  it('decodes gzip and its x-gzip alias', async () => {
    for (const coding of ['gzip', 'x-gzip', 'GZIP']) {
      const out = await decodeBody(zlib.gzipSync(text), coding, MiB)
      expect(out).toEqual({ data: text, truncated: false, error: null })
    }
  })

  it('decodes brotli', async () => {
    const out = await decodeBody(zlib.brotliCompressSync(text), 'br', MiB)
    expect(out.data.equals(text)).toBe(true)
  })

  it('decodes deflate in both the zlib format and raw deflate', async () => {
    expect((await decodeBody(zlib.deflateSync(text), 'deflate', MiB)).data.equals(text)).toBe(true)
    expect((await decodeBody(zlib.deflateRawSync(text), 'deflate', MiB)).data.equals(text)).toBe(true)
  })

  it('undoes several codings in reverse order of application', async () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(text))
    const out = await decodeBody(twice, 'gzip, br', MiB)
    expect(out).toEqual({ data: text, truncated: false, error: null })
  })

  it('passes identity and absent encodings through unchanged', async () => {
    expect(await decodeBody(text, null, 10)).toEqual({ data: text, truncated: false, error: null })
    expect(await decodeBody(text, 'identity', 10)).toEqual({ data: text, truncated: false, error: null })
  })

  it('returns the raw bytes and an error for an unknown coding', async () => {
    const out = await decodeBody(text, 'compress', MiB)
    expect(out.data).toBe(text)
    expect(out.error).toMatch(/unsupported content-encoding 'compress'/)
  })

  it('returns the raw bytes and an error for corrupt gzip', async () => {
    const raw = Buffer.from('this is not gzip at all')
    const out = await decodeBody(raw, 'gzip', MiB)
    expect(out.data).toBe(raw)
    expect(out.error).toMatch(/^cannot decode gzip body: /)
  })

  it('stops a gzip bomb at the cap with bounded memory', async () => {
    // 256 MiB of zeros compresses to ~256 KiB; decoding must stop at 1 MiB of output.
    const chunk = Buffer.alloc(64 * MiB)
    const gz = zlib.createGzip({ level: 9 })
    const parts: Buffer[] = []
    gz.on('data', (b: Buffer) => parts.push(b))
    const ended = new Promise((r) => gz.on('end', r))
    for (let i = 0; i < 4; i++) gz.write(chunk)
    gz.end()
    await ended
    const bomb = Buffer.concat(parts)
    expect(bomb.length).toBeLessThan(MiB)
    global.gc?.()
    const before = process.memoryUsage()
    const out = await decodeBody(bomb, 'gzip', MiB)
    const after = process.memoryUsage()
    expect(out.truncated).toBe(true)
    expect(out.error).toBeNull()
    expect(out.data.length).toBe(MiB)
    expect(after.rss - before.rss).toBeLessThan(64 * MiB)
  })

  it('shows the decodable part of a gzip body that was cut off, marked truncated', async () => {
    const big = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join(''))
    const gz = zlib.gzipSync(big)
    const out = await decodeBody(gz.subarray(0, gz.length >> 1), 'gzip', 10 * MiB)
    expect(out.error).toBeNull()
    expect(out.truncated).toBe(true)
    expect(out.data.length).toBeGreaterThan(0)
    expect(big.subarray(0, out.data.length).equals(out.data)).toBe(true)
  })
})

describe('bodyPayload', () => {
  it('sends JSON as utf8 text', () => {
    const p = bodyPayload(7, Buffer.from('{"a":"é"}'), false, 'application/json; charset=utf-8', null)
    expect(p).toEqual({
      requestId: 7,
      encoding: 'utf8',
      data: '{"a":"é"}',
      bytes: 10,
      truncated: false,
      contentType: 'application/json; charset=utf-8',
      decodeError: null,
    })
  })

  it('treats +json, +xml, svg, javascript and form bodies as text', () => {
    for (const type of [
      'application/problem+json',
      'application/atom+xml',
      'image/svg+xml',
      'text/javascript',
      'application/javascript',
      'application/x-www-form-urlencoded',
      'TEXT/HTML; charset=UTF-8',
    ]) {
      expect(bodyPayload(1, Buffer.from('a=b'), false, type, null).encoding, type).toBe('utf8')
    }
  })

  it('sends binary content types as base64', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255])
    const p = bodyPayload(1, png, false, 'image/png', null)
    expect(p.encoding).toBe('base64')
    expect(Buffer.from(p.data, 'base64').equals(png)).toBe(true)
  })

  it('sends valid UTF-8 with no content type as text and invalid UTF-8 as base64', () => {
    expect(bodyPayload(1, Buffer.from('plain'), false, null, null).encoding).toBe('utf8')
    expect(bodyPayload(1, Buffer.from([0xff, 0xfe, 0x00]), false, null, null).encoding).toBe('base64')
  })

  it('keeps a text body cut inside a multi-byte character as text up to the last whole character', () => {
    const cut = Buffer.from('ab€').subarray(0, 4)
    const p = bodyPayload(1, cut, true, 'text/plain', null)
    expect(p).toMatchObject({ encoding: 'utf8', data: 'ab', bytes: 4, truncated: true })
  })

  it('sends a Latin-1 text body as base64 so no byte is lost', () => {
    const latin1 = Buffer.from('caf\xe9', 'latin1')
    const p = bodyPayload(1, latin1, false, 'text/plain; charset=iso-8859-1', null)
    expect(p.encoding).toBe('base64')
    expect(Buffer.from(p.data, 'base64').equals(latin1)).toBe(true)
  })
})
