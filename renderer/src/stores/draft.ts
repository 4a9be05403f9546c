import type { HeaderList, RequestSpec } from '../api/contract'
import { LIMITS } from '../../../electron/contract/limits'
import { authHeader, authQuery, type Auth } from './auth'
import { encodeMultipart, type Part } from './multipart'
import { formBody, kv, parseQuery, splitUrl, withParams, type KeyValue } from './urlParams'

/** How the body editor is read. */
export type BodyMode = 'none' | 'raw' | 'json' | 'form' | 'multipart' | 'file'
export const BODY_MODES: readonly BodyMode[] = ['none', 'raw', 'json', 'form', 'multipart', 'file']

/** A file body: a file of the request's collection folder, read by the host on Send. */
export interface BodyFile {
  /** Relative to the collection folder, `{{variables}}` kept. */
  path: string
  contentType: string
}

/** Everything one composer tab holds. */
export interface DraftFields {
  method: string
  url: string
  headers: KeyValue[]
  bodyMode: BodyMode
  body: string
  /** Content type sent with a raw body ('' sends none unless a header says so). */
  rawType: string
  form: KeyValue[]
  parts: Part[]
  bodyFile: BodyFile
  auth: Auth
  fresh: boolean
  /** Follow redirects, at most `maxRedirects` hops (each hop still its own row). */
  follow: boolean
  maxRedirects: number
}

/** Input problems, each shown at the field it concerns; a draft with any is never sent. */
export interface Problems {
  method?: string
  url?: string
  body?: string
  auth?: string
  /** By header row id. */
  headers?: Record<number, string>
}

/** The contract's body limit (text, or base64 of bytes). */
export const MAX_BODY_CHARS = LIMITS.bodyChars

// RFC 9110 §5.6.2: token = 1*tchar (method and field names).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 9110 §5.5: a field value is VCHAR, obs-text, SP and HTAB (the engine checks the same set).
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/
const STANDARD = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']
/** Headers the client manages itself; the engine refuses them too (electron/engine/input.ts). */
const MANAGED: Record<string, string> = {
  'transfer-encoding': 'the body framing is chosen by the client',
  'keep-alive': 'connection reuse is set by the pool settings',
  upgrade: 'protocol upgrades are not supported',
  expect: '100-continue is not supported',
}

/** Why a header value cannot be sent as typed, or null. */
export function headerValueProblem(value: string): string | null {
  if (/[\r\n]/.test(value)) return 'a header value is one line: remove the line break (CR/LF)'
  if (BAD_VALUE_CHAR.test(value)) return 'the value has a control character or one outside Latin-1'
  return null
}

function headerProblem(h: KeyValue): string | null {
  const name = h.name.trim()
  if (name === '') return h.value === '' ? null : 'the header has a value but no name'
  if (!TOKEN.test(name)) return "not a header name: use letters, digits and !#$%&'*+-.^_`|~ only"
  const managed = MANAGED[name.toLowerCase()]
  if (managed) return `${name} cannot be set: ${managed}`
  return headerValueProblem(h.value)
}

