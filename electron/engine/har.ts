import { isUtf8 } from 'node:buffer'
import type { Cookie, Entry, Har, Header, PostData, QueryString, Timings as HarTimings } from 'har-format'
import type { BodyPayload } from '../contract/calls'
import type { ConnectionInfo, HeaderList, RequestResult, SockeyeError, TlsInfo } from '../contract/model'
import { version } from '../../package.json'
import type { History } from './history'

/**
 * HAR 1.2 export (http://www.softwareishard.com/blog/har-12-spec/). Sockeye's connection facts that
 * HAR lacks travel in underscore fields, which the spec reserves for custom data.
 */

/** Connection facts per entry (HAR only has `connection`, an opaque id). */
export interface HarSocket {
  id: number
  reused: boolean
  reason: RequestResult['reason']
  nth: number
  protocol: ConnectionInfo['protocol']
  tls?: TlsInfo
  /** How a reused socket was shared (idle, h2 stream, pipelined). */
  reuse?: RequestResult['reuse']
  /** The socket's final state when the HAR was written: null while open. */
  closeReason?: ConnectionInfo['closeReason']
  closeDetail?: string | null
}

/**
 * A Sockeye HAR entry. `_socket` is an object here, while @types/har-format declares WebPageTest's
 * `_socket` as a number, hence the Omit.
 */
export type SockeyeHarEntry = Omit<Entry, '_socket'> & {
  _socket?: HarSocket
  _error?: SockeyeError
  _requestId: number
  _retryOf?: number
  /**
   * A hop of a followed redirect: the entry (`_requestId`) whose 3xx it follows, its hop number and
   * the chain's first request. Each hop is its own entry, as Chrome exports a redirect chain.
   */
  _redirectOf?: number
  _redirectHop?: number
  _redirectHead?: number
  /** This 3xx was followed by entry `_redirectedTo`. */
  _redirectedTo?: number
}

/** One request to export: its result, its kept response body and, when kept, the request body. */
export interface HarInput {
  result: RequestResult
  body: BodyPayload | null
  requestBody?: Buffer | null
}

const headerList = (headers: HeaderList): Header[] => headers.map(([name, value]) => ({ name, value }))

function header(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase()
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null
}

function queryString(url: string): QueryString[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  } catch {
    return []
  }
}

/** RFC 6265 §5.4: `Cookie: a=1; b=2`. */
function requestCookies(headers: HeaderList): Cookie[] {
  return headers
    .filter(([n]) => n.toLowerCase() === 'cookie')
    .flatMap(([, v]) => v.split(';'))
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq < 0 ? { name: '', value: pair } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
    })
}

/** RFC 6265 §4.1: one `Set-Cookie` header per cookie; name=value, then attributes. */
function responseCookies(headers: HeaderList): Cookie[] {
  return headers
    .filter(([n]) => n.toLowerCase() === 'set-cookie')
    .map(([, v]) => {
      const [pair = '', ...attributes] = v.split(';').map((s) => s.trim())
      const eq = pair.indexOf('=')
      const cookie: Cookie =
        eq < 0 ? { name: '', value: pair } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=')
        const value = rest.join('=')
        switch (key.toLowerCase()) {
          case 'path':
            cookie.path = value
            break
          case 'domain':
            cookie.domain = value
            break
          case 'expires': {
            const date = new Date(value)
            if (!Number.isNaN(date.getTime())) cookie.expires = date.toISOString()
            break
          }
          case 'httponly':
            cookie.httpOnly = true
            break
          case 'secure':
            cookie.secure = true
            break
        }
      }
      return cookie
    })
}

/** HAR request cookies, with the jar's domain and path for those the jar sent (same order as the header). */
function sentCookies(cookies: Cookie[], result: RequestResult): Cookie[] {
  const sent = result.cookies?.sent
  if (!sent) return cookies
  return cookies.map((c, i) => {
    const s = sent[i]
    if (s?.from !== 'jar' || s.name !== c.name) return c
    return { ...c, domain: s.domain, path: s.path, comment: 'from the cookie jar' }
  })
}

