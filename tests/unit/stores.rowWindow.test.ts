import { describe, expect, it } from 'vitest'
import { bottomOffset, revealOffset, rowWindow } from '../../renderer/src/composables/rowWindow'

const H = 22
/** The slots (index % capacity) the window gives its rows, by index. */
const slots = (count: number, offset: number) => {
  const { start, end, capacity } = rowWindow(count, offset, 220, H, 3)
  return new Map(Array.from({ length: end - start }, (_, i) => [start + i, (start + i) % capacity]))
}

describe('rowWindow (fixed-height rows)', () => {
  it('draws the rows in view and the overscan on each side', () => {
    // 220 px: rows 10..19 in view at offset 220, plus one cut row, plus 3 each side.
    expect(rowWindow(1000, 220, 220, H, 3)).toEqual({ start: 7, end: 24, capacity: 17 })
  })

  it('keeps drawing `capacity` rows at either end of a long list', () => {
    expect(rowWindow(1000, 0, 220, H, 3)).toEqual({ start: 0, end: 17, capacity: 17 })
    const bottom = bottomOffset(1000, 220, H)
    expect(rowWindow(1000, bottom, 220, H, 3)).toEqual({ start: 983, end: 1000, capacity: 17 })
  })

  it('draws every row of a list shorter than the window', () => {
    expect(rowWindow(5, 0, 220, H, 3)).toEqual({ start: 0, end: 5, capacity: 17 })
    expect(rowWindow(0, 0, 220, H, 3)).toEqual({ start: 0, end: 0, capacity: 17 })
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

  it('offsets: the bottom, and the least scroll that reveals a row', () => {
    expect(bottomOffset(1000, 220, H)).toBe(1000 * H - 220)
    expect(bottomOffset(3, 220, H)).toBe(0)
    expect(revealOffset(5, 220, 220, H)).toBe(5 * H) // above the view: to its top
    expect(revealOffset(12, 220, 220, H)).toBe(220) // in view: stays
    expect(revealOffset(30, 220, 220, H)).toBe(31 * H - 220) // below: to its bottom
  })
})
