import { basename } from 'node:path'
import type { HttpRequestHeader, MultipartFormEntry } from '@opencollection/types/requests/http'
import { tokenize } from 'curlconverter/dist/src/shell/tokenizer.js'
import { parseArgs, type OperationConfig } from 'curlconverter/dist/src/curl/opts.js'
import { dataBytes, queryText, soleFile, type DataPiece, type ReadFile } from './curl-data'
import type { OpenCollection } from '@opencollection/types'
import type { PoolSettings } from '../../contract'
import { LIMITS, RANGES } from '../../contract/limits'
import {
  ImportError,
  originFor,
  type ImportResult,
  type PoolsByOrigin,
  type SockeyeHttpRequest,
} from './types'
import { guessType, rawBody } from './body'

/**
 * cURL command → OpenCollection requests. curlconverter does the shell (quotes, `$'…'`, line
 * continuations) and curl's own option table (short/long/abbreviated options, `--next`); the
 * meaning of each option is mapped here, because its generators lose what matters byte for byte
 * (the order and repetition of headers, `--data-urlencode`'s `%20`, newline stripping of `-d @file`).
 */

export interface CurlOptions {
  /** Reads `-d @file`, `-H @file`, `-F name=<file`; absent (a paste): such parts are reported, not read. */
  readFile?: ReadFile
}

/** The most text a pasted or imported curl command may have (a command, not a body dump). */
export const MAX_CURL_CHARS = LIMITS.curlChars

/**
 * Options this importer maps, and options that change nothing curl sends (output, verbosity);
 * anything else a command sets (`--max-time`, proxies…) is reported as not imported.
 */
const MAPPED = new Set([
  ...['authtype', 'proxyauthtype', 'url', 'request', 'header', 'data', 'json', 'form', 'get', 'head'],
  ...['user', 'user-agent', 'referer', 'cookie', 'oauth2-bearer', 'url-query', 'insecure', 'basic'],
  ...['compressed', 'httpVersion', 'globoff', 'silent', 'verbose', 'show-error', 'progress-bar'],
  ...['include', 'output', 'fail', 'fail-with-body', 'write-out', 'remote-name'],
  ...['location', 'max-redirs'],
])

/** What `--compressed` asks for: the codings Sockeye's engine decodes (curl lists its build's). */
export const COMPRESSED = 'deflate, gzip, br'

const nameOf = (value: string) => value.toLowerCase()

/** Is this text a curl command (for the composer's paste and `sockeye import`)? */
export function looksLikeCurl(text: string): boolean {
  return /^\s*(?:\$\s+)?curl(?:\.exe)?\s/.test(text)
}

/** Every request in `text` (one per URL; `--next` starts another set of options). */
export function importCurl(text: string, options: CurlOptions = {}): ImportResult {
  if (text.length > MAX_CURL_CHARS) {
    throw new ImportError(`the curl command is ${text.length} characters; the limit is ${MAX_CURL_CHARS}`)
  }
  const warnings: string[] = []
  const items: SockeyeHttpRequest[] = []
  const pools: PoolsByOrigin = {}
  const source = text.replace(/^\s*\$\s+/, '')
  let commands: ReturnType<typeof tokenize>
  try {
    commands = tokenize(source, [])
  } catch (err) {
    throw new ImportError(`not a curl command this importer can read: ${firstLine(err)}`)
  }
  for (const [argv] of commands) {
    let configs: OperationConfig[]
    try {
      configs = parseArgs(argv)[0].configs
    } catch (err) {
      throw new ImportError(`curl: ${firstLine(err)}`)
    }
    for (const config of configs) {
      for (const url of (config.url ?? []).map(String)) {
        const { request, pool } = fromConfig(config, url, options.readFile ?? (() => null), warnings)
        request.info = { name: requestName(request), type: 'http', seq: items.length + 1 }
        items.push(request)
        const origin = originFor(request.http?.url ?? '')
        if (origin && Object.keys(pool).length > 0) pools[origin] = { ...pools[origin], ...pool }
      }
    }
  }
  if (items.length === 0) throw new ImportError('the curl command names no URL; add one (curl … https://…)')
  const collection: OpenCollection = { opencollection: '1.0.0', info: { name: 'curl' }, items }
  // -k and --http1.1 are pool settings in Sockeye: kept per origin, where the collection keeps them.
  if (Object.keys(pools).length > 0) collection.extensions = { sockeye: { pools } }
  return { format: 'curl', collection, warnings }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error'
}

