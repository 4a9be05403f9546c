import { describe, expect, it } from 'vitest'
import {
  PRETTY_MAX_BYTES,
  bodyBytes,
  decodeBytes,
  decodeText,
  hexDump,
  textRows,
  viewsFor,
} from '../../renderer/src/composables/bodyView'
import type { BodyPayload } from '../../electron/contract'

const body = (contentType: string | null, data = 'x', encoding: 'utf8' | 'base64' = 'utf8'): BodyPayload => ({
  requestId: 1,
  encoding,
  data,
  bytes: data.length,
  truncated: false,
  contentType,
  decodeError: null,
})

describe('body views', () => {
  it('opens HTML as text first, with the sandboxed preview only as a choice', () => {
    expect(viewsFor(body('text/html; charset=utf-8'))).toEqual(['raw', 'preview', 'hex'])
  })

  it('opens SVG as text first and never as an HTML preview', () => {
    expect(viewsFor(body('image/svg+xml'))).toEqual(['raw', 'image', 'hex'])
  })

  it('pretty-prints JSON, including +json types', () => {
    expect(viewsFor(body('application/problem+json'))[0]).toBe('pretty')
  })

  it('shows unknown binary as hex first', () => {
    expect(viewsFor(body('application/octet-stream', 'AAE=', 'base64'))[0]).toBe('hex')
  })

  it('dumps bytes as offset, hex and ASCII columns', () => {
    const bytes = bodyBytes(body(null, 'iVBORw0KGgo=', 'base64'))
    expect(hexDump(bytes)).toBe(`00000000  89 50 4e 47 0d 0a 1a 0a${' '.repeat(24)}  .PNG....`)
  })

  it('caps the dump and says how many bytes it left out', () => {
    expect(hexDump(new Uint8Array(40), 16).split('\n')).toEqual([
      `00000000  ${'00 '.repeat(15)}00  ................`,
      '… 24 more bytes',
    ])
  })
})

describe('large bodies', () => {
  it('decodes base64 in slices to the same bytes', async () => {
    // Slices of 8 base64 characters (6 bytes), so a small body crosses many slice boundaries.
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff)
    const got = await decodeBytes(
      { ...body(null, btoa(String.fromCharCode(...bytes)), 'base64'), bytes: 1000 },
      8,
    )
    expect(got).toEqual(bytes)
  })

  it('decodes UTF-8 text cut between slices without losing a character', async () => {
    const text = 'é'.repeat(1000) // two bytes each: slices of 7 bytes end mid-character
    expect(await decodeText(new TextEncoder().encode(text), 7)).toBe(text)
  })

  it('splits text into rows at newlines and every ROW_CHARS of a long line', async () => {
    const rows = await textRows('ab\ncdefg\n', 3)
    expect([...rows]).toEqual([0, 3, 6, 9])
  })

  it('offers the JSON editor only up to its size limit', () => {
    expect(viewsFor({ ...body('application/json'), bytes: PRETTY_MAX_BYTES + 1 })[0]).toBe('raw')
  })
})
