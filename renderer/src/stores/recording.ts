import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { PoolStats } from '../api/contract'
import { useApi } from '../api/current'
import { useConnectionsStore } from './connections'
import { useRequestsStore } from './requests'
import { useUiStore } from './ui'

/**
 * A HAR opened as a recording (#8): its entries become the request list's rows and its connection
 * ids the Connections view's lanes, through the same `openHar` call `sockeye open` uses. While one is
 * open the live rows keep filling underneath; closing it (or sending a request) returns to live.
 */
export const useRecordingStore = defineStore('recording', () => {
  const requests = useRequestsStore()
  const connections = useConnectionsStore()
  const ui = useUiStore()
  /** The file's name (or "pasted HAR"); null: the live engine is shown. */
  const name = ref<string | null>(null)
  /** Socket id → the connection id the HAR gave it (Chrome's socket id). */
  const ids = shallowRef(new Map<number, string>())
  /** What the recording says per origin: its socket and request counts. */
  const pools = shallowRef<PoolStats[]>([])
  const active = computed(() => name.value !== null)
  /** The live selection, given back on close. */
  let liveSelection: number | null = null
  // Filters name origins, sockets and times of one side (a recording's times start at 0): a filter
  // carried across would hide every row of the other.
  const resetFilters = () => {
    requests.originFilter = null
    requests.socketFilter = null
    requests.highlightedSocket = null
    requests.setTimeRange(null)
  }

  /** Open a HAR document (its text) as the shown recording; rejects with the host's one line. */
  async function open(text: string, file: string): Promise<void> {
    const recording = await useApi().openHar({ text })
    if (!active.value) liveSelection = ui.selectedId
    requests.showRecorded(recording.requests)
    connections.showRecorded(recording.connections)
    ids.value = new Map(recording.connections.map((c) => [c.id, c.recorded]))
    pools.value = recording.pools
    name.value = file
    resetFilters()
    ui.select(recording.requests[0]?.id ?? null)
  }

  /** Back to the live engine's requests and sockets (and the live selection, unless `keep`). */
  function close(keep = false): void {
    if (!active.value) return
    requests.showRecorded(null)
    connections.showRecorded(null)
    ids.value = new Map()
    pools.value = []
    name.value = null
    resetFilters()
    if (!keep) ui.select(liveSelection !== null && requests.row(liveSelection) ? liveSelection : null)
  }

  /** The HAR's own id for one of the recording's sockets. */
  function recordedId(socket: number): string | null {
    return ids.value.get(socket) ?? null
  }

  // Send selects its new (live) request, which may not have arrived yet: show live, keep that selection.
  watch(
    () => ui.revealTick,
    () => close(true),
  )

  return { name, ids, pools, active, open, close, recordedId }
})
