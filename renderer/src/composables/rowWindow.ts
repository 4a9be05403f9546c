/**
 * The rows a list of fixed-height rows draws at a scroll offset: the ones in view plus `overscan`
 * on each side, always `capacity` rows once the list has that many (near an end the spare rows go
 * to the other side). A constant window lets each drawn row keep a slot, `index % capacity`: when
 * the view moves by k rows, the k rows that leave hand their slots (and their components and DOM)
 * to the k that come in, which Vue patches instead of unmounting and mounting a row each time.
 */
export interface RowWindow {
  /** First and one past the last index drawn. */
  start: number
  end: number
  /** Rows the window draws when the list is long enough (the slot count). */
  capacity: number
}

export function rowWindow(
  count: number,
  offset: number,
  rowHeight: number,
  overscan: number,
  capacity: number,
): RowWindow {
  const first = Math.floor(Math.max(0, offset) / rowHeight) - overscan
  const start = Math.max(0, Math.min(first, count - capacity))
  return { start, end: Math.min(count, start + capacity), capacity }
}

/** Rows a window draws for a view this tall: those in view (one may be cut at each edge) and the overscan. */
export function windowCapacity(viewHeight: number, rowHeight: number, overscan: number): number {
  return Math.ceil(Math.max(0, viewHeight) / rowHeight) + 1 + 2 * overscan
}

/**
 * The window size to keep when the view's height changes: a larger one at once, a smaller one only
 * when it is `slack` or more rows smaller. A new size gives every drawn row a new slot, which
 * remounts them all; a bar that appears above the list (a row's height) should not.
 */
export function keptCapacity(held: number, needed: number, slack: number): number {
  return needed > held || needed <= held - slack ? needed : held
}

/** The scroll offset that shows the last row at the bottom of the view (0: the rows fit). */
export function bottomOffset(count: number, viewHeight: number, rowHeight: number): number {
  return Math.max(0, count * rowHeight - viewHeight)
}

/**
 * The offset that brings row `index` into view with the least scrolling (already in view: `offset`),
 * as `scrollIntoView({ block: 'nearest' })` would.
 */
export function revealOffset(index: number, offset: number, viewHeight: number, rowHeight: number): number {
  const top = index * rowHeight
  if (top < offset) return top
  if (top + rowHeight > offset + viewHeight) return Math.max(0, top + rowHeight - viewHeight)
  return offset
}
