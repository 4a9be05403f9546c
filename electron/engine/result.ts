import type { EngineEventOf, HeaderList, RequestResult, RequestSpec, SockeyeError } from '../contract'
import type { Target } from './input'
import type { RequestRun } from './request/attempt'
import type { Hop } from './request/redirect'
import { harTimings } from './timings'

let last: { head: string; bodyBytes: number; headers: HeaderList } = { head: '', bodyBytes: 0, headers: [] }

/**
 * The request head undici wrote, as a header list. h1 heads start with the request line; h2 heads
 * are `name: value` lines including pseudo-headers. undici appends `content-length` only when it
 * writes the body, after the head is published, so it is added here.
 */
export function parseHead(head: string | null, bodyBytes: number): HeaderList | null {
  if (head === null) return null
  // Repeated sends write the same head: reuse the list (results are read-only records).
  if (bodyBytes === last.bodyBytes && head === last.head) return last.headers
  const headers: HeaderList = []
  let hasLength = false
  let start = 0
  if (!head.startsWith(':')) {
    // h1: skip the request line.
    const first = head.indexOf('\r\n')
    if (first >= 0 && head.lastIndexOf(' HTTP/', first) > 0) start = first + 2
  }
  while (start < head.length) {
    let end = head.indexOf('\r\n', start)
    if (end < 0) end = head.length
    const colon = head.indexOf(':', start + 1)
    if (colon > start && colon < end) {
      const name = head.slice(start, colon)
      if (name.length === 14 && name.toLowerCase() === 'content-length') hasLength = true
      headers.push([name, head.slice(colon + 1, end).trim()])
    }
    start = end + 2
  }
  if (bodyBytes > 0 && !hasLength) headers.push(['content-length', String(bodyBytes)])
  last = { head, bodyBytes, headers }
  return headers
}

/** The final record of one attempt. */
export function buildResult(
  run: RequestRun,
  error: SockeyeError | null,
  bodyBytes: number,
  truncated: boolean,
): RequestResult {
  const target = run.target
  const record = run.record
  const fresh = record !== null && !run.reused
  const info = record?.info
  const requestBodyBytes = target.body?.length ?? 0
  const result: RequestResult = {
    id: run.id,
    method: target.method,
    url: target.url.href,
    origin: target.origin,
    startedAt: run.queuedAt,
    startedWall: run.queuedWall,
    status: run.status || null,
    statusText: run.status ? run.statusText : null,
    httpVersion: run.status ? run.httpVersion() : null,
    contentType: run.contentType,
    requestHeaders: parseHead(run.sentHead, requestBodyBytes) ?? target.headers,
    requestBodyBytes,
    responseHeaders: run.responseHeaders,
    // Undefined unless a cookie was sent or set (most requests: no extra record).
    cookies: run.cookies?.report(),
    bodyBytes,
    wireBytes: run.body.wireBytes,
    truncated,
    socket: info?.id ?? null,
    reused: run.reused,
    nth: run.nth,
    reason: run.reason,
    reuse: run.reuse,
    // A reused socket's opening was paid by an earlier request (HAR: -1).
    timings: harTimings(run, fresh ? info : undefined),
    totalMs: Math.round((run.endAt - run.queuedAt) * 1000) / 1000,
    error,
    retryOf: run.retryOf,
  }
  // Only a request sent with redirects.follow carries the link fields: other records stay as small.
  if (run.chain) {
    result.redirect = run.link
    result.redirectedTo = run.redirectedTo
  }
  return result
}

/** The record of a request that never reached the network (bad input, engine closed). */
export function inputFailure(
  id: number,
  spec: RequestSpec,
  error: RequestResult['error'],
  now: number,
  origin: string | null = null,
): RequestResult {
  return {
    id,
    method: spec.method,
    url: spec.url,
    origin,
    startedAt: now,
    startedWall: Date.now(),
    status: null,
    statusText: null,
    httpVersion: null,
    contentType: null,
    requestHeaders: spec.headers,
    requestBodyBytes: 0,
    responseHeaders: [],
    bodyBytes: 0,
    wireBytes: 0,
    truncated: false,
    socket: null,
    reused: false,
    nth: 0,
    reason: null,
    timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    totalMs: 0,
    error,
    retryOf: null,
  }
}

/**
 * `request:queued` for a request about to be sent (`from` its Target) or one that failed before its
 * URL parsed (`from` its spec). Only a redirect chain's requests carry the `redirect` field.
 */
export function queuedEvent(
  requestId: number,
  t: number,
  from: Target | RequestSpec,
  retryOf: number | null,
  hop: Hop | null,
): EngineEventOf<'request:queued'> {
  const target = from.url instanceof URL ? (from as Target) : null
  const event: EngineEventOf<'request:queued'> = {
    type: 'request:queued',
    seq: 0,
    t,
    requestId,
    method: from.method,
    url: target ? target.url.href : (from as RequestSpec).url,
    origin: target ? target.origin : null,
    requestHeaders: from.headers,
    requestBodyBytes: target?.body?.length ?? 0,
    retryOf,
  }
  if (hop) event.redirect = hop.link
  return event
}
