import { performance } from 'node:perf_hooks'
import type { EngineEvent, Origin, PoolStats } from '../contract'

/** Anything with live pool stats (an origin's pools). */
export interface StatsSource {
  readonly origin: Origin
  stats(): PoolStats
  /** Set while the source waits for the next flush (saves a Set per emitter). */
  statsDirty: boolean
}

/**
 * Emits `pool:stats` when an origin's numbers change, at most once per origin per event-loop turn
 * however many requests moved in it (a burst of 1,000 sends costs one event, not 1,000).
 */
export class StatsEmitter {
  private readonly dirty: StatsSource[] = []
  private readonly last = new Map<Origin, PoolStats>()
  private pending: NodeJS.Immediate | null = null
  private stopped = false

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  changed(source: StatsSource): void {
    if (!source.statsDirty) {
      source.statsDirty = true
      this.dirty.push(source)
    }
    this.pending ??= setImmediate(() => this.flush())
  }

  stop(): void {
    this.stopped = true
    if (this.pending) clearImmediate(this.pending)
    this.pending = null
  }

  private flush(): void {
    this.pending = null
    if (this.stopped) return
    for (const source of this.dirty) {
      source.statsDirty = false
      const stats = source.stats()
      const last = this.last.get(source.origin)
      if (last && same(last, stats)) continue
      this.last.set(source.origin, stats)
      this.emit({ type: 'pool:stats', seq: 0, t: performance.now(), stats })
    }
    this.dirty.length = 0
  }
}

function same(a: PoolStats, b: PoolStats): boolean {
  return (
    a.connected === b.connected &&
    a.free === b.free &&
    a.pending === b.pending &&
    a.queued === b.queued &&
    a.running === b.running &&
    a.size === b.size &&
    a.numConnections === b.numConnections &&
    a.numRequests === b.numRequests
  )
}
