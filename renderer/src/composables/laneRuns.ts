/**
 * Bars of one lane row merged into runs at several zoom levels, so drawing costs what the pixels
 * need, not what the bars number: zoomed out, 2,000 bars 10 ms apart are one run at the level whose
 * merge distance is half a pixel. Level k merges bars closer than TOLERANCE_MS · 2^k; each level's
 * runs are disjoint and sorted by start. Built as bars complete, in start order: a bar costs one
 * step per level whose tolerance the gap before it exceeds (a few), not one per level.
 */

/** Merge distance of level 0: below it (zoomed far in) the bars themselves are drawn. */
export const TOLERANCE_MS = 0.25
/** Level 25 merges gaps up to 2.3 hours; coarser windows use it as it is. */
const LEVELS = 26
/** Bars that arrive out of start order wait in a side list; past this many the levels are rebuilt. */
const EXTRA_MAX = 256

/** A growable Float64Array column. */
export class Column {
  data = new Float64Array(16)
  length = 0
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
}

export class RunLevels {
  readonly starts = Array.from({ length: LEVELS }, () => new Column())
  readonly ends = Array.from({ length: LEVELS }, () => new Column())
  /** Out-of-order bars as [start, end] pairs, drawn one by one until the next rebuild. */
  extra: number[] = []
  private last = -Infinity

  /**
   * The end of every level's last run. Bars come in start order, so an earlier run ends before the
   * last one starts: the last run of each level ends where the furthest bar so far ends.
   */
  private reach = -Infinity

  /** Add one finished bar: new runs only at the levels whose tolerance the gap before it exceeds. */
  add(start: number, end: number): void {
    if (start < this.last) {
      this.extra.push(start, end)
      return
    }
    this.last = start
    let tolerance = TOLERANCE_MS
    for (let k = 0; k < LEVELS; k++, tolerance *= 2) {
      const starts = this.starts[k]!
      const n = starts.length
      // Merged here, so at every coarser level too.
      if (n > 0 && start <= this.reach + tolerance) break
      if (n > 0) this.ends[k]!.data[n - 1] = this.reach
      starts.push(start)
      this.ends[k]!.push(end)
    }
    this.reach = Math.max(this.reach, end)
  }

  /** Where run `i` of `level` ends. */
  end(level: number, i: number): number {
    return i === this.starts[level]!.length - 1 ? this.reach : this.ends[level]!.data[i]!
  }

  /** True when enough bars came out of order that the levels should be rebuilt from the bars. */
  get stale(): boolean {
    return this.extra.length > EXTRA_MAX * 2
  }

  /** The coarsest level that merges no gap wider than `tolerance` ms, or -1 when even level 0 does. */
  static level(tolerance: number): number {
    if (!(tolerance >= TOLERANCE_MS)) return -1
    return Math.min(LEVELS - 1, Math.floor(Math.log2(tolerance / TOLERANCE_MS)))
  }

  /** Runs of `level` that may intersect [from, to], as an index range. */
  range(level: number, from: number, to: number): [number, number] {
    const starts = this.starts[level]!
    const begin = Math.max(0, lowerBound(starts.data, starts.length, from) - 1)
    return [begin, lowerBound(starts.data, starts.length, to + 1e-9)]
  }
}

/** Index of the first value ≥ v among the first n of a sorted array. */
export function lowerBound(values: ArrayLike<number>, n: number, v: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (values[mid]! < v) lo = mid + 1
    else hi = mid
  }
  return lo
}
