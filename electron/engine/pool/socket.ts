import type { Socket } from 'node:net'
import type { Dispatcher } from 'undici'
import type {
  ConnectionInfo,
  HttpVersion,
  KeepAliveHint,
  NewSocketReason,
  Origin,
  SockeyeError,
} from '../../contract'
import { KEEP_ALIVE_MARGIN_MS } from '../../contract/model'

/*
 * undici keeps a socket only for `server's Keep-Alive timeout − KEEP_ALIVE_MARGIN_MS`, so it never
 * reuses a socket the server is about to drop. Node's own http Agent uses the same 1 s buffer
 * (`agentKeepAliveTimeoutBuffer`); undici's default of 2 s would make `timeout=2` useless. The value
 * lives in the contract because the renderer explains it on the connection card.
 */
export { KEEP_ALIVE_MARGIN_MS }

/** An h2 GOAWAY as received (RFC 9113 §6.8). */
export interface Goaway {
  code: number
  lastStreamId: number
  /** Streams in flight when it arrived (0: the connection was idle). */
  inFlight: number
  idleMs: number
}

/** Everything the engine knows about one connection; `info` is the plain-JSON view, updated in place. */
export class SocketRecord {
  readonly info: ConnectionInfo
  state: 'connecting' | 'open' | 'closed' = 'connecting'
  socket: Socket | null = null
  readonly startedAt: number
  /** When the connect call was made (after the engine's own set-up): HAR `connect` starts here. */
  connectAt = -1
  lookupAt = -1
  tcpAt = -1
  /** When TLS set-up ended and the handshake began (https). */
  tlsAt = -1
  /** Requests written to this socket and not yet finished. */
  inFlight = 0
  /** The request written last on this socket (for "pipelined behind #id"). */
  lastRequestId = 0
  /** When the socket last became idle (no request in flight), and in which loop turn. */
  idleSince = 0
  idleTurn = -1
  lastError: Error | null = null
  /** The server sent FIN. */
  gotEnd = false
  /** A response on this socket carried `Connection: close` (or was HTTP/1.0 without keep-alive). */
  connectionClose = false
  /** The response head the socket carries next starts with the next bytes read (see wire.ts). */
  expectHead = true
  /** HTTP version of the last response head read on this socket. */
  version: HttpVersion = '1.1'
  goaway: Goaway | null = null
  /** The engine's h2 idle timer closed this connection. */
  idleClosed = false
  private keepAliveRaw: string | null = null
  private policy: { keepAliveTimeout: number; maxTimeout: number; explicit: boolean } | null = null
  /** Set when the engine itself closes the socket on purpose (fresh connection, pool closed). */
  closedBy: string | null = null
  /** The undici Client whose connector opened this socket (known from creation: Pool `factory`). */
  client: Dispatcher | null = null

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
      error: null,
    }
  }

  get id(): number {
    return this.info.id
  }

  /** Fills address, protocol and dns/connect/ssl durations once the connection is up. */
  markOpen(socket: Socket, now: number, secure: boolean): void {
    this.state = 'open'
    this.idleSince = now
    const info = this.info
    info.openedAt = now
    info.remoteAddress = socket.remoteAddress ?? ''
    info.remotePort = socket.remotePort ?? 0
    info.localAddress = socket.localAddress ?? ''
    info.localPort = socket.localPort ?? 0
    // HAR: dns is -1 when no lookup happened (an IP literal); connect runs from the connect call
    // (or the lookup's end) to TCP's connect event, and includes ssl (the handshake after it).
    const from = this.lookupAt >= 0 ? this.lookupAt : this.connectAt >= 0 ? this.connectAt : this.startedAt
    const tcpAt = this.tcpAt >= 0 ? this.tcpAt : now
    info.dns =
      this.lookupAt >= 0 ? this.lookupAt - (this.connectAt >= 0 ? this.connectAt : this.startedAt) : -1
    // TLS set-up between TCP's connect and the handshake's start is JavaScript time (blocked).
    const tlsAt = this.tlsAt >= tcpAt ? this.tlsAt : tcpAt
    info.ssl = secure ? now - tlsAt : -1
    info.connect = tcpAt - from + (secure ? info.ssl : 0)
  }

  /** Time from the record's creation to the connect call: engine set-up, HAR `blocked`. */
  setupMs(): number {
    return this.connectAt >= 0 ? this.connectAt - this.startedAt : 0
  }

  /** Records a failure before the socket was usable; the record stays listed with it. */
  markFailed(error: SockeyeError): void {
    this.state = 'closed'
    this.info.error = error
  }

  /** Drops the live objects once closed: the record stays in history as plain data. */
  detach(): void {
    this.socket = null
  }

  /** The client's idle policy for this socket; `info.idleTimeout` follows it and the server's hint. */
  setIdlePolicy(keepAliveTimeout: number, maxTimeout: number, explicit: boolean): void {
    this.policy = { keepAliveTimeout, maxTimeout, explicit }
    this.info.idleTimeout = effectiveIdleMs(this, keepAliveTimeout, maxTimeout, explicit)
  }

  /** Records the server's `Keep-Alive: timeout=N, max=M` hint. */
  setKeepAliveHint(value: string): void {
    // Servers repeat the same header on every response: parse it once per socket.
    if (value === this.keepAliveRaw) return
    this.keepAliveRaw = value
    this.info.keepAliveHint = parseKeepAlive(value)
    const p = this.policy
    if (p) this.info.idleTimeout = effectiveIdleMs(this, p.keepAliveTimeout, p.maxTimeout, p.explicit)
  }
}

/** Parses `timeout=5, max=100` (RFC 2068 §19.7.1.1 syntax, as servers send it). */
export function parseKeepAlive(value: string): KeepAliveHint {
  const timeout = /(?:^|[,\s])timeout\s*=\s*(\d+)/i.exec(value)
  const max = /(?:^|[,\s])max\s*=\s*(\d+)/i.exec(value)
  return { timeout: timeout ? Number(timeout[1]) : null, max: max ? Number(max[1]) : null }
}

/**
 * How long the client keeps this socket idle: an explicit keepAliveTimeout wins (as --help says);
 * otherwise the server's hint minus the margin, capped by keepAliveMaxTimeout; else our default.
 */
export function effectiveIdleMs(
  record: SocketRecord,
  keepAliveTimeout: number,
  maxTimeout: number,
  explicit: boolean,
): number {
  const hint = record.info.keepAliveHint?.timeout
  if (explicit || hint == null) return keepAliveTimeout
  return Math.min(hint * 1000 - KEEP_ALIVE_MARGIN_MS, maxTimeout)
}
