import { isUtf8 } from 'node:buffer'
import type { HttpRequestBody } from '@opencollection/types/requests/http'
import type { HeaderList, PoolSettings, RequestSpec } from '../../contract'
import type { SockeyeHttpRequest } from '../import/types'
import { toSpec } from './spec'

/**
 * Copy as cURL: a bash command that makes curl send what Sockeye sends (method, target, the
 * request's headers, body bytes). curl still adds its own `User-Agent` and `Accept: *\/*` unless the
 * request sets them (the README's Formats section says why they are left in).
 */

/** POSIX single quotes, or bash's `$'…'` when the text holds control characters or bytes to escape. */
export function quote(text: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(text)) return text
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`
  let out = "$'"
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === '\\' || ch === "'") out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}'`
}

/**
 * Bytes for `printf` (octal escapes; `%` doubled), for bodies that argv cannot carry (NUL, not
 * UTF-8). A leading `-` is escaped too: bash's and dash's printf read `'--…'` (every multipart
 * body starts with its boundary's dashes) as an option and print nothing.
 */
function printfArgument(bytes: Buffer): string {
  let out = ''
  for (const [i, b] of bytes.entries()) {
    const plain = b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c && b !== 0x25 && !(i === 0 && b === 0x2d)
    if (plain) out += String.fromCharCode(b)
    else out += `\\${b.toString(8).padStart(3, '0')}`
  }
  return `'${out}'`
}

const has = (headers: HeaderList, name: string) =>
  headers.some(([n]) => n.toLowerCase() === name.toLowerCase())

interface Parts {
  method: string
  url: string
  headers: HeaderList
  /** Body options (`--data-binary …`, `-F …`); empty for none. */
  body: string[]
  /** True when the body options make curl add a Content-Type of its own. */
  typed: boolean
  /** The body, when it must come through standard input. */
  stdin?: Buffer
  pool?: Partial<PoolSettings>
  /** Follow redirects, at most this many (`-L --max-redirs N`). */
  redirects?: number
}

/** curl sends `Expect: 100-continue` above 1 MiB and waits; Sockeye does not send it. */
const EXPECT_FROM = 1024 * 1024

function render(p: Parts): string {
  const args = ['curl']
  const hasBody = p.body.length > 0
  if (p.method === 'HEAD' && !hasBody) args.push('--head')
  else if (!(p.method === 'GET' && !hasBody) && !(p.method === 'POST' && hasBody)) {
    args.push('-X', quote(p.method))
  }
  // curl expands [] and {} in URLs as globs.
  if (/[[\]{}]/.test(p.url)) args.push('--globoff')
  args.push(quote(p.url))
  if (p.pool?.rejectUnauthorized === false) args.push('-k')
  if (p.pool?.allowH2 === false) args.push('--http1.1')
  // curl follows with the same rules as Sockeye (303, and 301/302 after POST, become GET; other origins
  // get no Authorization or Cookie header), so the copied command walks the same chain.
  if (p.redirects !== undefined) args.push('-L', '--max-redirs', String(p.redirects))
  for (const [name, value] of p.headers) {
    args.push('-H', quote(value === '' ? `${name};` : `${name}: ${value}`))
  }
  // `--data-binary` without a Content-Type would make curl add application/x-www-form-urlencoded.
  if (hasBody && !p.typed && !has(p.headers, 'content-type')) args.push('-H', quote('Content-Type:'))
  if ((p.stdin?.length ?? 0) > EXPECT_FROM && !has(p.headers, 'expect')) args.push('-H', quote('Expect:'))
  args.push(...p.body)
  const command = args.join(' ')
  return p.stdin ? `printf ${printfArgument(p.stdin)} | ${command}` : command
}

/** A body curl can take as an argument: UTF-8 without NUL. */
function inline(bytes: Buffer): boolean {
  return isUtf8(bytes) && !bytes.includes(0)
}

/** What the engine sends (a RequestSpec, e.g. from history or the composer) as a curl command. */
export function specToCurl(spec: RequestSpec, pool?: Partial<PoolSettings>): string {
  const parts: Parts = { method: spec.method, url: spec.url, headers: spec.headers, body: [], typed: false }
  if (pool) parts.pool = pool
  if (spec.redirects?.follow) parts.redirects = spec.redirects.max
  if (spec.body !== null) {
    const bytes = Buffer.from(spec.body, spec.bodyEncoding === 'base64' ? 'base64' : 'utf8')
    if (inline(bytes)) parts.body = ['--data-binary', quote(bytes.toString('utf8'))]
    else {
      parts.body = ['--data-binary', '@-']
      parts.stdin = bytes
    }
  }
  return render(parts)
}

/** `-F` value for a text field; `--form-string` when curl would read `@`, `<` or `;type=` in it. */
function formArgs(body: Extract<HttpRequestBody, { type: 'multipart-form' }>, resolve: Resolve): string[] {
  const args: string[] = []
  for (const entry of body.data) {
    if (entry.disabled) continue
    const values = (Array.isArray(entry.value) ? entry.value : [entry.value]).map(resolve)
    const name = resolve(entry.name)
    if (entry.type === 'file') {
      const type = entry.contentType ? `;type=${entry.contentType}` : ''
      for (const path of values) args.push('-F', quote(`${name}=@"${path.replace(/"/g, '\\"')}"${type}`))
      continue
    }
    const value = values.join(',')
    const literal = /^[@<]/.test(value) || value.includes(';')
    if (literal || !entry.contentType) args.push(literal ? '--form-string' : '-F', quote(`${name}=${value}`))
    else args.push('-F', quote(`${name}=${value};type=${entry.contentType}`))
  }
  return args
}

/** Substitutes `{{variables}}` in one text (identity when none are resolved). */
type Resolve = (text: string) => string

/**
 * A collection request as a curl command. Files stay files (`-F name=@path`, `--data-binary @path`,
 * paths relative to the collection folder): the command reads them when it runs, as Sockeye does
 * when it sends. `resolved` (`sockeye export --env`): the request as prepared for sending, with the
 * resolver that substituted it, which then also fills the form's names, texts and file paths.
 */
export function requestToCurl(
  request: SockeyeHttpRequest,
  pool?: Partial<PoolSettings>,
  resolved?: { spec: RequestSpec; resolve: Resolve },
): string {
  let spec: RequestSpec
  if (resolved) spec = resolved.spec
  else {
    const built = toSpec(request, () => Buffer.alloc(0))
    if (!built.ok) throw new Error(built.message)
    spec = built.spec
  }
  const resolve = resolved?.resolve ?? ((text: string) => text)
  const body = request.http?.body
  const chosen = Array.isArray(body) ? (body.find((v) => v.selected) ?? body[0])?.body : body
  const parts: Parts = {
    method: spec.method,
    url: spec.url,
    headers: spec.headers,
    body: [],
    typed: false,
    ...(pool ? { pool } : {}),
  }
  if (chosen?.type === 'multipart-form') {
    // curl writes its own multipart Content-Type with its own boundary.
    parts.headers = spec.headers.filter(
      ([n, v]) => !(n.toLowerCase() === 'content-type' && /boundary=/.test(v)),
    )
    parts.body = formArgs(chosen, resolve)
    parts.typed = true
  } else if (chosen?.type === 'file') {
    const variant = chosen.data.find((v) => v.selected) ?? chosen.data[0]
    if (variant) parts.body = ['--data-binary', quote(`@${resolve(variant.filePath)}`)]
  } else if (spec.body !== null) {
    return specToCurl(spec, pool)
  }
  return render(parts)
}
