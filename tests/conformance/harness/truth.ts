/**
 * The server's view is the judge. A `Hit` is one request line from a server's own access log; the
 * comparison maps each Sockeye socket to its client port (`connections[].localPort`) and checks that
 * the server saw exactly those requests on exactly those connections.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { CloseReason, NewSocketReason } from '../../../electron/contract'
import type { CliRun } from './sockeye'

/** One request as the server logged it. */
export interface Hit {
  /** Client port of the connection that carried it. */
  port: number
  method: string
  /** Path with query, as requested. */
  path: string
  status: number
  /** Protocol the server saw ('HTTP/1.1', 'HTTP/2', 'HTTP/1.0'). */
  protocol: string
  /** The server's own connection id, when it logs one (nginx `$connection`, h2o connection-id). */
  connection?: string
  /** The server's own count of this request on its connection, 1-based (nginx `$connection_requests`). */
  nth?: number
  /** The server found it already buffered behind the previous request (nginx `$pipe`). */
  pipelined?: boolean
  /** The TLS session was resumed (nginx `$ssl_session_reused`). */
  resumed?: boolean
}

/** Lines of `file` (missing file: none yet). */
export function lines(file: string): string[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}

/**
 * Wait until the server has logged the marker request and at least `count` hits under `prefix`,
 * at most `ms` (log writes trail the responses by a few milliseconds; the deadline is the bound).
 */
export async function settle(read: () => Hit[], prefix: string, count: number, ms = 3000): Promise<Hit[]> {
  const deadline = Date.now() + ms
  for (;;) {
    const all = read().filter((h) => h.path.startsWith(prefix))
    const marked = all.some((h) => h.path.includes('__mark'))
    const hits = all.filter((h) => !h.path.includes('__mark'))
    if ((marked && hits.length >= count) || Date.now() > deadline) return hits
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** How a socket ended, as the server's configuration and log say it must. */
export type Final = 'open' | 'server' | 'client-idle' | 'error'

const FINAL: Record<Final, (CloseReason | null)[]> = {
  open: [null],
  // A server close after a response: `Connection: close`, an HTTP/1.0 response, a FIN or a GOAWAY.
  server: ['server-closed', 'connection-close'],
  'client-idle': ['idle-timeout'],
  error: ['error'],
}

/** What the server's configuration makes true for a scenario, beyond what its log shows. */
export interface Expect {
  /** Requests the user asked for (URLs × repeat). */
  sent: number
  status?: number
  protocol?: 'http/1.1' | 'h2'
  /** The response's HTTP version ('1.0', '1.1', '2'). */
  httpVersion?: string
  /** Why each socket was opened, in id order (a list: any of those reasons is true). */
  reasons?: (NewSocketReason | NewSocketReason[])[]
  /** How each socket ended, in id order. */
  finals?: Final[]
  exitCode?: number
}

function count<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>()
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1)
  return m
}

function pathOf(url: string): string {
  const u = new URL(url)
  return u.pathname + u.search
}

