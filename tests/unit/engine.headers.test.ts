import { describe, expect, it } from 'vitest'
import { shareHeaders, shareRawHeaders } from '../../electron/engine/request/headers'

const raw = (...pairs: string[]) => pairs.map((p) => Buffer.from(p, 'latin1'))

describe('shared response header lists', () => {
  it('reads raw header buffers as pairs and shares equal pairs with the previous response', () => {
    const first = shareRawHeaders(raw('Server', 'nginx', 'Date', 'Mon', 'Content-Type', 'text/plain'))
    expect(first).toEqual([
      ['Server', 'nginx'],
      ['Date', 'Mon'],
      ['Content-Type', 'text/plain'],
    ])
    const second = shareRawHeaders(raw('Server', 'nginx', 'Date', 'Tue', 'Content-Type', 'text/plain'))
    expect(second).toEqual([
      ['Server', 'nginx'],
      ['Date', 'Tue'],
      ['Content-Type', 'text/plain'],
    ])
    expect(second).not.toBe(first)
    expect(second[0]).toBe(first[0])
    expect(second[2]).toBe(first[2])
    // Nothing changed: the whole list is the previous one.
    expect(shareRawHeaders(raw('Server', 'nginx', 'Date', 'Tue', 'Content-Type', 'text/plain'))).toBe(second)
  })

  it('builds a new list when the count differs, and ignores an unpaired trailing buffer', () => {
    shareRawHeaders(raw('A', '1', 'B', '2'))
    const shorter = shareRawHeaders(raw('A', '1', 'C'))
    expect(shorter).toEqual([['A', '1']])
    expect(shareRawHeaders([])).toEqual([])
    // The pairs path (h2) and the raw path share one cache.
    const pairs = shareHeaders([['x', 'y']])
    expect(shareRawHeaders(raw('x', 'y'))).toBe(pairs)
  })

  it('tells apart values that differ in one byte, a byte above 127 included (latin1)', () => {
    const first = shareRawHeaders(raw('X-Name', 'caf\u00e9', 'Date', 'Mon'))
    expect(first[0]).toEqual(['X-Name', 'caf\u00e9'])
    // Same length, last byte 0xE9 -> 0xE8: a new pair, not the previous one.
    const second = shareRawHeaders(raw('X-Name', 'caf\u00e8', 'Date', 'Mon'))
    expect(second[0]).toEqual(['X-Name', 'caf\u00e8'])
    expect(second[1]).toBe(first[1])
    // Same bytes again: shared, the whole list.
    expect(shareRawHeaders(raw('X-Name', 'caf\u00e8', 'Date', 'Mon'))).toBe(second)
    // Name differs in case only: a new pair (names are kept as the server sent them).
    expect(shareRawHeaders(raw('x-name', 'caf\u00e8', 'Date', 'Mon'))[0]).toEqual(['x-name', 'caf\u00e8'])
  })
})
