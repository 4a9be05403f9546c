import { describe, expect, it } from 'vitest'
import {
  PRETTY_MAX_BYTES,
  SLICE,
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
    const bytes = Uint8Array.from({ length: 2 * SLICE + 5 }, (_, i) => (i * 7) & 0xff)
    let bin = ''
    for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192))
    const got = await decodeBytes({ ...body(null, btoa(bin), 'base64'), bytes: bytes.length })
    expect(got).toEqual(bytes)
  })

  it('decodes UTF-8 text cut between slices without losing a character', async () => {
    const text = 'é'.repeat(SLICE) // two bytes each: slices end mid-character
    expect(await decodeText(new TextEncoder().encode(text))).toBe(text)
  })

  it('splits text into rows at newlines and every ROW_CHARS of a long line', async () => {
    const rows = await textRows('ab\ncdefg\n', 3)
    expect([...rows]).toEqual([0, 3, 6, 9])
  })

  it('offers the JSON editor only up to its size limit', () => {
    expect(viewsFor({ ...body('application/json'), bytes: PRETTY_MAX_BYTES + 1 })[0]).toBe('raw')
  })
})
