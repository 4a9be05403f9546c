import type { Socket } from 'node:net'
import type { PeerCertificate, TLSSocket } from 'node:tls'
import type { Dispatcher } from 'undici'
import type {
  CertificateSummary,
  CloseReason,
  ConnectionInfo,
  KeepAliveHint,
  NewSocketReason,
  Origin,
  TlsInfo,
} from '../contract'
import { KEEP_ALIVE_MARGIN_MS } from '../contract/model'

/*
 * undici keeps a socket only for `server's Keep-Alive timeout − KEEP_ALIVE_MARGIN_MS`, so it never
 * reuses a socket the server is about to drop. Node's own http Agent uses the same 1 s buffer
 * (`agentKeepAliveTimeoutBuffer`); undici's default of 2 s would make `timeout=2` useless. The value
 * lives in the contract because the renderer explains it on the connection card.
 */
export { KEEP_ALIVE_MARGIN_MS }

/** Everything the engine knows about one connection; `info` is the plain-JSON view, updated in place. */
export class SocketRecord {
  readonly info: ConnectionInfo
  state: 'connecting' | 'open' | 'closed' = 'connecting'
  socket: Socket | null = null
  readonly startedAt: number
  lookupAt = -1
  tcpAt = -1
  tlsAt = -1
  /** Requests written to this socket and not yet finished. */
  inFlight = 0
  /** When the socket last became idle (no request in flight). */
  idleSince = 0
  lastError: Error | null = null
  /** The server sent FIN. */
  gotEnd = false
  /** A response on this socket carried `Connection: close`. */
  connectionClose = false
  private keepAliveRaw: string | null = null
  /** Set when the engine itself closes the socket on purpose (fresh connection, pool closed). */
  closedBy: string | null = null
  /** The undici Client that owns this socket (from the pool's 'connect' event). */
  client: (Dispatcher & { stats: { size: number } }) | null = null

  constructor(id: number, origin: Origin, openReason: NewSocketReason, startedAt: number) {
    this.startedAt = startedAt
    this.info = {
      id,
      origin,
      protocol: 'http/1.1',
      remoteAddress: '',
      remotePort: 0,
      localAddress: '',
      localPort: 0,
      tls: null,
      dns: -1,
      connect: -1,
      ssl: -1,
      openedAt: startedAt,
      closedAt: null,
      closeReason: null,
      closeDetail: null,
      requests: 0,
      keepAliveHint: null,
      openReason,
    }
  }

  get id(): number {
    return this.info.id
  }

  /** Fills address, protocol, TLS and dns/connect/ssl durations once the connection is up. */
  markOpen(socket: Socket, now: number): void {
    this.state = 'open'
    this.idleSince = now
    const info = this.info
    info.openedAt = now
    info.remoteAddress = socket.remoteAddress ?? ''
    info.remotePort = socket.remotePort ?? 0
    info.localAddress = socket.localAddress ?? ''
    info.localPort = socket.localPort ?? 0
    const tls = 'alpnProtocol' in socket ? (socket as TLSSocket) : null
    if (tls?.alpnProtocol === 'h2') info.protocol = 'h2'
    if (tls && typeof tls.getProtocol === 'function') info.tls = tlsInfo(tls)
    // HAR: dns is -1 when no lookup happened (an IP literal); connect includes ssl.
    const connectFrom = this.lookupAt >= 0 ? this.lookupAt : this.startedAt
    const tcpAt = this.tcpAt >= 0 ? this.tcpAt : now
    info.dns = this.lookupAt >= 0 ? this.lookupAt - this.startedAt : -1
    info.connect = (info.tls ? now : tcpAt) - connectFrom
    info.ssl = info.tls ? now - tcpAt : -1
  }

  /** Drops the live objects once closed: the record stays in history as plain data. */
  detach(): void {
    this.socket = null
    this.client = null
  }

  /** Records the server's `Keep-Alive: timeout=N, max=M` hint. */
  setKeepAliveHint(value: string): void {
    // Servers repeat the same header on every response: parse it once per socket.
    if (value === this.keepAliveRaw) return
    this.keepAliveRaw = value
    this.info.keepAliveHint = parseKeepAlive(value)
  }
}

