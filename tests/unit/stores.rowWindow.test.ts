import { describe, expect, it } from 'vitest'
import {
  bottomOffset,
  keptCapacity,
  revealOffset,
  rowWindow,
  windowCapacity,
} from '../../renderer/src/composables/rowWindow'

const H = 22
/** 220 px of view: 10 rows, one more cut at an edge, and 3 of overscan on each side. */
const CAPACITY = windowCapacity(220, H, 3)
const win = (count: number, offset: number) => rowWindow(count, offset, H, 3, CAPACITY)
/** The slots (index % capacity) the window gives its rows, by index. */
const slots = (count: number, offset: number) => {
  const { start, end, capacity } = win(count, offset)
  return new Map(Array.from({ length: end - start }, (_, i) => [start + i, (start + i) % capacity]))
}

describe('rowWindow (fixed-height rows)', () => {
  it('draws the rows in view and the overscan on each side', () => {
    expect(CAPACITY).toBe(17)
    expect(win(1000, 220)).toEqual({ start: 7, end: 24, capacity: 17 })
  })

  it('keeps drawing `capacity` rows at either end of a long list', () => {
    expect(win(1000, 0)).toEqual({ start: 0, end: 17, capacity: 17 })
    expect(win(1000, bottomOffset(1000, 220, H))).toEqual({ start: 983, end: 1000, capacity: 17 })
  })

  it('draws every row of a list shorter than the window', () => {
    expect(win(5, 0)).toEqual({ start: 0, end: 5, capacity: 17 })
    expect(win(0, 0)).toEqual({ start: 0, end: 0, capacity: 17 })
  })

  it('gives the rows that stay their slots and the rows that come in the slots of those that left', () => {
    const before = slots(1000, 220)
    const after = slots(1000, 220 + 5 * H)
    for (const [index, slot] of after) if (before.has(index)) expect(before.get(index)).toBe(slot)
    const left = [...before].filter(([i]) => !after.has(i)).map(([, s]) => s)
    const came = [...after].filter(([i]) => !before.has(i)).map(([, s]) => s)
    expect(came.sort()).toEqual(left.sort())
    // One slot per drawn row.
    expect(new Set(after.values()).size).toBe(after.size)
  })

  it('keeps the window size when the view gets a little shorter, takes a larger one at once', () => {
    // A bar of one row's height above the list: same slots, so no row remounts.
    expect(keptCapacity(CAPACITY, windowCapacity(220 - H, H, 3), 4)).toBe(CAPACITY)
    expect(keptCapacity(CAPACITY, windowCapacity(220 - 4 * H, H, 3), 4)).toBe(CAPACITY - 4)
    expect(keptCapacity(CAPACITY, windowCapacity(220 + H, H, 3), 4)).toBe(CAPACITY + 1)
    // The spare rows are drawn beyond the view: the rows in view are still all drawn.
    const { start, end } = rowWindow(1000, 220, H, 3, CAPACITY + 3)
    expect(start).toBeLessThanOrEqual(10)
    expect(end).toBeGreaterThanOrEqual(20)
  })

  it('offsets: the bottom, and the least scroll that reveals a row', () => {
    expect(bottomOffset(1000, 220, H)).toBe(1000 * H - 220)
    expect(bottomOffset(3, 220, H)).toBe(0)
    expect(revealOffset(5, 220, 220, H)).toBe(5 * H) // above the view: to its top
    expect(revealOffset(12, 220, 220, H)).toBe(220) // in view: stays
    expect(revealOffset(30, 220, 220, H)).toBe(31 * H - 220) // below: to its bottom
  })
})
