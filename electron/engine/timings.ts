import type { Timings } from '../contract'

/** Monotonic marks of one request attempt (ms, `performance.now()`); -1 when not reached. */
export interface Marks {
  readonly queuedAt: number
  readonly assignedAt: number
  readonly headersSentAt: number
  readonly bodySentAt: number
  readonly responseAt: number
  readonly endAt: number
}

/** dns / connect (incl. ssl) / ssl of the socket when the request opened it; all -1 when reused. */
export interface Opening {
  dns: number
  connect: number
  ssl: number
}

const REUSED: Opening = { dns: -1, connect: -1, ssl: -1 }

const round = (ms: number): number => Math.round(ms * 1000) / 1000

/**
 * HAR 1.2 timings (§4.2.16). `blocked` is time in the queue not spent opening the socket this
 * request then used; dns/connect/ssl are -1 on a reused socket; connect includes ssl. send, wait and
 * receive are required by HAR, so a phase never reached counts 0.
 */
export function harTimings(m: Marks, o: Opening = REUSED): Timings {
  const end = m.endAt
  const assigned = m.assignedAt >= 0 ? m.assignedAt : end
  const opening = Math.max(0, o.dns) + Math.max(0, o.connect)
  const blocked = Math.max(0, assigned - m.queuedAt - opening)
  const sent = m.bodySentAt >= 0 ? m.bodySentAt : m.headersSentAt >= 0 ? end : -1
  const send = m.headersSentAt >= 0 ? sent - m.headersSentAt : 0
  const wait = sent >= 0 ? (m.responseAt >= 0 ? m.responseAt : end) - sent : 0
  const receive = m.responseAt >= 0 ? end - m.responseAt : 0
  return {
    blocked: round(blocked),
    dns: o.dns < 0 ? -1 : round(o.dns),
    connect: o.connect < 0 ? -1 : round(o.connect),
    ssl: o.ssl < 0 ? -1 : round(o.ssl),
    send: round(Math.max(0, send)),
    wait: round(Math.max(0, wait)),
    receive: round(Math.max(0, receive)),
  }
}
