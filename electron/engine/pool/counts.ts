import type { Origin, PoolStats } from '../../contract'
import type { Generation } from './generation'

/** One origin's pool statistics, summed over its generations (h2 streams and held requests included). */
export function poolStats(
  origin: Origin,
  generations: Iterable<Generation>,
  numConnections: number,
  numRequests: number,
): PoolStats {
  const s: PoolStats = {
    origin,
    connected: 0,
    free: 0,
    pending: 0,
    queued: 0,
    running: 0,
    size: 0,
    numConnections,
    numRequests,
  }
  for (const gen of generations) {
    const p = gen.pool.stats
    const held = gen.held.length
    s.connected += p.connected
    s.free += p.free
    s.pending += p.pending + held
    s.queued += p.queued + held
    s.running += p.running
    s.size += p.size + held
    const h2 = gen.h2
    if (h2?.open) {
      const inFlight = h2.record.inFlight
      s.connected++
      if (inFlight === 0) s.free++
      s.running += inFlight
      s.size += inFlight
    }
  }
  return s
}
