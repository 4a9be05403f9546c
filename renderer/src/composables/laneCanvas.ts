import { visibleRange, type Lane, type Tick, type TimeWindow } from './lanes'
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
/** Rows of stacked h2 streams drawn at most; deeper streams share the last row. */
export const MAX_STACK = 6

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
    dark: getComputedStyle(el).getPropertyValue('--chip-l').trim() !== '40%',
  }
  probe.remove()
  cached = { key, palette }
  return palette
}

export interface DrawInput {
  width: number
  height: number
  rows: PlotRow[]
  window: TimeWindow
  ticks: Tick[]
  palette: Palette
  selectedId: number | null
  hoveredId: number | null
  range: TimeWindow | null
  /** A socket's hue; the chips' (socketLook by its place in the origin) so bars match them. */
  hueOf?: (socket: number) => number
}

/**
 * Draw the axis and every band. Bars that fall on the same pixels are merged into one rectangle,
 * so the cost follows the bars in the window (one pass each, binary-searched), and 100,000 bars
 * zoomed out are a few thousand rectangles.
 */
export function drawPlot(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { width, height, rows, window: w, palette } = input
  const k = width / (w.to - w.from)
  const x = (t: number) => (t - w.from) * k
  ctx.clearRect(0, 0, width, height)
  ctx.font = '11px system-ui, sans-serif'
  ctx.textBaseline = 'middle'

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

  let selected: { x0: number; x1: number; y: number } | null = null
  let hovered: { x0: number; x1: number; y: number } | null = null
  for (const row of rows) {
    const runStart = new Float64Array(MAX_STACK).fill(NaN)
    const runEnd = new Float64Array(MAX_STACK)
    const barTop = (stack: number) => row.top + 4 + Math.min(stack, MAX_STACK - 1) * (BAR + GAP)
    const flush = (s: number) => {
      if (Number.isNaN(runStart[s]!)) return
      ctx.fillRect(runStart[s]!, barTop(s), Math.max(2, runEnd[s]! - runStart[s]!), BAR)
      runStart[s] = NaN
    }
    const failures: Array<[number, number, number]> = []
    for (const lane of row.lanes) {
      const c = lane.connection
      const hue = (input.hueOf ?? socketHue)(c.id)
      ctx.fillStyle = row.merged ? palette.muted : `hsl(${hue} 65% ${palette.dark ? 60 : 45}%)`
      const [begin, end] = visibleRange(lane, w)
      for (let i = begin; i < end; i++) {
        const x0 = x(lane.starts[i]!)
        const x1 = Math.max(x0 + 2, x(lane.ends[i]!))
        const s = Math.min(lane.stacks[i]!, MAX_STACK - 1)
        const y = barTop(s)
        const id = lane.ids[i]!
        if (id === input.selectedId) selected = { x0, x1, y }
        if (id === input.hoveredId) hovered = { x0, x1, y }
        if (lane.failed[i] === 1) {
          failures.push([x0, x1, y])
          continue
        }
        if (!Number.isNaN(runStart[s]!) && x0 <= runEnd[s]! + 0.5) runEnd[s] = Math.max(runEnd[s]!, x1)
        else {
          flush(s)
          runStart[s] = x0
          runEnd[s] = x1
        }
      }
      for (let s = 0; s < MAX_STACK; s++) flush(s)
      if (!row.merged) {
        ctx.fillStyle = palette.ok
        ctx.fillRect(Math.round(x(c.openedAt)), row.top + 1, 2, row.height - 2)
        if (c.closedAt !== null) {
          ctx.fillStyle = palette.danger
          ctx.fillRect(Math.round(x(c.closedAt)) - 1, row.top + 1, 2, row.height - 2)
        }
      }
    }
    ctx.fillStyle = palette.danger
    for (const [x0, x1, y] of failures) ctx.fillRect(x0, y, Math.max(2, x1 - x0), BAR)
  }

  if (input.range) {
    ctx.fillStyle = palette.brush
    ctx.globalAlpha = 0.14
    const x0 = x(input.range.from)
    ctx.fillRect(x0, AXIS_HEIGHT, Math.max(1, x(input.range.to) - x0), height - AXIS_HEIGHT)
    ctx.globalAlpha = 1
  }
  ctx.lineWidth = 2
  for (const [mark, colour] of [
    [hovered, palette.text],
    [selected, palette.focus],
  ] as const) {
    if (!mark) continue
    ctx.strokeStyle = colour
    ctx.strokeRect(mark.x0 - 1, mark.y - 1, Math.max(2, mark.x1 - mark.x0) + 2, BAR + 2)
  }
}
