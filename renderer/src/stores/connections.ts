import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import type { ConnectionInfo, EngineEvent, Origin } from '../api/contract'

/** A socket still in its TCP/TLS handshake (socket:connecting seen, socket:opened not yet). */
export interface PendingSocket {
  id: number
  origin: Origin
  since: number
}

/** Sockets by id from socket:* events and request assignment; lanes per origin. */
export const useConnectionsStore = defineStore('connections', () => {
  // The live maps, mutated in place by events; `byId`/`connecting` hold them, or a recording's
  // instead while one is shown (then events still fill the live maps, unseen until it closes).
  let live = new Map<number, ConnectionInfo>()
  let pending = new Map<number, PendingSocket>()
  const byId = shallowRef(live)
  const connecting = shallowRef(pending)
  const showingLive = () => byId.value === live

  const all = computed(() => [...byId.value.values()].sort((a, b) => a.id - b.id))
  /** One lane per socket, grouped by origin, in socket order. */
  const lanes = computed(() => {
    const out = new Map<Origin, ConnectionInfo[]>()
    for (const c of all.value) {
      const list = out.get(c.origin) ?? []
      list.push(c)
      out.set(c.origin, list)
    }
    return out
  })
  const origins = computed(() => [...lanes.value.keys()].sort())
  /** Each socket's 0-based place among its origin's sockets (ids ascend in opening order). */
  const ordinals = computed(() => {
    const out = new Map<number, number>()
    for (const list of lanes.value.values()) list.forEach((c, i) => out.set(c.id, i))
    return out
  })

  /** A socket's place among its origin's sockets; unknown sockets count from their id. */
  function ordinal(id: number): number {
    return ordinals.value.get(id) ?? id - 1
  }

  /** Replace every socket with a snapshot's. */
  function load(connections: ConnectionInfo[]): void {
    const shown = showingLive()
    live = new Map(connections.map((c) => [c.id, c]))
    pending = new Map()
    if (shown) {
      byId.value = live
      connecting.value = pending
    }
  }

  /** Show a recording's sockets instead of the live ones (null: back to live). */
  function showRecorded(connections: ConnectionInfo[] | null): void {
    byId.value = connections === null ? live : new Map(connections.map((c) => [c.id, c]))
    connecting.value = connections === null ? pending : new Map()
  }

  /** Apply one batch of engine events in a single mutation. */
  function apply(events: EngineEvent[]): void {
    const map = live
    const pend = pending
    let changed = false
    let pendChanged = false
    for (const e of events) {
      switch (e.type) {
        case 'socket:connecting':
          pend.set(e.socketId, { id: e.socketId, origin: e.origin, since: e.t })
          pendChanged = true
          break
        case 'socket:opened':
          map.set(e.connection.id, e.connection)
          pendChanged = pend.delete(e.connection.id) || pendChanged
          changed = true
          break
        case 'socket:closed': {
          pendChanged = pend.delete(e.socketId) || pendChanged
          const c = map.get(e.socketId)
          if (!c) break
          map.set(e.socketId, {
            ...c,
            closedAt: e.closedAt,
            closeReason: e.reason,
            closeDetail: e.detail ?? e.error?.message ?? null,
            requests: Math.max(c.requests, e.requests),
          })
          changed = true
          break
        }
        case 'request:assigned': {
          const c = map.get(e.socketId)
          if (!c || c.requests >= e.nth) break
          map.set(e.socketId, { ...c, requests: e.nth })
          changed = true
          break
        }
        // The host leaves out the steps (request:assigned among them) of a request that ends in
        // the same batch: its final record says which socket carried it, as which nth.
        case 'request:completed':
        case 'request:failed': {
          const { socket, nth } = e.result
          const c = socket === null ? undefined : map.get(socket)
          if (!c || c.requests >= nth) break
          map.set(c.id, { ...c, requests: nth })
          changed = true
          break
        }
        default:
          break
      }
    }
    if (!showingLive()) return
    if (changed) triggerRef(byId)
    if (pendChanged) triggerRef(connecting)
  }

  return {
    byId,
    connecting,
    all,
    lanes,
    origins,
    ordinals,
    ordinal,
    load,
    showRecorded,
    apply,
  }
})
