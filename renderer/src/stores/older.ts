import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { RequestResult } from '../api/contract'
import { useApi } from '../api/current'
import { LIMITS } from '../../../electron/contract/limits'
import { useRequestsStore } from './requests'

/** Records asked for per "Load more" (or per scroll to the top). */
export const OLDER_PAGE = LIMITS.listPage

/**
 * Older requests the engine keeps but the snapshot left out (it carries only the newest
 * LIMITS.pageRequests), paged in on demand with `listRequests`. Pages go back in ARRIVAL order, so
 * the cursor is the first record of the snapshot or of the last page, not the lowest id held.
 * The list stops paging at LIMITS.listRows rows: the renderer's heap stays bounded however many
 * records the engine keeps (up to LIMITS.history).
 */
export const useOlderStore = defineStore('older', () => {
  const requests = useRequestsStore()
  /** Kept records older than the oldest page held (0: nothing more to load). */
  const count = ref(0)
  /** `before` for the next page: the first (earliest-arrived) record of the last page or snapshot. */
  const cursor = ref<number | null>(null)
  const loading = ref(false)
  /** Live rows the list let go so far (it only grows): the list keeps its view on them. */
  const dropped = ref(0)
  /** Bumped by every snapshot, so a page asked for before a reconnect is not merged after it. */
  let epoch = 0

  /** How many more rows the list may take from older pages. */
  const room = computed(() => Math.max(0, LIMITS.listRows - requests.table.order.length))
  /** Older records exist but the list is full: say so instead of offering more. */
  const capped = computed(() => count.value > 0 && room.value === 0)

  /** Start over from a snapshot's records (arrival order) and its `olderRequests`. */
  function reset(results: RequestResult[], older = 0): void {
    epoch++
    loading.value = false
    cursor.value = results[0]?.id ?? null
    count.value = cursor.value === null ? 0 : older
  }

  /**
   * Page in up to OLDER_PAGE records that arrived before the cursor and merge them into the list.
   * Resolves to how many rows were new (0 when there is nothing to load, the list is full, a page
   * is already on its way, or a reconnect replaced the state meanwhile).
   */
  async function loadMore(): Promise<number> {
    const before = cursor.value
    const limit = Math.min(OLDER_PAGE, room.value)
    if (loading.value || before === null || count.value === 0 || limit === 0) return 0
    const asked = epoch
    loading.value = true
    try {
      const page = await useApi().listRequests({ before, limit })
      if (asked !== epoch) return 0
      // An empty page: `before` was dropped from the engine's history, and so was all before it.
      cursor.value = page.requests[0]?.id ?? null
      count.value = page.requests.length === 0 ? 0 : page.older
      return requests.prepend(page.requests)
    } finally {
      if (asked === epoch) loading.value = false
    }
  }

  /**
   * `n` live rows left the list (it holds at most LIMITS.listRows): they are older records
   * now, before the first finished row still held. A page on its way was asked for from an older
   * cursor: it is not merged.
   */
  function shed(n: number): void {
    dropped.value += n
    epoch++
    loading.value = false
    cursor.value = requests.firstArrived()
    count.value = cursor.value === null ? 0 : count.value + n
  }

  requests.$onAction(({ name, after }) => {
    // Clear forgets every record in the engine too: nothing older is left to page in.
    if (name === 'clear') after(() => reset([]))
    else if (name === 'apply') after((dropped) => void (dropped > 0 && shed(dropped as number)))
  })

  return { count, cursor, loading, dropped, room, capped, reset, loadMore, shed }
})
