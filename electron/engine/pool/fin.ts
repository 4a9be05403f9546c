import { performance } from 'node:perf_hooks'
import type { SocketRecord } from './socket'

/**
 * How long after a response a server's FIN still counts as "closed after the response" rather
 * than an idle close: a reuse within it waits for that FIN (until the origin proved it keeps idle
 * sockets open), and the report waits for it before calling the socket open.
 */
export const FIN_SETTLE_MS = 50

/** One FIN watch per socket and idle period, shared by every request waiting on it. */
const watches = new WeakMap<SocketRecord, { since: number; fin: Promise<boolean> }>()

/** Resolves true when `record`'s socket gets its FIN (or closes) within `ms`, else false. */
export function finWithin(record: SocketRecord, ms: number): Promise<boolean> {
  const socket = record.socket
  if (!socket || record.state !== 'open' || record.gotEnd || socket.destroyed || socket.readableEnded) {
    return Promise.resolve(true)
  }
  const watch = watches.get(record)
  if (watch?.since === record.idleSince) return watch.fin
  const fin = new Promise<boolean>((resolve) => {
    const done = (fin: boolean) => {
      clearTimeout(timer)
      socket.off('end', onFin)
      socket.off('close', onFin)
      resolve(fin)
    }
    const onFin = () => done(true)
    const timer = setTimeout(() => done(false), ms)
    socket.once('end', onFin)
    socket.once('close', onFin)
  })
  watches.set(record, { since: record.idleSince, fin })
  return fin
}

/** Resolves when `record`'s socket has closed (at once if it has none). */
export function closed(record: SocketRecord): Promise<void> {
  const socket = record.socket
  if (!socket || record.state === 'closed') return Promise.resolve()
  return new Promise((resolve) => socket.once('close', () => resolve()))
}

/**
 * Resolves once every socket of `records` that the server (or undici) is already closing has closed,
 * or after `ms`. `risk`: the origin may close right after a response without saying so (see
 * OriginPool.dispatchH1), so a socket idle since just now gets the same bounded wait for its FIN.
 */
export async function settle(records: readonly SocketRecord[], risk: boolean, ms: number): Promise<void> {
  const closing: Array<Promise<unknown>> = []
  const now = performance.now()
  for (const record of records) {
    const s = record.socket
    if (record.state !== 'open' || !s) continue
    if (
      s.destroyed ||
      record.gotEnd ||
      record.goaway ||
      s.readableEnded ||
      (record.connectionClose && record.inFlight === 0)
    ) {
      closing.push(closed(record))
    } else if (risk && record.inFlight === 0 && now - record.idleSince < FIN_SETTLE_MS) {
      // Idle since a response just now: a server that closes after each response without saying
      // so (hypercorn) sends that FIN with a later write; the report must not call the socket open.
      const left = FIN_SETTLE_MS - (now - record.idleSince)
      closing.push(finWithin(record, left).then((fin) => (fin ? closed(record) : undefined)))
    }
  }
  if (closing.length === 0) return
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  await Promise.race([Promise.all(closing), limit])
  clearTimeout(timer)
}