function requestName(request: SockeyeHttpRequest): string {
  const url = request.http?.url ?? ''
  const path = /^[a-z]+:\/\/[^/]+(\/[^?#]*)?/i.exec(url)?.[1] ?? url
  return `${request.http?.method ?? 'GET'} ${path || '/'}`
}

/** `example.com/x` → `http://example.com/x`, as curl guesses a scheme. */
function withScheme(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`
}

/** `--url-query`/`-G` text joins the URL's query with `&`, or starts it with `?`. */
function addQuery(url: string, query: string): string {
  if (query === '') return url
  const hash = url.indexOf('#')
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)]
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`
}

/** `http://user:pass@host/` → the URL without credentials and curl's basic-auth pair. */
function splitUserinfo(url: string): { url: string; user: string | null } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(url)
  if (!match) return { url, user: null }
  const user = (match[2] ?? '').split(':').map((s) => decodeURIComponent(s))
  return { url: (match[1] ?? '') + url.slice(match[0].length), user: user.join(':') }
}

/** One `-H` argument: a header, a removal (`Name:`), an empty header (`Name;`), or `@file`. */
function customHeaders(config: OperationConfig, read: ReadFile, warnings: string[]) {
  const add: HttpRequestHeader[] = []
  const removed = new Set<string>()
  const lines: string[] = []
  for (const raw of (config.header ?? []).map(String)) {
    if (!raw.startsWith('@')) {
      lines.push(raw)
      continue
    }
    const content = read(raw.slice(1))
    if (!content) warnings.push(`-H ${raw}: the header file was not read; add its headers by hand`)
    else
      lines.push(
        ...content
          .toString('utf8')
          .split(/\r?\n/)
          .filter((l) => l.trim() !== ''),
      )
  }
  for (const line of lines) {
    const colon = line.indexOf(':')
    const semi = line.indexOf(';')
    if (colon > 0 && (semi < 0 || colon < semi)) {
      const name = line.slice(0, colon).trim()
      const value = line.slice(colon + 1).trim()
      if (value === '') removed.add(nameOf(name))
      else add.push({ name, value })
    } else if (semi > 0 && line.slice(semi + 1).trim() === '') {
      add.push({ name: line.slice(0, semi).trim(), value: '' })
    } else {
      warnings.push(`-H '${line}': not "Name: value"; curl ignores it too`)
    }
  }
  return { add, removed }
}

function fromConfig(
  config: OperationConfig,
  rawUrl: string,
  read: ReadFile,
  warnings: string[],
): { request: SockeyeHttpRequest; pool: Partial<PoolSettings> } {
  for (const key of Object.keys(config)) {
    if (!MAPPED.has(key)) warnings.push(`--${key} is not imported (Sockeye has no equivalent)`)
  }
  const pieces = dataPieces(config.data)
  const form = (config.form ?? []).map((f) => ({ value: String(f.value), literal: f.type === 'string' }))
  if (!config.globoff && /[[{]/.test(rawUrl)) {
    warnings.push(`${rawUrl}: curl expands [] and {} into several URLs (unless -g); imported as written`)
  }
  const { url: bare, user: urlUser } = splitUserinfo(withScheme(rawUrl))
  let url = bare
  const query = queryText(dataPieces(config['url-query']), read)
  for (const m of query.missing) warnings.push(`--url-query ${m.path}: the file was not read`)

  const get = config.get === true
  const head = config.head === true
  if (get && pieces.length > 0) {
    const data = dataBytes(pieces, read)
    if (data.ok) url = addQuery(url, data.bytes.toString('utf8'))
    else warnings.push(`-G: ${data.missing.map((m) => m.path).join(', ')} not read; the query is incomplete`)
  }
  url = addQuery(url, query.text)

  const hasBody = !get && (pieces.length > 0 || form.length > 0)
  const method = config.request
    ? String(config.request)
    : head
      ? 'HEAD'
      : get
        ? 'GET'
        : hasBody
          ? 'POST'
          : 'GET'
  if (head && hasBody) warnings.push('-I with a body: curl refuses this command; the body is kept')

  const custom = customHeaders(config, read, warnings)
  // Headers curl makes from options; a `-H` of the same name replaces them, `-H 'Name:'` drops them.
  const made: HttpRequestHeader[] = []
  if (config['user-agent'] !== undefined)
    made.push({ name: 'User-Agent', value: String(config['user-agent']) })
  if (config.json && pieces.length > 0) made.push({ name: 'Accept', value: 'application/json' })
  if (config.compressed) made.push({ name: 'Accept-Encoding', value: COMPRESSED })
  if (config.referer !== undefined) {
    const referer = String(config.referer).replace(/;auto$/, '')
    if (referer !== '') made.push({ name: 'Referer', value: referer })
  }
  const cookies = (config.cookie ?? []).map(String)
  const inline = cookies.filter((c) => c.includes('='))
  for (const file of cookies.filter((c) => !c.includes('='))) {
    warnings.push(`-b ${file}: cookie files are not read; paste the cookies as -b 'name=value'`)
  }
  if (inline.length > 0) made.push({ name: 'Cookie', value: inline.join(';') })

  const request: SockeyeHttpRequest = { info: {}, http: { method, url } }
  const follow = redirectsOf(config, warnings)
  if (follow !== null) request.settings = { followRedirects: true, maxRedirects: follow }
  const http = request.http as NonNullable<SockeyeHttpRequest['http']>
  if (hasBody) {
    const userType = custom.add.find((h) => nameOf(h.name) === 'content-type')?.value
    const body = bodyOf(pieces, form, config, read, warnings, userType)
    if (body.contentType) made.push({ name: 'Content-Type', value: body.contentType })
    if (body.value) http.body = body.value
  }
  const overridden = new Set(custom.add.map((h) => nameOf(h.name)))
  const keep = (h: HttpRequestHeader) =>
    !overridden.has(nameOf(h.name)) && !custom.removed.has(nameOf(h.name))
  const headers = [...made.filter((h) => h.name !== 'Content-Type' && keep(h)), ...custom.add]
  const type = made.find((h) => h.name === 'Content-Type')
  if (type && keep(type)) headers.push(type)
  if (headers.length > 0) http.headers = headers

  const user = config.user !== undefined ? String(config.user) : urlUser
  const authorizationSet = overridden.has('authorization') || custom.removed.has('authorization')
  if (!authorizationSet && config['oauth2-bearer'] !== undefined) {
    http.auth = { type: 'bearer', token: String(config['oauth2-bearer']) }
  } else if (!authorizationSet && user !== null) {
    const colon = user.indexOf(':')
    if (colon < 0) warnings.push(`-u ${user}: curl would ask for the password; an empty one is used`)
    http.auth = {
      type: 'basic',
      username: colon < 0 ? user : user.slice(0, colon),
      password: colon < 0 ? '' : user.slice(colon + 1),
    }
  }

  const pool: Partial<PoolSettings> = {}
  if (config.insecure) pool.rejectUnauthorized = false
  if (config.httpVersion === '1.1' || config.httpVersion === '1.0') pool.allowH2 = false
  if (config.httpVersion === '2' || config.httpVersion === '2-prior-knowledge') pool.allowH2 = true
  return { request, pool }
}

/**
 * `-L [--max-redirs N]` as the most redirects to follow, or null when curl would not follow. curl's
 * own default (50 in the curl this was checked with) and -1 (no limit) become Sockeye's most, 50.
 */
function redirectsOf(config: OperationConfig, warnings: string[]): number | null {
  const raw = config['max-redirs'] === undefined ? null : String(config['max-redirs']).trim()
  if (!config.location) {
    if (raw !== null)
      warnings.push('--max-redirs without -L: curl follows no redirect, so neither does Sockeye')
    return null
  }
  const [min, max] = RANGES.redirects
  if (raw === null) return max
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN
  if (Number.isInteger(n) && n >= min && n <= max) return n
  warnings.push(`--max-redirs ${raw}: Sockeye follows at most ${max} redirects; ${max} is used`)
  return max
}

/** curlconverter's `[kind, Word]` pairs as plain strings. */
function dataPieces(pairs: OperationConfig['data']): DataPiece[] {
  return ((pairs ?? []) as unknown as Array<[DataPiece[0], unknown]>).map(
    ([kind, value]) => [kind, String(value)] as DataPiece,
  )
}

/** The request body and the Content-Type curl adds for it (`-d`: urlencoded, `--json`, `-F`). */
function bodyOf(
  pieces: readonly DataPiece[],
  form: ReadonlyArray<{ value: string; literal: boolean }>,
  config: OperationConfig,
  read: ReadFile,
  warnings: string[],
  userType: string | undefined,
): { value?: NonNullable<SockeyeHttpRequest['http']>['body']; contentType?: string } {
  if (form.length > 0) {
    if (pieces.length > 0) warnings.push('-F and -d together: curl refuses this command; -d is dropped')
    return { value: { type: 'multipart-form', data: form.map((f) => formEntry(f, read, warnings)) } }
  }
  const contentType = config.json ? 'application/json' : 'application/x-www-form-urlencoded'
  const file = soleFile(pieces)
  if (file !== null) {
    const variant = { filePath: file, contentType: userType ?? contentType, selected: true }
    return { value: { type: 'file', data: [variant] }, contentType }
  }
  const data = dataBytes(pieces, read)
  if (!data.ok) {
    const names = data.missing.map((m) => (m.path === '-' ? 'standard input' : m.path)).join(', ')
    warnings.push(`the body reads ${names}, which was not read here; the body is left empty`)
    return { contentType }
  }
  const value = rawBody(data.bytes, userType ?? contentType)
  if (!value) warnings.push('the body is not UTF-8 text; save it to a file and use --data-binary @file')
  return value ? { value, contentType } : { contentType }
}

/** One `-F` / `--form-string` argument → a multipart entry (`name=value`, `name=@file`, `name=<file`). */
function formEntry(
  field: { value: string; literal: boolean },
  read: ReadFile,
  warnings: string[],
): MultipartFormEntry {
  const eq = field.value.indexOf('=')
  const name = eq < 0 ? field.value : field.value.slice(0, eq)
  const content = eq < 0 ? '' : field.value.slice(eq + 1)
  if (field.literal) return { name, type: 'text', value: content }
  const [first = '', ...params] = content.split(';')
  const type = params.find((p) => p.startsWith('type='))?.slice(5)
  if (params.some((p) => p.startsWith('filename=') || p.startsWith('headers='))) {
    warnings.push(`-F ${name}: ;filename= and ;headers= are not kept`)
  }
  if (first.startsWith('@')) {
    const path = first.slice(1)
    return { name, type: 'file', value: path, contentType: type ?? guessType(basename(path)) }
  }
  if (first.startsWith('<')) {
    const text = read(first.slice(1))
    if (!text) warnings.push(`-F ${name}=<${first.slice(1)}: the file was not read; the field is empty`)
    const entry: MultipartFormEntry = { name, type: 'text', value: text?.toString('utf8') ?? '' }
    if (type) entry.contentType = type
    return entry
  }
  // curl reads `;type=` after a text value too; anything else after `;` is part of the value.
  const entry: MultipartFormEntry = { name, type: 'text', value: type ? first : content }
  if (type) entry.contentType = type
  return entry
}
