import type { EngineEvent } from '../contract'

/** Collects engine events and hands them over in batches. */
export interface EventBatcher {
  push(event: EngineEvent): void
  /** Drop anything pending and stop the timer. */
  close(): void
}

/**
 * Key under which an event may be replaced by a later one of the same kind in the same batch.
 * Progress and pool stats are cumulative snapshots, so only the last one of a batch carries
 * information; every other event is a transition the renderer must see.
 */
function coalesceKey(event: EngineEvent): string | null {
  if (event.type === 'request:bodyProgress') return `p:${event.requestId}`
  if (event.type === 'pool:stats') return `s:${event.stats.origin}`
  return null
}

/**
 * Batch events so a burst of thousands reaches the renderer as at most one message per
 * `intervalMs` (~60 per second at 16 ms): per-message overhead (IPC structured clone, a
 * WebSocket frame, a Vue re-render) then stays flat however fast the engine runs.
 * The timer starts with the first event of a batch, so an idle engine costs no timers.
 * A coalesced event keeps the position of its latest occurrence, so each batch stays in seq order.
 */
export function createBatcher(flush: (events: EngineEvent[]) => void, intervalMs = 16): EventBatcher {
  let batch: Array<EngineEvent | null> = []
  let slots = new Map<string, number>()
  let replaced = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  const reset = () => {
    batch = []
    slots = new Map()
    replaced = 0
  }
  const deliver = () => {
    timer = null
    const events = replaced === 0 ? (batch as EngineEvent[]) : batch.filter((e) => e !== null)
    reset()
    if (events.length > 0) flush(events)
  }

  return {
    push(event) {
      const key = coalesceKey(event)
      if (key !== null) {
        const previous = slots.get(key)
        if (previous !== undefined) {
          batch[previous] = null
          replaced++
        }
        slots.set(key, batch.length)
      }
      batch.push(event)
      timer ??= setTimeout(deliver, intervalMs)
    },
    close() {
      if (timer) clearTimeout(timer)
      timer = null
      reset()
    },
  }
}
