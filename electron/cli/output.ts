import type { ConnectionInfo, NewSocketReason, PoolStats, RequestResult, Reuse } from '../contract'

/** ANSI styles, or identity functions when colour is off (not a TTY, or NO_COLOR set). */
export interface Palette {
  green(s: string): string
  yellow(s: string): string
  red(s: string): string
  dim(s: string): string
  bold(s: string): string
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`
const plain = (s: string) => s

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function palette(isTTY: boolean | undefined, env: Record<string, string | undefined>): Palette {
  const on = isTTY === true && !env.NO_COLOR
  if (!on) return { green: plain, yellow: plain, red: plain, dim: plain, bold: plain }
  return { green: sgr(32, 39), yellow: sgr(33, 39), red: sgr(31, 39), dim: sgr(2, 22), bold: sgr(1, 22) }
}

/**
 * Column widths for request lines. Lines print as requests complete, so widths start from what is
 * known (URLs, method, request count) and only grow; a long URL is not padded beyond `MAX_URL_PAD`.
 */
export class Layout {
  private widths = { id: 2, method: 3, url: 0, type: 0, size: 8 }
  private static readonly MAX_URL_PAD = 80

  constructor(urls: readonly string[], method: string, total: number) {
    this.widths.id = Math.max(2, `#${total}`.length)
    this.widths.method = method.length
    this.widths.url = Math.min(
      Layout.MAX_URL_PAD,
      urls.reduce((w, u) => Math.max(w, u.length), 0),
    )
  }

  /** Pad `value` to the column's width (right-aligned for numbers), widening it if needed. */
  pad(column: keyof Layout['widths'], value: string, right = false): string {
    if (column !== 'url' || value.length <= Layout.MAX_URL_PAD) {
      this.widths[column] = Math.max(this.widths[column], value.length)
    }
    return right ? value.padStart(this.widths[column]) : value.padEnd(this.widths[column])
  }
}

/**
 * Server-controlled text (content types, error details) must not drive the terminal: control
 * characters (C0, DEL, C1; ESC starts ANSI sequences) are shown escaped, as `\x1b`.
 */
export function printable(text: string): string {
  // Every line of a run prints the same few content types: the last answer is reused.
  if (text === lastPrintable.text) return lastPrintable.shown
  const shown = text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  lastPrintable = { text, shown }
  return shown
}

let lastPrintable = { text: '', shown: '' }
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g

const REASONS: Record<NewSocketReason, string> = {
  first: 'first',
  'all-busy': 'all sockets busy',
  'server-closed': 'previous socket closed by the server',
  'keep-alive-expired': 'keep-alive expired',
  fresh: 'fresh requested',
  retry: 'retry after a stale socket',
  'previous-error': 'previous socket failed',
  'settings-changed': 'pool settings changed',
  goaway: 'previous h2 connection ended with GOAWAY',
}

/** 1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** Sizes as people read them: '27 B', '1.5 KiB', '10.0 MiB'. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** How a reused socket was shared, when it was not simply idle. */
function shared(reuse: Reuse | null | undefined): string {
  if (reuse?.kind === 'multiplexed') return `, h2 stream beside ${reuse.inFlight} in flight`
  if (reuse?.kind === 'pipelined') return `, pipelined behind #${reuse.behind ?? '?'}`
  return ''
}

/** 'socket #1 new (first)' or 'socket #1 reused (2nd request)'. */
export function describeSocket(r: RequestResult): string {
  if (r.socket === null) return 'no socket'
  if (r.reused) return `socket #${r.socket} reused (${ordinal(r.nth)} request${shared(r.reuse)})`
  return `socket #${r.socket} new (${r.reason ? REASONS[r.reason] : 'unknown reason'})`
}

/** The stdout line for a request that got a response. */
export function requestLine(r: RequestResult, layout: Layout, p: Palette): string {
  const status = r.status ?? 0
  const paintStatus = status >= 500 ? p.red : status >= 400 ? p.yellow : p.green
  const socket = describeSocket(r)
  const id = layout.pad('id', `#${r.id}`)
  const method = layout.pad('method', r.method)
  const url = layout.pad('url', r.url)
  const type = layout.pad('type', printable(r.contentType ?? '-'))
  const size = layout.pad('size', formatBytes(r.bodyBytes), true)
  const carried = r.reused ? p.green(socket) : p.yellow(socket)
  return `${id}  ${method}  ${url}  ${paintStatus(String(status))}  ${type}  ${size}  ${carried}  ${p.dim(formatMs(r.totalMs))}${hopMark(r)}`
}