/** Parses `timeout=5, max=100` (RFC 2068 §19.7.1.1 syntax, as servers send it). */
export function parseKeepAlive(value: string): KeepAliveHint {
  const timeout = /(?:^|[,\s])timeout\s*=\s*(\d+)/i.exec(value)
  const max = /(?:^|[,\s])max\s*=\s*(\d+)/i.exec(value)
  return { timeout: timeout ? Number(timeout[1]) : null, max: max ? Number(max[1]) : null }
}

/** How long undici keeps this socket idle: the server's hint minus the margin, else our own timeout. */
export function effectiveIdleMs(record: SocketRecord, keepAliveTimeout: number, maxTimeout: number): number {
  const hint = record.info.keepAliveHint?.timeout
  if (hint == null) return keepAliveTimeout
  return Math.min(hint * 1000 - KEEP_ALIVE_MARGIN_MS, maxTimeout)
}

/**
 * Why a socket closed, from what was seen on it. undici destroys a socket with an
 * `InformationalError` (code UND_ERR_INFO) when it closes it on purpose: 'socket idle timeout' for
 * its keep-alive timer, 'reset' after a response it will not reuse the socket for.
 */
export function closeReasonOf(
  record: SocketRecord,
  now: number,
  idleMs: number,
): { reason: CloseReason; detail: string | null } {
  const err = record.lastError as (Error & { code?: string }) | null
  const idle = Math.round(now - record.idleSince)
  if (record.closedBy) return { reason: 'pool-closed', detail: record.closedBy }
  if (err?.code === 'UND_ERR_DESTROYED') return { reason: 'pool-closed', detail: 'pool closed' }
  if (record.connectionClose) return { reason: 'connection-close', detail: 'response had Connection: close' }
  if (err?.code === 'UND_ERR_INFO' && err.message === 'socket idle timeout') {
    return { reason: 'idle-timeout', detail: `idle ${idle} ms ≥ keep-alive timeout ${idleMs} ms` }
  }
  if (err?.code === 'UND_ERR_INFO' && err.message === 'reset' && idleMs <= 0) {
    const hint = record.info.keepAliveHint?.timeout
    return {
      reason: 'idle-timeout',
      detail: `server's Keep-Alive: timeout=${hint} leaves no safe idle time (margin ${KEEP_ALIVE_MARGIN_MS} ms); closed after the response`,
    }
  }
  if (record.gotEnd || err?.message === 'other side closed') {
    const detail =
      record.inFlight > 0
        ? `server closed the connection with ${record.inFlight} request(s) in flight`
        : `server closed the connection after ${idle} ms idle`
    return { reason: 'server-closed', detail }
  }
  if (err && err.code !== 'UND_ERR_INFO')
    return { reason: 'error', detail: err.message.split('\n')[0] ?? null }
  return { reason: 'server-closed', detail: err ? err.message : null }
}

function tlsInfo(socket: TLSSocket): TlsInfo {
  const cipher = socket.getCipher()
  const authError = socket.authorizationError as unknown
  return {
    version: socket.getProtocol() ?? '',
    cipher: cipher?.name ?? '',
    alpn: socket.alpnProtocol || null,
    servername: (socket as TLSSocket & { servername?: string | false }).servername || null,
    authorized: socket.authorized,
    authorizationError: authError ? String(authError) : null,
    peer: certificateSummary(socket.getPeerCertificate(false)),
  }
}

function dn(name: Record<string, string | string[]> | undefined): string {
  if (!name) return ''
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ')
}

/** Summary of the peer certificate, or null when the peer sent none. */
export function certificateSummary(cert: PeerCertificate | null | undefined): CertificateSummary | null {
  if (!cert || Object.keys(cert).length === 0) return null
  const subject = dn(cert.subject as unknown as Record<string, string>)
  const issuer = dn(cert.issuer as unknown as Record<string, string>)
  return {
    subject,
    issuer,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    san: cert.subjectaltname ? cert.subjectaltname.split(/,\s*/) : [],
    fingerprint256: cert.fingerprint256,
    selfSigned: subject === issuer,
  }
}
