import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LinkState } from '../api/current'
import { errorLine } from '../api/errors'

/** The main views. */
export type ViewName = 'requests' | 'connections' | 'cookies'
/** 'system' follows prefers-color-scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark'
/** Detail pane tabs. */
export type DetailTab = 'body' | 'headers' | 'cookies' | 'timing' | 'connection'

/** Selection, view, theme, and the one-line status the app shows. */
export const useUiStore = defineStore('ui', () => {
  const selectedId = ref<number | null>(null)
  const view = ref<ViewName>('requests')
  const theme = ref<ThemeChoice>('system')
  const detailTab = ref<DetailTab>('body')
  /** Origin shown in the connections view (null: the first one). */
  const connectionsOrigin = ref<string | null>(null)
  const link = ref<LinkState>('connecting')
  const linkDetail = ref<string | null>(null)
  /** The last failed action, as one line (cleared by the next success or by dismiss). */
  const error = ref<string | null>(null)
  /** A passing confirmation ("Copied the curl command."), or null. */
  const notice = ref<string | null>(null)
  /** True once a snapshot arrived: before that, an empty list means "not loaded", not "empty". */
  const loaded = ref(false)
  /** Bumped to ask the list to scroll the selected row into view (after Send). */
  const revealTick = ref(0)

  function select(id: number | null): void {
    selectedId.value = id
  }

  /** Ask the list to show the selected row and follow new rows again. */
  function reveal(): void {
    revealTick.value++
  }

  /** Record a failure as one line for the status bar. */
  function fail(err: unknown): void {
    error.value = errorLine(err)
  }

  function setLink(state: LinkState, detail: string | null): void {
    link.value = state
    linkDetail.value = detail
  }

  return {
    selectedId,
    view,
    theme,
    detailTab,
    connectionsOrigin,
    link,
    linkDetail,
    error,
    notice,
    loaded,
    revealTick,
    select,
    reveal,
    fail,
    setLink,
  }
})
