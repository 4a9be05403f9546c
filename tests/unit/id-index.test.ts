import { describe, expect, it } from 'vitest'
import { IdIndex } from '../../electron/engine/id-index'

/** A small seeded generator (mulberry32): the same sequence on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Every id the model holds, and some it does not, answer the same from the index. */
function same(index: IdIndex, model: Map<number, number>, probe: number[]): void {
  expect(index.size).toBe(model.size)
  for (const [id, slot] of model) expect(index.get(id)).toBe(slot)
  for (const id of probe) expect(index.get(id)).toBe(model.get(id))
}

describe('IdIndex', () => {
  it('answers like a Map through the history’s pattern: ids in order, finished out of order, oldest dropped', () => {
    const next = random(7)
    const index = new IdIndex()
    const model = new Map<number, number>()
    const order: number[] = []
    let id = 1
    let slot = 0
    const inFlight: number[] = []
    for (let step = 0; step < 60_000; step++) {
      // Up to 10 requests in flight; one of them finishes (any of them), as under concurrency.
      while (inFlight.length < 10) inFlight.push(id++)
      const done = inFlight.splice(Math.floor(next() * inFlight.length), 1)[0]!
      index.set(done, slot)
      model.set(done, slot++)
      order.push(done)
      // Keep at most 5,000, dropping the oldest arrivals.
      while (model.size > 5_000) {
        const old = order.shift()!
        expect(index.delete(old)).toBe(true)
        model.delete(old)
      }
      if (step % 5_000 === 0) same(index, model, [done - 6_000, done + 1, 0, -1, 1.5])
    }
    same(index, model, [1, id, id + 100_000])
  })

  it('keeps an id that comes far below the rest, and one given again, and forgets on clear', () => {
    const index = new IdIndex()
    const model = new Map<number, number>()
    const put = (id: number, slot: number) => {
      index.set(id, slot)
      model.set(id, slot)
    }
    for (let id = 100_000; id < 103_000; id++) put(id, id - 100_000)
    // A request that finished long after 100,000 later ones, one just below the oldest, a repeat.
    put(3, 3_000)
    put(99_990, 3_001)
    put(100_500, 3_002)
    same(index, model, [4, 2, 99_989, 103_000])
    expect(index.delete(3)).toBe(true)
    expect(index.delete(3)).toBe(false)
    model.delete(3)
    same(index, model, [3])
    // Far beyond the newest: the array grows to it.
    put(400_000, 3_003)
    same(index, model, [300_000])
    index.clear()
    expect(index.size).toBe(0)
    expect(index.get(100_000)).toBeUndefined()
    index.set(7, 0)
    expect(index.get(7)).toBe(0)
  })

  it('refuses an id that is not an integer and a slot out of range, in one line each', () => {
    const index = new IdIndex()
    expect(() => index.set(1.5, 0)).toThrow('request id 1.5 is not an integer')
    expect(() => index.set(1, -1)).toThrow('slot -1 is out of range')
  })
})
