import type { EngineEvent, Snapshot } from './contract'
import type { LinkState, RendererApi } from './current'

/** Where synced state goes: the stores, through one function each. */
export interface SyncSink {
  /** Replace all state with a snapshot (first connect and every reconnect). */
  load(snapshot: Snapshot): void
  /** Apply one batch of events, already in order and newer than the snapshot. */
  apply(events: EngineEvent[]): void
  link(state: LinkState, detail: string | null): void
  error(err: unknown): void
}

/**
 * Keep the sink in step with the engine. On every (re)connect: take a snapshot, rebuild from it,
 * then apply the events that arrived meanwhile with seq > snapshot.lastSeq. Events that arrive
 * while the snapshot is in flight are buffered, so none is lost or applied twice.
 */
export function startSync(api: RendererApi, sink: SyncSink): () => void {
  let lastSeq = -1
  let buffer: EngineEvent[] | null = null
  let generation = 0

  const resync = async () => {
    const mine = ++generation
    buffer = []
    try {
      const snapshot = await api.snapshot({})
      if (mine !== generation) return
      sink.load(snapshot)
      lastSeq = snapshot.lastSeq
      const late = buffer.filter((e) => e.seq > lastSeq)
      buffer = null
      deliver(late)
    } catch (err) {
      if (mine === generation) buffer = null
      sink.error(err)
    }
  }

  const deliver = (events: EngineEvent[]) => {
    const fresh = events.filter((e) => e.seq > lastSeq)
    if (fresh.length === 0) return
    lastSeq = fresh[fresh.length - 1]!.seq
    sink.apply(fresh)
  }

  const offEvents = api.onEvents((events) => {
    if (buffer) buffer.push(...events)
    else deliver(events)
  })
  const offLink = api.onLink((state, detail) => {
    sink.link(state, detail)
    if (state === 'open') void resync()
  })
  return () => {
    offEvents()
    offLink()
  }
}
