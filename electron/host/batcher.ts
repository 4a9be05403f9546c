import { REQUEST_STEPS, type EngineEvent } from '../contract'

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

const STEPS = new Set<EngineEvent['type']>(REQUEST_STEPS)

/**
 * A batch without the steps of requests that also end in it. The renderer applies a batch as one
 * change, so those steps were never seen: the final record holds the socket, reuse, status,
 * headers and timings they would have set. In a burst most requests start and end within one
 * 16 ms window, and their steps were two thirds of the bytes sent to the renderer.
 */
export function withoutSteps(events: EngineEvent[]): EngineEvent[] {
  const ended = new Set<number>()
  for (const e of events) {
    if (e.type === 'request:completed' || e.type === 'request:failed') ended.add(e.result.id)
  }
  if (ended.size === 0) return events
  return events.filter((e) => !(STEPS.has(e.type) && ended.has((e as { requestId: number }).requestId)))
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
    const events = withoutSteps(replaced === 0 ? (batch as EngineEvent[]) : batch.filter((e) => e !== null))
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
