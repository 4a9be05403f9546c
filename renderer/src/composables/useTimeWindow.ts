import { computed, ref, type Ref } from 'vue'
import { pad, pan, zoom, type TimeWindow } from './lanes'

/** How the window follows the data: the latest run, everything, or where the user put it. */
export type WindowMode = 'latest' | 'all' | 'manual'

/**
 * The timeline's visible window. It follows the latest run (or everything) as events arrive until
 * the user zooms or pans; "Latest run" and "Fit all" hand it back to the data.
 */
export function useTimeWindow(latest: Ref<TimeWindow | null>, span: Ref<TimeWindow>) {
  const mode = ref<WindowMode>('latest')
  const manual = ref<TimeWindow>({ from: 0, to: 1 })
  const window = computed<TimeWindow>(() => {
    if (mode.value === 'manual') return manual.value
    const all = pad(span.value)
    if (mode.value === 'all') return all
    return latest.value ?? all
  })

  const place = (w: TimeWindow) => {
    manual.value = w
    mode.value = 'manual'
  }
  return {
    mode,
    window,
    /** Zoom by `factor` (< 1 zooms in) around time `at` (default: the middle). */
    zoomBy: (factor: number, at?: number) => place(zoom(window.value, factor, at)),
    /** Move by a fraction of the window's width (negative: back in time). */
    panBy: (fraction: number) => place(pan(window.value, (window.value.to - window.value.from) * fraction)),
    /** Move by `dt` ms from a given window (dragging keeps the window it started with). */
    panFrom: (start: TimeWindow, dt: number) => place(pan(start, dt)),
    show: (w: TimeWindow) => place(pad(w, 0.02)),
    fitAll: () => (mode.value = 'all'),
    latest: () => (mode.value = 'latest'),
  }
}
