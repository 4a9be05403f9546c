import type { HeaderList, Origin, RequestSpec, SockeyeError } from '../contract'
import { sockeyeError } from './errors'

/** A validated request, ready for undici: `origin` picks the pool, `path` goes on the request line. */
export interface Target {
  url: URL
  origin: Origin
  /** pathname + search (the fragment is never sent, RFC 9110 §4.2.4). */
  path: string
  method: string
  headers: HeaderList
  body: Buffer | null
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: SockeyeError }

// RFC 9110 §5.6.2: token = 1*tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 9110 §5.5 field-value: VCHAR, obs-text, SP and HTAB only (same set as Node's and undici's check).
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
// http(s)://host[:port] followed by a path, query, fragment or nothing; no userinfo, no empty host.
const PLAIN_URL = /^https?:\/\/(?:\[[0-9A-Fa-f:.]+\]|[^/?#@:[\]\s]+)(?::(\d*))?(?:[/?#]|$)/i

const isPort = (port: string) =>
  port === '' || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)

/** Headers undici refuses because it manages them itself (framing, connection management). */
const MANAGED: Record<string, string> = {
  'transfer-encoding': 'the body framing is chosen by the client',
  'keep-alive': 'connection reuse is set by the pool settings',
  upgrade: 'protocol upgrades are not supported',
  expect: '100-continue is not supported',
}

const fail = (error: SockeyeError): { ok: false; error: SockeyeError } => ({ ok: false, error })
const bad = (code: SockeyeError['code'], message: string) => fail(sockeyeError(code, 'input', message))

/** Shows user input in a message: quoted, control characters escaped, bounded. */
function show(text: string, max = 80): string {
  const escaped = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)
  return escaped.slice(1, -1)
}

/**
 * Checks the URL text before WHATWG parsing, which would otherwise "fix" what the user most likely
 * mistyped: `http:///x` becomes `http://x/`, `localhost:8080` parses as scheme `localhost:`, and a
 * port above 65535 is reported only as "Invalid URL".
 */
