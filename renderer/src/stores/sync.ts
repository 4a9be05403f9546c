import type { SyncSink } from '../api/sync'
import { useConnectionsStore } from './connections'
import { useOlderStore } from './older'
import { usePoolsStore } from './pools'
import { useRequestsStore } from './requests'
import { useUiStore } from './ui'

/** The stores as one sync target: every batch goes to each domain store once. */
export function storeSink(): SyncSink {
  const requests = useRequestsStore()
  const connections = useConnectionsStore()
  const pools = usePoolsStore()
  const older = useOlderStore()
  const ui = useUiStore()
  return {
    load(snapshot) {
      requests.load(snapshot.requests)
      older.reset(snapshot.requests, snapshot.olderRequests)
      connections.load(snapshot.connections)
      pools.load(snapshot)
      ui.loaded = true
      if (ui.selectedId !== null && !requests.row(ui.selectedId)) ui.select(null)
    },
    apply(events) {
      // The selected row stays in the list however many rows arrive after it.
      requests.apply(events, ui.selectedId)
      connections.apply(events)
      pools.apply(events)
    },
    link: (state, detail) => ui.setLink(state, detail),
    error: (err) => ui.fail(err),
  }
}