/** HAR response cookies, each with what the cookie jar did with it (HAR 1.2 `comment`). */
function setCookies(cookies: Cookie[], result: RequestResult): Cookie[] {
  const set = result.cookies?.set
  if (!set) return cookies
  return cookies.map((c, i) => {
    const s = set[i]
    if (!s || s.name !== c.name) return c
    const comment = s.accepted
      ? `stored in the cookie jar${s.reason ? ` (${s.reason})` : ''}`
      : `rejected by the cookie jar: ${s.reason ?? 'not stored'}`
    return { ...c, comment }
  })
}

function httpVersion(result: RequestResult, connection: ConnectionInfo | undefined): string {
  const v = result.httpVersion ?? (connection?.protocol === 'h2' ? '2' : '1.1')
  return v === '2' || v === '2.0' ? 'HTTP/2' : `HTTP/${v}`
}

function postData(input: HarInput): PostData | undefined {
  const { result, requestBody } = input
  if (result.requestBodyBytes === 0 && !requestBody?.length) return undefined
  const mimeType = header(result.requestHeaders, 'content-type') ?? ''
  if (!requestBody) return { mimeType, text: '', comment: 'request body not kept' }
  // HAR 1.2 postData has no encoding field; binary bodies are base64 with a custom marker.
  if (isUtf8(requestBody)) return { mimeType, text: requestBody.toString('utf8') }
  return { mimeType, text: requestBody.toString('base64'), _encoding: 'base64' } as PostData
}

/** HAR requires send, wait and receive ≥ 0; the others may be -1 (not applicable). */
function timings(result: RequestResult): HarTimings {
  const t = result.timings
  const round = (n: number) => Math.round(n * 1000) / 1000
  const optional = (n: number) => (n >= 0 ? round(n) : -1)
  return {
    blocked: optional(t.blocked),
    dns: optional(t.dns),
    connect: optional(t.connect),
    ssl: optional(t.ssl),
    send: round(Math.max(0, t.send)),
    wait: round(Math.max(0, t.wait)),
    receive: round(Math.max(0, t.receive)),
  }
}

/** HAR `time`: the sum of the available timings; `ssl` is already inside `connect` (HAR 1.2 §timings). */
function totalTime(t: HarTimings): number {
  const parts = [t.blocked, t.dns, t.connect, t.send, t.wait, t.receive]
  return (
    Math.round(parts.reduce<number>((sum, n) => sum + (n !== undefined && n > 0 ? n : 0), 0) * 1000) / 1000
  )
}