/** Every way Sockeye's account differs from the server's; empty when they agree. */
export function compare(run: CliRun, hits: Hit[], expect: Expect): string[] {
  const d: string[] = []
  const r = run.report
  if (run.code !== (expect.exitCode ?? 0)) d.push(`exit code ${run.code}, expected ${expect.exitCode ?? 0}`)
  // The CLI may say on stderr that a stream the server did not process is being sent again.
  const errors = run.stderr
    .split('\n')
    .filter((l) => l.trim() && !(l.includes('NOT_PROCESSED') && l.includes('sending it again')))
  if (errors.length) d.push(`stderr: ${errors.slice(0, 3).join(' | ')}`)
  if (!r) return [...d, `no JSON report: ${run.stdout.slice(0, 200)}`]

  if (hits.length !== expect.sent)
    d.push(`server received ${hits.length} requests, the user sent ${expect.sent}`)
  // An h2 stream above a GOAWAY's last_stream_id (or refused) was not processed by the server: its
  // attempt is reported NOT_PROCESSED and sent again, which is not a second send (RFC 9113 §6.8).
  const unprocessed = new Set(r.requests.filter((q) => q.error?.code === 'NOT_PROCESSED').map((q) => q.id))
  const attempts = r.requests.length - unprocessed.size
  if (attempts !== expect.sent)
    d.push(`Sockeye reports ${attempts} requests processed, the user sent ${expect.sent}`)
  for (const id of unprocessed)
    if (!r.requests.some((q) => q.retryOf === id))
      d.push(`request #${id}: the server did not process it (NOT_PROCESSED) and it was never sent again`)
  for (const q of r.requests) {
    if (q.error && !unprocessed.has(q.id))
      d.push(`request #${q.id} failed: ${q.error.code} ${q.error.message}`)
    if (q.retryOf !== null && !unprocessed.has(q.retryOf))
      d.push(`request #${q.id} is a retry of #${q.retryOf}`)
    if (unprocessed.has(q.id)) continue
    if (expect.status !== undefined && q.status !== expect.status)
      d.push(`request #${q.id} status ${q.status}`)
    if (expect.httpVersion && q.status !== null && q.httpVersion !== expect.httpVersion)
      d.push(`request #${q.id} httpVersion ${q.httpVersion}, the server answered ${expect.httpVersion}`)
  }

  // Socket → client port → what the server logged on that port.
  const byPort = new Map<number, Hit[]>()
  for (const h of hits) byPort.set(h.port, [...(byPort.get(h.port) ?? []), h])
  const ports = new Set<number>()
  for (const c of r.connections) {
    const carried = r.requests.filter((q) => q.socket === c.id && q.status !== null)
    const seen = byPort.get(c.localPort) ?? []
    ports.add(c.localPort)
    if (c.requests !== carried.length)
      d.push(
        `socket #${c.id}: connections[].requests ${c.requests}, requests[] answered on it ${carried.length}`,
      )
    if (seen.length !== carried.length)
      d.push(
        `socket #${c.id} (port ${c.localPort}): server saw ${seen.length} requests, Sockeye says ${carried.length}`,
      )
    const want = count(seen.map((h) => h.path))
    const got = count(carried.map((q) => pathOf(q.url)))
    for (const [p, n] of want)
      if (got.get(p) !== n) d.push(`socket #${c.id}: server saw ${p} ×${n}, Sockeye ×${got.get(p) ?? 0}`)
    const conns = new Set(seen.map((h) => h.connection).filter(Boolean))
    if (conns.size > 1) d.push(`socket #${c.id}: the server logged ${conns.size} connection ids on one port`)
    const onSocket = r.requests.filter((q) => q.socket === c.id).sort((a, b) => a.nth - b.nth)
    onSocket.forEach((q, i) => {
      if (q.nth !== i + 1) d.push(`request #${q.id}: nth ${q.nth} on socket #${c.id}, expected ${i + 1}`)
      if (q.reused !== i > 0)
        d.push(`request #${q.id}: reused ${q.reused} as request ${i + 1} on socket #${c.id}`)
      if ((q.reason === null) !== i > 0)
        d.push(`request #${q.id}: reason ${q.reason} as request ${i + 1} on socket #${c.id}`)
    })
    for (const q of onSocket) {
      const kind = q.reuse?.kind
      if (q.reused && !q.reuse) d.push(`request #${q.id}: reused without saying how (reuse null)`)
      if (kind === 'multiplexed' && c.protocol !== 'h2')
        d.push(`request #${q.id}: multiplexed on ${c.protocol}`)
      if (kind === 'pipelined' && c.protocol === 'h2') d.push(`request #${q.id}: pipelined on h2`)
      // The server saw it already buffered behind the previous one: the client must have sent it
      // before that response ended (the converse does not hold: the server may have caught up).
      const h = seen.find((x) => x.nth === q.nth)
      if (h?.pipelined && kind !== 'pipelined')
        d.push(`request #${q.id}: the server read it pipelined, Sockeye says reuse ${kind ?? 'none'}`)
    }
    const resumed = seen.find((h) => h.resumed !== undefined)?.resumed
    if (resumed !== undefined && c.tls && (c.tls.resumed ?? false) !== resumed)
      d.push(`socket #${c.id}: tls.resumed ${c.tls.resumed}, the server says ${resumed}`)
    if (c.tls && !c.tls.peer) d.push(`socket #${c.id}: tls.peer is null (no certificate shown)`)
    const nths = seen.map((h) => h.nth).filter((n): n is number => n !== undefined)
    if (nths.length && Math.max(...nths) !== carried.length)
      d.push(
        `socket #${c.id}: server counted ${Math.max(...nths)} requests on the connection, Sockeye ${carried.length}`,
      )
    const proto = seen[0]?.protocol
    if (proto && (proto === 'HTTP/2' || proto === 'HTTP/2.0') !== (c.protocol === 'h2'))
      d.push(`socket #${c.id}: protocol ${c.protocol}, the server saw ${proto}`)
  }
  for (const [port, seen] of byPort)
    if (!ports.has(port))
      d.push(`server saw a connection from port ${port} (${seen.length} requests) Sockeye does not list`)

  const ids = r.connections.map((c) => c.id)
  ids.forEach((id, i) => {
    if (id !== i + 1) d.push(`socket ids ${ids.join(',')} skip a number`)
  })
  if (expect.protocol)
    for (const c of r.connections)
      if (c.protocol !== expect.protocol) d.push(`socket #${c.id} protocol ${c.protocol}`)
  if (expect.reasons) {
    const got = r.connections.map((c) => c.openReason)
    const want = expect.reasons.map((w) => [w].flat())
    if (got.length !== want.length || want.some((w, i) => !w.includes(got[i]!)))
      d.push(`socket reasons [${got.join(', ')}], expected [${want.map((w) => w.join('|')).join(', ')}]`)
  }
  if (expect.finals) {
    const got = r.connections.map((c) => c.closeReason)
    if (
      got.length !== expect.finals.length ||
      expect.finals.some((f, i) => !FINAL[f].includes(got[i] ?? null))
    )
      d.push(
        `socket final states [${got.map((g) => g ?? 'open').join(', ')}], expected [${expect.finals.join(', ')}]`,
      )
  }
  return [...new Set(d)]
}