function checkUrlText(text: string): SockeyeError | null {
  // Fast path for the common, well-formed case (the engine parses every send).
  const plain = PLAIN_URL.exec(text)
  if (plain && (plain[1] === undefined || isPort(plain[1]))) return null
  const scheme = SCHEME.exec(text)
  if (!scheme) {
    return sockeyeError(
      'INVALID_URL',
      'input',
      `not a URL: '${show(text)}'; start it with http:// or https://`,
    )
  }
  const rest = text.slice(scheme[0].length)
  const name = (scheme[1] ?? '').toLowerCase()
  if (/^\d+(?:[/?#]|$)/.test(rest)) {
    return sockeyeError(
      'INVALID_URL',
      'input',
      `not a URL: '${show(text)}'; did you mean http://${show(text)}?`,
    )
  }
  if (name !== 'http' && name !== 'https') {
    return sockeyeError(
      'UNSUPPORTED_SCHEME',
      'input',
      `${show(name)}:// is not supported; use http:// or https://`,
    )
  }
  if (!rest.startsWith('//')) {
    return sockeyeError('INVALID_URL', 'input', `invalid URL '${show(text)}'; write ${name}://host/path`)
  }
  const authority = /^[^/?#]*/.exec(rest.slice(2))?.[0] ?? ''
  if (authority.includes('@')) {
    // Credentials in URLs are dropped by undici's request path and leak into history and HAR; fetch
    // refuses them too. Make the user send them as a header, visibly.
    return sockeyeError(
      'INVALID_URL',
      'input',
      "credentials in the URL (user:pass@) are not sent; remove them and add an 'Authorization' header",
    )
  }
  const hostAndPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)
  const host = hostAndPort?.[1] ?? ''
  const port = hostAndPort?.[2]
  if (host === '') {
    return sockeyeError('MISSING_HOST', 'input', `URL '${show(text)}' has no host; write ${name}://host/path`)
  }
  if (port !== undefined && !isPort(port)) {
    return sockeyeError('INVALID_PORT', 'input', `invalid port '${show(port)}'; use a number from 1 to 65535`)
  }
  return null
}

/** Parses and checks a URL the way `parseTarget` does; for callers that only have a URL. */
export function parseUrl(text: string): Parsed<URL> {
  const trimmed = text.trim()
  const early = checkUrlText(trimmed)
  if (early) return fail(early)
  try {
    return { ok: true, value: new URL(trimmed) }
  } catch {
    return bad('INVALID_URL', `invalid URL '${show(trimmed)}'`)
  }
}

function checkHeaders(headers: HeaderList, bodyLength: number | null): SockeyeError | null {
  let hosts = 0
  let lengths = 0
  for (const [name, value] of headers) {
    const err = (why: string) => sockeyeError('INVALID_HEADER', 'input', `header '${show(name)}' ${why}`)
    if (!TOKEN.test(name)) {
      return name === ''
        ? sockeyeError('INVALID_HEADER', 'input', 'a header has an empty name; write "Name: value"')
        : err("has an invalid name; use letters, digits and !#$%&'*+-.^_`|~ only")
    }
    if (/[\r\n]/.test(value)) return err('value contains a line break (CR/LF); header values are one line')
    if (value.includes('\0')) return err('value contains a NUL character')
    if (BAD_VALUE_CHAR.test(value)) return err('value contains a control or non-Latin-1 character')
    const lower = name.toLowerCase()
    const managed = MANAGED[lower]
    if (managed) return err(`cannot be set: ${managed}`)
    if (lower === 'host' && ++hosts > 1) return err('is given twice')
    if (lower === 'connection') {
      const ok = value.split(',').every((t) => TOKEN.test(t.trim()))
      if (!ok) return err("value must be a comma-separated list of tokens (e.g. 'close')")
    }
    if (lower === 'content-length') {
      if (++lengths > 1) return err('is given twice')
      if (!/^\d+$/.test(value)) return err('value must be a non-negative integer')
      if (Number(value) !== (bodyLength ?? 0)) {
        return err(
          `says ${value} bytes but the body has ${bodyLength ?? 0}; remove the header to let it be set`,
        )
      }
    }
  }
  return null
}

function decodeBody(spec: RequestSpec): Parsed<Buffer | null> {
  if (spec.body === null) return { ok: true, value: null }
  if (spec.bodyEncoding !== 'base64') return { ok: true, value: Buffer.from(spec.body, 'utf8') }
  const compact = spec.body.replace(/\s+/g, '')
  // Buffer.from(…, 'base64') silently skips bad characters; a corrupted upload must not be sent.
  if (compact.length % 4 === 1 || !BASE64.test(compact)) {
    return bad('INVALID_OPTION', 'body is not valid base64')
  }
  return { ok: true, value: Buffer.from(compact, 'base64') }
}

/**
 * Validates a request spec into a Target: URL (INVALID_URL), scheme http/https only
 * (UNSUPPORTED_SCHEME), host present (MISSING_HOST), port 1-65535 (INVALID_PORT), method an
 * RFC 9110 token (INVALID_METHOD), header names tokens and values without CR/LF/NUL or other
 * control characters (INVALID_HEADER, naming the header), body UTF-8 or base64.
 * Credentials in the URL (`user:pass@`) are rejected with a message pointing to the Authorization
 * header: undici would drop them silently, and kept they would leak into history and HAR.
 * Headers undici manages itself (Transfer-Encoding, Keep-Alive, Upgrade, Expect) are rejected here
 * with a reason instead of failing later inside undici.
 */
export function parseTarget(spec: RequestSpec): Parsed<Target> {
  const url = parseUrl(spec.url)
  if (!url.ok) return url
  if (!TOKEN.test(spec.method)) {
    return bad(
      'INVALID_METHOD',
      spec.method === ''
        ? 'the method is empty; use GET, POST, …'
        : `invalid method '${show(spec.method, 32)}'; a method is one word of letters (e.g. GET, POST)`,
    )
  }
  const body = decodeBody(spec)
  if (!body.ok) return body
  const headerError = checkHeaders(spec.headers, body.value?.length ?? null)
  if (headerError) return fail(headerError)
  const value = url.value
  return {
    ok: true,
    value: {
      url: value,
      origin: originOf(value),
      path: `${value.pathname}${value.search}`,
      method: spec.method,
      headers: spec.headers.map(([n, v]) => [n, v]),
      body: body.value,
    },
  }
}

/** `scheme://host:port` with the default port made explicit, lower-case, IPv6 in brackets. */
export function originOf(url: URL): Origin {
  const scheme = url.protocol.slice(0, -1).toLowerCase()
  const port = url.port || (scheme === 'https' ? '443' : '80')
  // WHATWG URL already lower-cases hosts, punycodes IDNs and brackets IPv6 (`[::1]`).
  return `${scheme}://${url.hostname.toLowerCase()}:${port}`
}
