import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { EngineEvent, HistorySummary } from '../api/contract'
import { useApi } from '../api/current'
import { draftFromSpec } from './composer'
import { useDraftsStore } from './drafts'

/**
 * The history kept on disk (survives restarts): a search over it, and loading an entry back into
 * the composer or saving it into the open collection. Follows finished requests while watched.
 */
export const useHistoryStore = defineStore('history', () => {
  const entries = ref<HistorySummary[]>([])
  const total = ref(0)
  const query = ref('')
  /** Set when this mode keeps no history on disk (the host says so). */
  const unavailable = ref<string | null>(null)
  let off: (() => void) | null = null
  let pending: ReturnType<typeof setTimeout> | null = null

  async function search(): Promise<void> {
    try {
      const text = query.value.trim()
      const status = /^[1-5](xx|\d\d)$/i.test(text) ? text.toLowerCase() : undefined
      const socket = /^#\d+$/.test(text) ? Number(text.slice(1)) : undefined
      const found = await useApi().searchHistory({
        ...(status || socket !== undefined || !text ? {} : { text }),
        ...(status ? { status } : {}),
        ...(socket !== undefined ? { socket } : {}),
        limit: 200,
      })
      entries.value = found.entries
      total.value = found.total
      unavailable.value = null
    } catch (err) {
      unavailable.value = err instanceof Error ? err.message : String(err)
    }
  }

  /** Search now and again (at most twice a second) as requests finish. */
  function follow(): void {
    if (off) return
    off = useApi().onEvents((events: EngineEvent[]) => {
      if (!events.some((e) => e.type === 'request:completed' || e.type === 'request:failed')) return
      pending ??= setTimeout(() => {
        pending = null
        void search()
      }, 500)
    })
    void search()
  }

  /** Open an entry's request in the composer as it was sent. */
  async function load(id: string): Promise<void> {
    const entry = await useApi().getHistoryEntry({ id })
    // As it was sent (resolved): a new tab, never over a tab that edits a collection file.
    useDraftsStore().place(draftFromSpec(entry.request))
  }

  return { entries, total, query, unavailable, search, follow, load }
})