function entry(input: HarInput, connections: Map<number, ConnectionInfo>): SockeyeHarEntry {
  const { result, body } = input
  const connection = result.socket === null ? undefined : connections.get(result.socket)
  const version = httpVersion(result, connection)
  const entryTimings = timings(result)
  const encoded = header(result.responseHeaders, 'content-encoding') !== null
  const content: SockeyeHarEntry['response']['content'] = {
    size: result.bodyBytes,
    mimeType: result.contentType ?? 'x-unknown',
  }
  if (encoded && result.bodyBytes > result.wireBytes)
    content.compression = result.bodyBytes - result.wireBytes
  if (body?.evicted) {
    // HAR 1.2: `text` is optional; say why it is missing rather than export an empty body.
    content.comment = 'body dropped to stay within the memory budget'
  } else if (body) {
    content.text = body.data
    if (body.encoding === 'base64') content.encoding = 'base64'
    const notes = [body.truncated ? `truncated: ${body.bytes} bytes kept` : '', body.decodeError ?? '']
    if (notes.some(Boolean)) content.comment = notes.filter(Boolean).join('; ')
  }
  const out: SockeyeHarEntry = {
    startedDateTime: new Date(result.startedWall).toISOString(),
    time: totalTime(entryTimings),
    request: {
      method: result.method,
      url: result.url,
      httpVersion: version,
      cookies: sentCookies(requestCookies(result.requestHeaders), result),
      headers: headerList(result.requestHeaders),
      queryString: queryString(result.url),
      headersSize: -1,
      bodySize: result.requestBodyBytes,
    },
    // A request that got no response is status 0 with an empty response, as Chrome exports it.
    response: {
      status: result.status ?? 0,
      statusText: result.statusText ?? '',
      httpVersion: result.status === null ? '' : version,
      cookies: setCookies(responseCookies(result.responseHeaders), result),
      headers: headerList(result.responseHeaders),
      content,
      redirectURL: header(result.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: result.status === null ? -1 : result.wireBytes,
    },
    cache: {},
    timings: entryTimings,
    ...(connection ? { serverIPAddress: connection.remoteAddress } : {}),
    ...(result.socket !== null ? { connection: String(result.socket) } : {}),
    _requestId: result.id,
  }
  const post = postData(input)
  if (post) out.request.postData = post
  if (result.socket !== null) {
    out._socket = {
      id: result.socket,
      reused: result.reused,
      reason: result.reason,
      nth: result.nth,
      protocol: connection?.protocol ?? (result.httpVersion === '2' ? 'h2' : 'http/1.1'),
      ...(connection?.tls ? { tls: connection.tls } : {}),
      ...(result.reuse ? { reuse: result.reuse } : {}),
      ...(connection ? { closeReason: connection.closeReason, closeDetail: connection.closeDetail } : {}),
    }
  }
  if (result.error) out._error = result.error
  if (result.retryOf !== null) out._retryOf = result.retryOf
  if (result.redirect) {
    out._redirectOf = result.redirect.from
    out._redirectHop = result.redirect.hop
    out._redirectHead = result.redirect.head
  }
  if (typeof result.redirectedTo === 'number') out._redirectedTo = result.redirectedTo
  return out
}

/**
 * Builds a HAR 1.2 document. Entries are ordered by start time (HAR 1.2 §entries); each names its
 * socket in `connection` and `_socket`, and failed requests appear with status 0 and `_error`.
 */
export function buildHar(entries: HarInput[], connections: ConnectionInfo[]): Har {
  const byId = new Map(connections.map((c) => [c.id, c]))
  const sorted = [...entries].sort((a, b) => a.result.startedWall - b.result.startedWall)
  const doc = {
    log: {
      version: '1.2',
      creator: { name: 'Sockeye', version },
      entries: sorted.map((e) => entry(e, byId)),
    },
  }
  // The only mismatch with @types/har-format is `_socket` (object here, number there).
  return doc as unknown as Har
}

/** A HAR document in parts, for writers that stream it: its `log` fields and its entries, lazily. */
export interface HarParts {
  version: '1.2'
  creator: { name: string; version: string }
  /** Entries in start order, each built (with its body) only when the iterator reaches it. */
  entries: Iterable<SockeyeHarEntry>
}

/**
 * The engine's history as HAR parts: the same entries as `historyHar`, but one at a time, so a
 * history of 100,000 requests is never one object (or one string) in memory.
 */
export function historyHarParts(history: History, connections: ConnectionInfo[]): HarParts {
  const byId = new Map(connections.map((c) => [c.id, c]))
  const results = history.list().sort((a, b) => a.startedWall - b.startedWall)
  function* entries(): Generator<SockeyeHarEntry> {
    for (const result of results) {
      const input = { result, body: history.body(result.id), requestBody: history.requestBody(result.id) }
      yield entry(input, byId)
    }
  }
  return { version: '1.2', creator: { name: 'Sockeye', version }, entries: entries() }
}

/** The engine's history as HAR: every kept result with its response and request bodies. */
export function historyHar(history: History, connections: ConnectionInfo[]): Har {
  const entries = history.list().map((result) => ({
    result,
    body: history.body(result.id),
    requestBody: history.requestBody(result.id),
  }))
  return buildHar(entries, connections)
}
