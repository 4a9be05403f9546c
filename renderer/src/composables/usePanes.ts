import { reactive, watch } from 'vue'
import { uiStorage } from '../stores/uiState'

/**
 * Pane sizes: the composer's height (px) and the list's share of the width (0–1), kept in the host's
 * UI state so they survive restarts of `sockeye serve` (a new port is a new browser origin).
 */
export interface PaneSizes {
  composer: number
  list: number
}

const KEY = 'sockeye.panes.v1'
export const PANE_LIMITS = {
  composer: { min: 120, max: 520, initial: 190 },
  list: { min: 0.25, max: 0.8, initial: 0.56 },
} as const

const clamp = (n: unknown, l: { min: number; max: number; initial: number }) =>
  typeof n === 'number' && Number.isFinite(n) ? Math.min(l.max, Math.max(l.min, n)) : l.initial

function read(): PaneSizes {
  let saved: Partial<PaneSizes> = {}
  try {
    saved = JSON.parse(uiStorage().getItem(KEY) ?? '{}') as Partial<PaneSizes>
  } catch {
    // A corrupt entry: start from the defaults.
  }
  return { composer: clamp(saved.composer, PANE_LIMITS.composer), list: clamp(saved.list, PANE_LIMITS.list) }
}

let sizes: PaneSizes | null = null

/** The remembered pane sizes (one reactive object per page), saved on change. */
export function usePanes(): PaneSizes {
  if (sizes) return sizes
  const state = reactive(read())
  watch(state, () => {
    try {
      uiStorage().setItem(KEY, JSON.stringify({ composer: state.composer, list: state.list }))
    } catch {
      // Quota or privacy mode: sizes are just not remembered.
    }
  })
  sizes = state
  return state
}

/** Clamp a new size for one pane. */
export function clampPane(which: keyof PaneSizes, value: number): number {
  return clamp(value, PANE_LIMITS[which])
}
