import type { Timings } from '../contract'

/** Monotonic marks of one request attempt (ms, `performance.now()`); -1 when not reached. */
export interface Marks {
  queuedAt: number
  assignedAt: number
  headersSentAt: number
  bodySentAt: number
  responseAt: number
  endAt: number
  /** dns / connect (incl. ssl) / ssl of the socket when this request opened it, else -1. */
  dns: number
  connect: number
  ssl: number
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000

/**
 * HAR 1.2 timings (§4.2.16). `blocked` is time in the queue not spent opening the socket this
 * request then used; dns/connect/ssl are -1 on a reused socket; connect includes ssl. send, wait and
 * receive are required by HAR, so a phase never reached counts 0.
 */
export function harTimings(m: Marks): Timings {
  const end = m.endAt
  const assigned = m.assignedAt >= 0 ? m.assignedAt : end
  const opening = Math.max(0, m.dns) + Math.max(0, m.connect)
  const blocked = Math.max(0, assigned - m.queuedAt - opening)
  const sent = m.bodySentAt >= 0 ? m.bodySentAt : m.headersSentAt >= 0 ? end : -1
  const send = m.headersSentAt >= 0 ? sent - m.headersSentAt : 0
  const wait = sent >= 0 ? (m.responseAt >= 0 ? m.responseAt : end) - sent : 0
  const receive = m.responseAt >= 0 ? end - m.responseAt : 0
  return {
    blocked: round(blocked),
    dns: m.dns < 0 ? -1 : round(m.dns),
    connect: m.connect < 0 ? -1 : round(m.connect),
    ssl: m.ssl < 0 ? -1 : round(m.ssl),
    send: round(Math.max(0, send)),
    wait: round(Math.max(0, wait)),
    receive: round(Math.max(0, receive)),
  }
}
