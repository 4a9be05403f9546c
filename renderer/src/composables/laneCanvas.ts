import { visibleRange, type Lane, type Tick, type TimeWindow } from './lanes'
import { MAX_STACK, type LaneBars } from './laneIndex'
import { RunLevels } from './laneRuns'
import { socketHue } from './format'

/** One band of the plot: a socket's lane, or the collapsed group of closed sockets drawn as one. */
export interface PlotRow {
  key: string
  top: number
  height: number
  lanes: Lane[]
  /** A collapsed group: every lane's bars drawn in one grey band, no open/close markers. */
  merged: boolean
}

/** Colours read from the stylesheet (so light and dark themes apply). */
export interface Palette {
  track: string
  text: string
  grid: string
  danger: string
  ok: string
  focus: string
  muted: string
  brush: string
  dark: boolean
}

export const AXIS_HEIGHT = 22
export const BAR = 8
export const GAP = 2
export { MAX_STACK }

let cached: { key: string; palette: Palette } | null = null

/**
 * Read the theme's colours from the stylesheet's custom properties. They are `light-dark()` values,
 * which a canvas cannot parse, so each is resolved through a probe element's computed colour; the
 * result is cached per theme (`key`), since resolving forces a style pass.
 */
export function readPalette(el: Element, key: string): Palette {
  if (cached?.key === key) return cached.palette
  const probe = document.createElement('span')
  probe.style.display = 'none'
  el.appendChild(probe)
  const get = (name: string) => {
    probe.style.color = `var(${name})`
    return getComputedStyle(probe).color
  }
  const palette: Palette = {
    track: get('--bg-alt'),
    text: get('--fg-dim'),
    grid: get('--border'),
    danger: get('--danger'),
    ok: get('--ok'),
    focus: get('--focus'),
    muted: get('--fg-dim'),
    brush: get('--accent'),
    // The stylesheet switches socket-chip lightness with the theme; bars follow the same switch.
    // (Light text on dark chips: a lightness over 50 %.)
    dark: parseFloat(getComputedStyle(el).getPropertyValue('--chip-l')) > 50,
  }
  probe.remove()
  cached = { key, palette }
  return palette
}

/** A bar to outline (hovered or selected): its socket, time and stack row. */
export interface Mark {
  socket: number
  start: number
  end: number
  stack: number
}

export interface DrawInput {
  width: number
  /** The whole plot's height, and the slice of it the canvas shows (top to bottom). */
  height: number
  top: number
  bottom: number
  rows: PlotRow[]
  window: TimeWindow
  ticks: Tick[]
  palette: Palette
  selected: Mark | null
  hovered: Mark | null
  range: TimeWindow | null
  /**
   * A socket's look: the chips' (socketLook by its place in the origin), so bars match them, hue
   * and, past an origin's 12th socket (where hues repeat), stripes.
   */
  lookOf?: (socket: number) => { hue: number; patterned: boolean }
}

const stripeCache = new Map<string, CanvasPattern | string>()

/**
 * A bar fill of diagonal stripes, as the patterned socket chip's background: the hue at the bar's
 * lightness, and every other 4 px band lighter (dark theme: darker), along 45°.
 */
export function stripes(ctx: CanvasRenderingContext2D, hue: number, dark: boolean): CanvasPattern | string {
  const key = `${hue}:${dark}`
  const cached = stripeCache.get(key)
  if (cached) return cached
  const base = `hsl(${hue} 65% ${dark ? 60 : 45}%)`
  const tile = document.createElement('canvas')
  tile.width = tile.height = 8
  const t = tile.getContext('2d')
  if (!t) return base
  t.fillStyle = base
  t.fillRect(0, 0, 8, 8)
  t.fillStyle = `hsl(${hue} 45% ${dark ? 32 : 78}%)`
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) if ((x + y) % 8 >= 4) t.fillRect(x, y, 1, 1)
  const pattern = ctx.createPattern(tile, 'repeat') ?? base
  stripeCache.set(key, pattern)
  return pattern
}

/**
 * Rectangles for one band, merged when they touch within half a pixel (per stack row), at least
 * 2 px wide: however many bars share a pixel, it is filled once.
 */
class Painter {
  private starts = new Float64Array(MAX_STACK).fill(NaN)
  private ends = new Float64Array(MAX_STACK)
  constructor(
    private ctx: CanvasRenderingContext2D,
    private top: number,
  ) {}
  y(stack: number): number {
    return this.top + 4 + Math.min(stack, MAX_STACK - 1) * (BAR + GAP)
  }
  bar(s: number, x0: number, x1: number): void {
    if (!Number.isNaN(this.starts[s]!) && x0 <= this.ends[s]! + 0.5) {
      this.ends[s] = Math.max(this.ends[s]!, x1)
      return
    }
    this.flush(s)
    this.starts[s] = x0
    this.ends[s] = Math.max(x1, x0 + 2)
  }
  flush(s: number): void {
    if (Number.isNaN(this.starts[s]!)) return
    this.ctx.fillRect(this.starts[s]!, this.y(s), this.ends[s]! - this.starts[s]!, BAR)
    this.starts[s] = NaN
  }
  flushAll(): void {
    for (let s = 0; s < MAX_STACK; s++) this.flush(s)
  }
}

/**
 * Draw one lane's bars. Zoomed in, bar by bar (binary-searched to the window); zoomed out, from the
 * runs of the level that merges gaps under half a pixel, so the cost follows the pixels: 100,000
 * bars across the window are a few hundred runs. Failures are drawn over the rest.
 */