/**
 * A followed redirect's marks: `  ↳ hop 1 of #3` on a hop (its chain's first request is #3),
 * `  → #5` on a response that was followed by request #5. Empty for other requests.
 */
export function hopMark(r: RequestResult): string {
  const hop = r.redirect ? `  ↳ hop ${r.redirect.hop} of #${r.redirect.head}` : ''
  const next = typeof r.redirectedTo === 'number' ? `  → #${r.redirectedTo}` : ''
  return hop + next
}

/** The stderr line for a failed attempt: `#3 GET http://… failed: CODE (phase): message`. */
export function failureLine(r: RequestResult, willRetry: boolean, p: Palette): string {
  const e = r.error ?? { code: 'INTERNAL', phase: 'input', message: 'failed without an error record' }
  // The engine's stale-socket message usually says so already; say it once.
  // NOT_PROCESSED says it is sent again on a new connection (as often as the server refuses it).
  const said = /retry|again/i.test(e.message)
  const retry = willRetry && !said ? ' (retrying once on a fresh socket)' : ''
  const message = printable(e.message)
  return `#${r.id} ${r.method} ${r.url} ${p.red('failed')}: ${e.code} (${e.phase}): ${message}${retry}${hopMark(r)}`
}

function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

function describeState(c: ConnectionInfo): string {
  // A recording (`sockeye open` of a HAR) knows when a socket was last used, not whether it closed.
  if (c.closeReason === null) return c.closedAt === null ? 'open' : `last used at ${formatMs(c.closedAt)}`
  return `closed (${c.closeReason}${c.closeDetail ? `: ${printable(c.closeDetail)}` : ''})`
}

/** `  idle timer 4000 ms (server: Keep-Alive timeout=5, max=100)`, or '' when unknown. */
function idleTimer(c: ConnectionInfo): string {
  const hint = c.keepAliveHint
  const parts = hint
    ? [hint.timeout !== null ? `timeout=${hint.timeout}` : '', hint.max !== null ? `max=${hint.max}` : '']
    : []
  const server = parts.filter(Boolean).join(', ')
  const timer = c.idleTimeout !== undefined ? `  idle timer ${c.idleTimeout} ms` : ''
  return `${timer}${server ? ` (server Keep-Alive: ${server})` : ''}`
}

/** One line per socket: `socket #1  http/1.1  127.0.0.1:8080 ← :53122  2 requests  open`. */
export function connectionLine(c: ConnectionInfo): string {
  // The engine numbers connection attempts too; one that failed to connect has no local port.
  if (c.localPort === 0) return `socket #${c.id}  not connected  ${describeState(c)}`
  const tls = c.tls ? `  ${c.tls.version}` : ''
  const requests = `${c.requests} ${c.requests === 1 ? 'request' : 'requests'}`
  // A HAR records the server's address (if at all), never the local port (-1).
  const remote = c.remoteAddress === '' ? '(address not recorded)' : endpoint(c.remoteAddress, c.remotePort)
  const peer = c.localPort < 0 ? remote : `${remote} ← :${c.localPort}`
  return `socket #${c.id}  ${c.protocol}${tls}  ${peer}  ${requests}${idleTimer(c)}  ${describeState(c)}`
}

/** The per-origin summary (urllib3's num_connections / num_requests, then one line per socket). */
export function summary(
  pools: readonly PoolStats[],
  connections: readonly ConnectionInfo[],
  p: Palette,
): string {
  return pools
    .map((pool) => {
      const lines = [
        p.bold(pool.origin),
        `  Number of connections: ${pool.numConnections}`,
        `  Number of requests: ${pool.numRequests}`,
        ...connections.filter((c) => c.origin === pool.origin).map((c) => `  ${connectionLine(c)}`),
      ]
      return lines.join('\n')
    })
    .join('\n\n')
}

/** The `--json` document; `requests[].socket` is always one of `connections[].id` or null. */
export interface JsonReport {
  requests: RequestResult[]
  connections: ConnectionInfo[]
  pools: PoolStats[]
}
