import { describe, expect, it } from 'vitest'
import { History, type KeptBody } from '../../electron/engine/history'
import { requestResult } from '../helpers/fixtures'

const KiB = 1024
const body = (bytes: number, fill = 0x61): KeptBody => ({
  data: Buffer.alloc(bytes, fill),
  truncated: false,
  contentType: 'text/plain',
  decodeError: null,
})
const add = (h: History, id: number, bytes: number, sent: Buffer | null = null) =>
  h.add(requestResult({ id, contentType: 'text/plain', bodyBytes: bytes }), body(bytes), sent)

describe('history body budget', () => {
  it('drops the oldest bodies first once the budget is passed, keeping every record', () => {
    const h = new History(100, 250 * KiB)
    for (let id = 1; id <= 5; id++) add(h, id, 100 * KiB)
    expect(h.list().map((r) => [r.id, r.evicted ?? false])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
      [5, false],
    ])
    expect(h.memory()).toEqual({
      bodyBudgetBytes: 250 * KiB,
      keptBytes: 200 * KiB,
      keptBodies: 2,
      evictedBodies: 3,
      requests: 5,
    })
  })

  it('answers getBody for a dropped body with a typed evicted payload, not an error', () => {
    const h = new History(100, 150 * KiB)
    add(h, 1, 100 * KiB)
    add(h, 2, 100 * KiB)
    expect(h.body(1)).toEqual({
      requestId: 1,
      encoding: 'utf8',
      data: '',
      bytes: 0,
      truncated: false,
      contentType: 'text/plain',
      decodeError: null,
      evicted: true,
    })
    expect(h.body(2)).toMatchObject({ bytes: 100 * KiB, data: 'a'.repeat(100 * KiB) })
    expect(h.body(2)?.evicted).toBeUndefined()
    expect(h.body(3)).toBeNull()
  })

  it('keeps 200 responses of 10 MiB within the default 256 MiB budget', () => {
    const h = new History(100_000)
    const ten = Buffer.alloc(10 * 1024 * KiB)
    for (let id = 1; id <= 200; id++) {
      h.add(
        requestResult({ id }),
        { data: ten, truncated: false, contentType: null, decodeError: null },
        null,
      )
    }
    const use = h.memory()
    expect(use.keptBytes).toBeLessThanOrEqual(256 * 1024 * KiB)
    expect(use.keptBodies).toBe(25)
    expect(use.requests).toBe(200)
  })

  it('shrinks at once when the budget is lowered, and keeps nothing at 0', () => {
    const h = new History(100, 1024 * KiB)
    for (let id = 1; id <= 4; id++) add(h, id, 100 * KiB)
    h.setBudget(150 * KiB)
    expect(h.memory()).toMatchObject({ keptBytes: 100 * KiB, keptBodies: 1, evictedBodies: 3 })
    h.setBudget(0)
    expect(h.memory()).toMatchObject({ keptBytes: 0, keptBodies: 0, evictedBodies: 4 })
    expect(h.list().every((r) => r.evicted)).toBe(true)
  })

  it('counts a request body shared by many records once, and drops it with the last of them', () => {
    const h = new History(3, 1024 * KiB)
    const sent = Buffer.alloc(50 * KiB)
    for (let id = 1; id <= 5; id++) add(h, id, 1 * KiB, sent)
    expect(h.memory().keptBytes).toBe(3 * KiB + 50 * KiB)
    expect(h.requestBody(5)).toBe(sent)
    h.clear()
    expect(h.memory()).toMatchObject({ keptBytes: 0, keptBodies: 0, requests: 0 })
  })

  it('releases the bytes of bodies whose records age out of the history', () => {
    const h = new History(2, 1024 * KiB)
    for (let id = 1; id <= 5; id++) add(h, id, 10 * KiB)
    expect(h.memory()).toMatchObject({ keptBytes: 20 * KiB, keptBodies: 2, evictedBodies: 0, requests: 2 })
  })

  it('keeps no body at all when told to (the CLI without --har), and marks none evicted', () => {
    const h = new History(10, 1024 * KiB, false)
    add(h, 1, 10 * KiB, Buffer.from('x'))
    expect(h.memory()).toMatchObject({ keptBytes: 0, keptBodies: 0 })
    expect(h.list()[0]?.evicted).toBeUndefined()
    expect(h.body(1)).toBeNull()
  })
})

describe('history pages', () => {
  const filled = (n: number) => {
    const h = new History(10_000, 0)
    for (let id = 1; id <= n; id++) h.add(requestResult({ id }), null, null)
    return h
  }
  const ids = (page: { requests: Array<{ id: number }> }) => page.requests.map((r) => r.id)

  it('gives the newest page, oldest first, with the count of older records', () => {
    const page = filled(10).page(3)
    expect(ids(page)).toEqual([8, 9, 10])
    expect(page.older).toBe(7)
  })

  it('pages back from the oldest id the caller holds until nothing is older', () => {
    const h = filled(10)
    expect(ids(h.page(4, 8))).toEqual([4, 5, 6, 7])
    expect(h.page(4, 8).older).toBe(3)
    expect(ids(h.page(4, 4))).toEqual([1, 2, 3])
    expect(h.page(4, 1)).toEqual({ requests: [], older: 0 })
  })

  it('pages in arrival order, as requests finished, not in id order', () => {
    const h = new History(100, 0)
    for (const id of [1, 3, 2, 5, 4, 6]) h.add(requestResult({ id }), null, null)
    expect(ids(h.page(2, 5))).toEqual([3, 2])
    expect(h.page(2, 5).older).toBe(1)
    expect(ids(h.page(10, 2))).toEqual([1, 3])
  })

  it('pages correctly after old records were dropped and the arrays compacted', () => {
    const h = new History(1500, 0)
    for (let id = 1; id <= 5000; id++) h.add(requestResult({ id }), null, null)
    // Records 3501…5000 remain.
    expect(ids(h.page(2, 3504))).toEqual([3502, 3503])
    expect(h.page(2, 3504).older).toBe(1)
    expect(ids(h.page(2, 3502))).toEqual([3501])
    // Request 10 was dropped, and everything that arrived before it with it.
    expect(h.page(5, 10)).toEqual({ requests: [], older: 0 })
  })
})