function drawBars(
  paint: Painter,
  ctx: CanvasRenderingContext2D,
  bars: LaneBars,
  w: TimeWindow,
  k: number,
  colours: { ok: string | CanvasPattern; failed: string },
): void {
  const x = (t: number) => (t - w.from) * k
  const level = RunLevels.level(0.5 / k)
  const [begin, end] = visibleRange(bars, w)
  if (level < 0 || end - begin < 64) {
    for (const failed of [0, 1]) {
      ctx.fillStyle = failed ? colours.failed : colours.ok
      for (let i = begin; i < end; i++) {
        if (bars.failed[i] !== failed) continue
        paint.bar(Math.min(bars.stacks[i]!, MAX_STACK - 1), x(bars.starts[i]!), x(bars.ends[i]!))
      }
      paint.flushAll()
    }
    return
  }
  const rows = Math.min(bars.depth, MAX_STACK)
  for (const failed of [false, true]) {
    ctx.fillStyle = failed ? colours.failed : colours.ok
    for (let row = 0; row < rows; row++) {
      const runs = bars.rowRuns(row, failed)
      if (!runs) continue
      const starts = runs.starts[level]!.data
      const [a, b] = runs.range(level, w.from, w.to)
      for (let i = a; i < b; i++) paint.bar(row, x(starts[i]!), x(runs.end(level, i)))
      for (let i = 0; i < runs.extra.length; i += 2) {
        if (runs.extra[i + 1]! >= w.from && runs.extra[i]! <= w.to)
          paint.bar(row, x(runs.extra[i]!), x(runs.extra[i + 1]!))
      }
      paint.flush(row)
    }
    if (failed) continue
    // Bars in flight are not in the runs yet.
    for (const i of bars.open.values()) {
      if (bars.ends[i]! >= w.from && bars.starts[i]! <= w.to)
        paint.bar(Math.min(bars.stacks[i]!, MAX_STACK - 1), x(bars.starts[i]!), x(bars.ends[i]!))
    }
    paint.flushAll()
  }
}

/**
 * Draw the axis and every band; bars through drawBars, so a frame costs the pixels drawn, not the
 * requests held.
 */
export function drawPlot(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { width, height, window: w, palette } = input
  const k = width / (w.to - w.from)
  const x = (t: number) => (t - w.from) * k
  ctx.clearRect(0, input.top, width, input.bottom - input.top)
  ctx.font = '11px system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  // Only the bands in the slice shown.
  const rows = input.rows.filter((r) => r.top + r.height > input.top && r.top < input.bottom)

  for (const row of rows) {
    ctx.fillStyle = palette.track
    ctx.fillRect(0, row.top + 1, width, row.height - 2)
  }
  // Grid and labels.
  ctx.fillStyle = palette.text
  for (const tick of input.ticks) {
    const tx = Math.round(x(tick.t)) + 0.5
    ctx.fillStyle = palette.grid
    ctx.fillRect(tx, AXIS_HEIGHT - 5, 1, height - AXIS_HEIGHT + 5)
    ctx.fillStyle = palette.text
    const label = tick.label
    const textWidth = ctx.measureText(label).width
    ctx.fillText(label, Math.min(Math.max(0, tx - textWidth / 2), width - textWidth), AXIS_HEIGHT / 2)
  }
  ctx.fillStyle = palette.grid
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1)

  const marks: Array<[Mark, string, number]> = []
  for (const row of rows) {
    const paint = new Painter(ctx, row.top)
    for (const lane of row.lanes) {
      const c = lane.connection
      const { hue, patterned } = input.lookOf?.(c.id) ?? { hue: socketHue(c.id), patterned: false }
      const ok = row.merged
        ? palette.muted
        : patterned
          ? stripes(ctx, hue, palette.dark)
          : `hsl(${hue} 65% ${palette.dark ? 60 : 45}%)`
      drawBars(paint, ctx, lane.bars, w, k, { ok, failed: palette.danger })
      for (const [mark, colour] of [
        [input.hovered, palette.text],
        [input.selected, palette.focus],
      ] as const) {
        if (mark?.socket === c.id) marks.push([mark, colour, paint.y(mark.stack)])
      }
      if (!row.merged) {
        ctx.fillStyle = palette.ok
        ctx.fillRect(Math.round(x(c.openedAt)), row.top + 1, 2, row.height - 2)
        if (c.closedAt !== null) {
          ctx.fillStyle = palette.danger
          ctx.fillRect(Math.round(x(c.closedAt)) - 1, row.top + 1, 2, row.height - 2)
        }
      }
    }
  }

  if (input.range) {
    ctx.fillStyle = palette.brush
    ctx.globalAlpha = 0.14
    const x0 = x(input.range.from)
    ctx.fillRect(x0, AXIS_HEIGHT, Math.max(1, x(input.range.to) - x0), height - AXIS_HEIGHT)
    ctx.globalAlpha = 1
  }
  ctx.lineWidth = 2
  // The selected outline last, over the hovered one.
  marks.sort((a, b) => Number(a[1] === palette.focus) - Number(b[1] === palette.focus))
  for (const [mark, colour, y] of marks) {
    const x0 = x(mark.start)
    ctx.strokeStyle = colour
    ctx.strokeRect(x0 - 1, y - 1, Math.max(2, x(mark.end) - x0) + 2, BAR + 2)
  }
}