/** Why a URL cannot be sent, or null. The engine checks again (and more) before sending. */
export function urlProblem(text: string): string | null {
  const target = text.trim()
  if (target === '') return 'Type a URL first, e.g. http://127.0.0.1:8080/'
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(target)
  if (!scheme || /^\d+(?:[/?#]|$)/.test(scheme[2] ?? '')) {
    return `Start the URL with http:// or https:// (e.g. http://${target.replace(/^\/+/, '')})`
  }
  const name = scheme[1]!.toLowerCase()
  if (name !== 'http' && name !== 'https') return `${name}:// is not supported; use http:// or https://`
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return `Not a valid URL; write ${name}://host:port/path`
  }
  if (!/^[a-z]+:\/\/[^/?#]/i.test(target)) return `The URL has no host; write ${name}://host/path`
  if (url.username || url.password) {
    return 'Credentials in the URL are not sent; use the Auth tab (Basic) instead'
  }
  return null
}

/** Why a method cannot be sent, or null. Custom methods are fine if they are one HTTP token. */
export function methodProblem(method: string): string | null {
  const m = method.trim()
  if (m === '') return 'The method is empty; use GET, POST, …'
  if (!TOKEN.test(m)) return "A method is one word of letters, digits or !#$%&'*+-.^_`|~ (no spaces)"
  return null
}

/** Standard methods are sent upper-case; custom ones as typed (methods are case-sensitive, RFC 9110 §9.1). */
export function normalMethod(method: string): string {
  const m = method.trim()
  return STANDARD.includes(m.toUpperCase()) ? m.toUpperCase() : m
}

/** Every input problem of a draft (empty when it can be sent). */
export function problemsOf(d: DraftFields): Problems {
  const out: Problems = {}
  const method = methodProblem(d.method)
  if (method) out.method = method
  // A `{{variable}}` is resolved on Send, and the resolved request is checked again then.
  const url = d.url.includes('{{') ? null : urlProblem(d.url)
  if (url) out.url = url
  const headers: Record<number, string> = {}
  for (const h of d.headers) {
    const p = h.enabled ? headerProblem(h) : null
    if (p) headers[h.id] = p
  }
  if (Object.keys(headers).length > 0) out.headers = headers
  if (d.bodyMode === 'json' && d.body.includes('{{')) {
    // `{"n": {{n}}}` is JSON only once resolved (checked on Send).
  } else if (d.bodyMode === 'json' && d.body.trim() !== '') {
    try {
      JSON.parse(d.body)
    } catch (err) {
      out.body = `Body is not valid JSON: ${(err as Error).message.split('\n')[0]}`
    }
  } else if (d.bodyMode === 'json') {
    out.body = 'Body is not valid JSON: it is empty (choose None to send no body)'
  }
  if (d.bodyMode === 'file' && d.bodyFile.path.trim() === '') {
    out.body = 'Name a file of the collection folder to send as the body'
  }
  if ((d.bodyMode === 'raw' || d.bodyMode === 'json') && d.body.length > MAX_BODY_CHARS) {
    out.body = 'The body is over 10 MiB; Sockeye sends at most 10 MiB'
  }
  const auth = d.auth
  if (auth.kind === 'apikey' && auth.keyName.trim() !== '' && !TOKEN.test(auth.keyName.trim())) {
    if (auth.keyIn === 'header') out.auth = 'The API key name is not a header name (letters, digits, - only)'
  }
  const authValue = authHeader(auth)?.[1] ?? ''
  if (!out.auth && headerValueProblem(authValue)) out.auth = headerValueProblem(authValue)!
  return out
}

/** The first problem as one line (for a status line or a test). */
export function firstProblem(p: Problems): string | null {
  return p.method ?? p.url ?? Object.values(p.headers ?? {})[0] ?? p.auth ?? p.body ?? null
}

/**
 * True when the draft's body names files of its collection folder (file parts, a file body):
 * the host builds that body on Send (drafts.ts `filesOf`); buildSpec leaves it out.
 */
export function hostFiles(d: DraftFields): boolean {
  if (d.bodyMode === 'file') return true
  return d.bodyMode === 'multipart' && d.parts.some((p) => p.enabled && p.path !== null)
}

/** The request a draft sends, or its problems. */
export function buildSpec(
  d: DraftFields,
): { ok: true; spec: RequestSpec } | { ok: false; problems: Problems; message: string } {
  const problems = problemsOf(d)
  const message = firstProblem(problems)
  if (message) return { ok: false, problems, message }
  const list: HeaderList = d.headers
    .filter((h) => h.enabled && h.name.trim() !== '')
    .map((h) => [h.name.trim(), h.value])
  const has = (name: string) => list.some(([n]) => n.toLowerCase() === name)
  const auth = authHeader(d.auth)
  if (auth && !has(auth[0].toLowerCase())) list.push(auth)
  let url = d.url.trim()
  const query = authQuery(d.auth)
  if (query) url = withParams(url, [...paramsOf(url), kv(query[0], query[1])])
  let body: string | null = null
  let bodyEncoding: 'utf8' | 'base64' | undefined
  const type = (value: string) => {
    if (value && !has('content-type')) list.push(['content-type', value])
  }
  if (d.bodyMode === 'raw') {
    body = d.body
    type(d.rawType)
  } else if (d.bodyMode === 'json') {
    body = d.body
    type('application/json')
  } else if (d.bodyMode === 'form') {
    body = formBody(d.form)
    type('application/x-www-form-urlencoded')
  } else if (d.bodyMode === 'multipart' && !hostFiles(d)) {
    const encoded = encodeMultipart(d.parts)
    if (encoded.base64.length > MAX_BODY_CHARS) {
      const problems = { body: 'The form with its files is over 7.5 MiB; Sockeye sends at most that' }
      return { ok: false, problems, message: problems.body }
    }
    body = encoded.base64
    bodyEncoding = 'base64'
    // The boundary must match the body's: a content-type header of the user's own would break it.
    for (let i = list.length - 1; i >= 0; i--)
      if (list[i]![0].toLowerCase() === 'content-type') list.splice(i, 1)
    list.push(['content-type', encoded.contentType])
  }
  const spec: RequestSpec = { method: normalMethod(d.method), url, headers: list, body, fresh: d.fresh }
  if (bodyEncoding) spec.bodyEncoding = bodyEncoding
  if (d.follow) spec.redirects = { follow: true, max: d.maxRedirects }
  return { ok: true, spec }
}

function paramsOf(url: string): KeyValue[] {
  return parseQuery(splitUrl(url).query).map(([n, v]) => kv(n, v))
}
