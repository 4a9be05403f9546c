import type { CloseReason, NewSocketReason, Reuse } from '../api/contract'

/** `12.3 ms`, `1.24 s`; an en dash when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return '–'
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(2)} s`
}

/** `512 B`, `1.5 kB`, `2.0 MB` (powers of 1000, like DevTools). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || n < 0) return '–'
  if (n < 1000) return `${n} B`
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`
  return `${(n / 1_000_000).toFixed(1)} MB`
}

const NEW_SOCKET: Record<NewSocketReason, string> = {
  first: 'First request to this origin: no socket existed yet.',
  'all-busy': 'Every open socket was busy and the pool had room for another.',
  'server-closed': 'The server had closed the previous socket (or sent Connection: close).',
  'keep-alive-expired': "The previous socket sat idle past the client's keep-alive timer and was closed.",
  fresh: 'You asked for a fresh connection.',
  retry: 'A reused socket turned out stale; this idempotent request was retried on a new one.',
  'previous-error': 'The previous socket died with an error.',
  'settings-changed': 'The pool settings changed: a new pool was built with them.',
  goaway:
    'The server ended the previous HTTP/2 connection with GOAWAY; streams it had not processed were sent again here.',
}

/** How a request shared a socket that was already open, as a sentence. */
export function reuseText(reuse: Reuse | null | undefined): string {
  if (reuse?.kind === 'multiplexed') {
    const others = reuse.inFlight === 1 ? '1 other stream' : `${reuse.inFlight} other streams`
    return `Multiplexed as a new HTTP/2 stream beside ${others} in flight.`
  }
  if (reuse?.kind === 'pipelined') {
    return `Pipelined on a busy socket, written behind req ${reuse.behind ?? '?'}.`
  }
  return 'Reused an idle keep-alive socket.'
}

/** Why a new socket was opened, as a sentence. */
export function newSocketText(reason: NewSocketReason | null): string {
  return reason === null ? 'Reused an idle keep-alive socket.' : NEW_SOCKET[reason]
}

const CLOSED: Record<CloseReason, string> = {
  'idle-timeout': 'client idle timer',
  'server-closed': 'server closed it',
  'connection-close': 'Connection: close',
  error: 'error',
  'pool-closed': 'pool closed',
}

/** Why a socket closed, in a few words. */
export function closeText(reason: CloseReason | null): string {
  return reason === null ? 'open' : CLOSED[reason]
}

/** Stable hue per socket id: golden-angle steps keep neighbouring ids far apart on the wheel. */
export function socketHue(id: number): number {
  return Math.round((id * 137.508) % 360)
}

/** How many sockets of one origin get a hue of their own. */
export const DISTINCT_SOCKETS = 12

// Twelve hues spaced by eye rather than by degrees (greens span far more of the wheel than reds), in an
// order that keeps consecutive sockets far apart: blue, red, green, violet, amber, teal, pink, lime, indigo,
// orange, cyan, magenta.
const PALETTE = [215, 0, 130, 275, 45, 170, 335, 88, 245, 22, 192, 305] as const

/**
 * A socket's chip look from its 0-based place among its origin's sockets: the first 12 get 12 distinct
 * hues; from the 13th on the hues repeat with a pattern.
 */
export function socketLook(ordinal: number): { hue: number; patterned: boolean } {
  const i = Math.max(0, ordinal)
  return { hue: PALETTE[i % DISTINCT_SOCKETS]!, patterned: i >= DISTINCT_SOCKETS }
}

/** `host:port` with an IPv6 address in brackets (RFC 3986 §3.2.2), as a URL writes it. */
export function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`
}

// A burst's rows share a few URLs: parsing each one again for every row drawn was a URL parse per
// row per frame. Bounded: cleared when full.
const paths = new Map<string, string>()

/** A URL's path and query as the request list shows it (the text itself when it does not parse). */
export function pathOf(url: string): string {
  let path = paths.get(url)
  if (path !== undefined) return path
  try {
    const u = new URL(url)
    path = `${u.pathname}${u.search}`
  } catch {
    path = url
  }
  if (paths.size >= 1000) paths.clear()
  paths.set(url, path)
  return path
}

/**
 * A count with thousands separators, `12,345` (en-US), without Intl: the page's first
 * toLocaleString loads ICU's number data, 24-47 ms measured in Chromium, and the list's
 * older-requests line first formats a count in the middle of a burst (when the list reaches
 * LIMITS.listRows).
 */
export function formatCount(n: number): string {
  const [whole, fraction] = String(n).split('.')
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}
