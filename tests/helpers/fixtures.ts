/**
 * Fabricated contract values for unit tests of code that only formats them (CLI output, HAR).
 * Each builder returns a complete, plausible value for http://127.0.0.1:8080; a test overrides
 * the fields its assertions depend on, so those stay visible in the test itself.
 */
import type { ConnectionInfo, RequestResult, TlsInfo } from '../../electron/contract'

export const FIXTURE_ORIGIN = 'http://127.0.0.1:8080'

/** A first GET that got 200 JSON on a new HTTP/1.1 socket #1. */
export function requestResult(over: Partial<RequestResult> = {}): RequestResult {
  return {
    id: 1,
    method: 'GET',
    url: `${FIXTURE_ORIGIN}/?q=python&v=1.0`,
    origin: FIXTURE_ORIGIN,
    startedAt: 0,
    startedWall: 0,
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    contentType: 'application/json',
    requestHeaders: [],
    requestBodyBytes: 0,
    responseHeaders: [],
    bodyBytes: 27,
    wireBytes: 27,
    truncated: false,
    socket: 1,
    reused: false,
    nth: 1,
    reason: 'first',
    timings: { blocked: 0, dns: -1, connect: 1, ssl: -1, send: 0, wait: 1, receive: 0 },
    totalMs: 3.14,
    error: null,
    retryOf: null,
    ...over,
  }
}

/** Socket #1: an open plain HTTP/1.1 connection that carried two requests. */
export function connectionInfo(over: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    id: 1,
    origin: FIXTURE_ORIGIN,
    protocol: 'http/1.1',
    remoteAddress: '127.0.0.1',
    remotePort: 8080,
    localAddress: '127.0.0.1',
    localPort: 53122,
    tls: null,
    dns: -1,
    connect: 1,
    ssl: -1,
    openedAt: 0,
    closedAt: null,
    closeReason: null,
    closeDetail: null,
    requests: 2,
    keepAliveHint: null,
    openReason: 'first',
    ...over,
  }
}

/** A verified TLS 1.3 session that negotiated h2 with `localhost`, no peer certificate kept. */
export function tlsInfo(over: Partial<TlsInfo> = {}): TlsInfo {
  return {
    version: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    alpn: 'h2',
    servername: 'localhost',
    authorized: true,
    authorizationError: null,
    peer: null,
    ...over,
  }
}
