import type { Hit } from '../harness/truth'

/**
 * Listeners a server offers, each configured for one kind of scenario:
 * plain (keep-alive, generous limits), limit (closes a connection after `limit` requests),
 * idle (closes an idle connection after `idleMs`), tls / tlsLimit (the same over TLS with h2 by
 * ALPN where the server speaks it), http10 (answers HTTP/1.0 and closes), close (HTTP/1.1 with
 * `Connection: close` on every response), hint (announces `Keep-Alive: timeout=2`).
 */
export type Profile = 'plain' | 'limit' | 'idle' | 'tls' | 'tlsLimit' | 'http10' | 'close' | 'hint'

/** A running real server and how to read its own account of what it served. */
export interface Conformant {
  name: string
  /** Origins by profile; a missing profile is a scenario this server does not support. */
  origins: Partial<Record<Profile, string>>
  /** Requests per connection on the `limit` profiles. */
  limit: number
  /** Idle timeout of the `idle` profile, ms. */
  idleMs: number
  /**
   * Who ends an idle connection on the `idle` profile: the server, or the client when the server
   * announces its timeout (`Keep-Alive: timeout=1`) and the client retires sockets a margin before it
   * (KEEP_ALIVE_MARGIN_MS), as undici's keepAliveTimeoutThreshold does.
   */
  idleCloser: 'server' | 'client'
  /** Content codings the server applies to the test page. */
  codings: string[]
  /** The server answers pipelined HTTP/1.1 requests on one connection. */
  pipelining: boolean
  /** Speaks h2 on its tls profiles. */
  h2: boolean
  /** Everything its access log says, parsed. */
  hits(): Hit[]
  stop(): Promise<void>
}

/** A test page big enough for compression to matter (and to be told apart from an error page). */
export const PAGE = `${'Sockeye conformance page: the server log is the judge. '.repeat(200)}\n`
