import type { Auth } from '@opencollection/types/common/auth'
import type { Scripts } from '@opencollection/types/common/scripts'
import type { Folder, Item } from '@opencollection/types/collection/item'
import type {
  HttpRequestBody,
  HttpRequestHeader,
  HttpRequestParam,
} from '@opencollection/types/requests/http'
import { rawType } from './body'
import { isRecord, list, str } from './text'
import { ImportError, type ImportResult, type SockeyeHttpRequest } from './types'

/**
 * Postman collection v2.0 / v2.1 (https://schema.postman.com) → OpenCollection. Folders nest;
 * URLs as strings or objects; headers as arrays or `Name: value` lines; raw, urlencoded,
 * formdata and file bodies; basic, bearer and API-key auth (v2.0 objects and v2.1 key/value
 * lists); collection variables. Scripts are kept as text (runtime.scripts) and never run.
 * Postman's `{{name}}` variables are OpenCollection's syntax too: they stay as written.
 */

const SCHEMA = /schema\.(getpostman|postman)\.com\/json\/collection\/v2\.[01]/

export function isPostman(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.info) && SCHEMA.test(str(doc.info.schema))
}

interface Context {
  warnings: string[]
  scripts: number
}

/** Postman's key/value lists (v2.1 auth, query, urlencoded) as a lookup. */
function pairs(v: unknown): Map<string, string> {
  return new Map(
    list(v)
      .filter(isRecord)
      .map((p) => [str(p.key), str(p.value)]),
  )
}

function auth(v: unknown, where: string, ctx: Context): Auth | undefined {
  if (!isRecord(v)) return undefined
  const type = str(v.type)
  // v2.1: `basic: [{key: 'username', value}]`; v2.0: `basic: {username, password}`.
  const fields = (key: string) =>
    Array.isArray(v[key])
      ? pairs(v[key])
      : new Map(Object.entries(isRecord(v[key]) ? v[key] : {}).map(([k, x]) => [k, str(x)]))
  if (type === 'noauth') return undefined
  if (type === 'basic') {
    const f = fields('basic')
    return { type: 'basic', username: f.get('username') ?? '', password: f.get('password') ?? '' }
  }
  if (type === 'bearer') return { type: 'bearer', token: fields('bearer').get('token') ?? '' }
  if (type === 'apikey') {
    const f = fields('apikey')
    return {
      type: 'apikey',
      key: f.get('key') ?? '',
      value: f.get('value') ?? '',
      placement: f.get('in') === 'query' ? 'query' : 'header',
    }
  }
  ctx.warnings.push(`${where}: ${type || 'unknown'} auth is not imported; set its header by hand`)
  return undefined
}

function headers(v: unknown): HttpRequestHeader[] {
  if (typeof v === 'string') {
    return v
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.includes(':'))
      .map((line) => {
        const colon = line.indexOf(':')
        return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() }
      })
  }
  return list(v)
    .filter(isRecord)
    .map((h) => {
      const header: HttpRequestHeader = { name: str(h.key), value: str(h.value) }
      if (h.disabled === true) header.disabled = true
      return header
    })
}

/** A Postman URL object → its text; `raw` is what Postman shows and sends, so it wins. */
function urlText(v: unknown): string {
  if (typeof v === 'string') return v
  if (!isRecord(v)) return ''
  if (typeof v.raw === 'string') return v.raw
  const host = Array.isArray(v.host) ? v.host.map((h) => str(h)).join('.') : str(v.host)
  const path = Array.isArray(v.path) ? v.path.map((p) => str(p)).join('/') : str(v.path).replace(/^\//, '')
  const query = list(v.query)
    .filter(isRecord)
    .filter((q) => q.disabled !== true)
    .map((q) => (q.value === null || q.value === undefined ? str(q.key) : `${str(q.key)}=${str(q.value)}`))
  const protocol = v.protocol ? `${str(v.protocol)}://` : ''
  const port = v.port ? `:${str(v.port)}` : ''
  return `${protocol}${host}${port}${path ? `/${path}` : ''}${query.length > 0 ? `?${query.join('&')}` : ''}`
}

function params(v: unknown): HttpRequestParam[] {
  if (!isRecord(v)) return []
  const out: HttpRequestParam[] = []
  for (const q of list(v.query).filter(isRecord)) {
    const p: HttpRequestParam = { name: str(q.key), value: str(q.value), type: 'query' }
    if (q.disabled === true) p.disabled = true
    out.push(p)
  }
  for (const p of list(v.variable).filter(isRecord)) {
    out.push({ name: str(p.key ?? p.id), value: str(p.value), type: 'path' })
  }
  return out
}

function body(
  v: unknown,
  contentType: string | undefined,
  where: string,
  ctx: Context,
): HttpRequestBody | undefined {
  if (!isRecord(v) || v.disabled === true) return undefined
  const mode = str(v.mode)
  if (mode === 'raw') {
    const options = isRecord(v.options) && isRecord(v.options.raw) ? v.options.raw : {}
    const language = str(options.language)
    const type = language === 'json' ? 'json' : language === 'xml' ? 'xml' : rawType(contentType)
    return { type, data: str(v.raw) }
  }
  if (mode === 'urlencoded') {
    return {
      type: 'form-urlencoded',
      data: list(v.urlencoded)
        .filter(isRecord)
        .map((e) => ({
          name: str(e.key),
          value: str(e.value),
          ...(e.disabled === true ? { disabled: true } : {}),
        })),
    }
  }
  if (mode === 'formdata') {
    return {
      type: 'multipart-form',
      data: list(v.formdata)
        .filter(isRecord)
        .map((e) => {
          const file = e.type === 'file'
          const value = file ? (Array.isArray(e.src) ? e.src.map((s) => str(s)) : str(e.src)) : str(e.value)
          return {
            name: str(e.key),
            type: file ? ('file' as const) : ('text' as const),
            value,
            ...(e.contentType ? { contentType: str(e.contentType) } : {}),
            ...(e.disabled === true ? { disabled: true } : {}),
          }
        }),
    }
  }
  if (mode === 'file') {
    const src = isRecord(v.file) ? str(v.file.src) : ''
    return {
      type: 'file',
      data: [{ filePath: src, contentType: contentType ?? 'application/octet-stream', selected: true }],
    }
  }
  if (mode === 'graphql' && isRecord(v.graphql)) {
    const { query, variables } = v.graphql
    let vars: unknown = {}
    try {
      vars =
        typeof variables === 'string' && variables.trim() !== '' ? JSON.parse(variables) : (variables ?? {})
    } catch {
      ctx.warnings.push(`${where}: GraphQL variables are not JSON; sent as {}`)
    }
    return { type: 'json', data: JSON.stringify({ query: str(query), variables: vars }) }
  }
  if (mode !== '') ctx.warnings.push(`${where}: body mode ${mode} is not imported`)
  return undefined
}

/** `event: [{listen: 'prerequest'|'test', script: {exec}}]` → OpenCollection scripts (text only). */
function scripts(v: unknown, ctx: Context): Scripts | undefined {
  const out: Scripts = []
  for (const event of list(v).filter(isRecord)) {
    const script = isRecord(event.script) ? event.script : {}
    const code = Array.isArray(script.exec) ? script.exec.map((l) => str(l)).join('\n') : str(script.exec)
    if (code.trim() === '') continue
    out.push({ type: event.listen === 'test' ? 'tests' : 'before-request', code })
    ctx.scripts++
  }
  return out.length > 0 ? out : undefined
}

function request(
  item: Record<string, unknown>,
  seq: number,
  inherits: boolean,
  ctx: Context,
): SockeyeHttpRequest {
  const name = str(item.name, `request ${seq}`)
  const r =
    typeof item.request === 'string' ? { url: item.request } : isRecord(item.request) ? item.request : {}
  const hs = headers(r.header)
  const contentType = hs.find((h) => h.name.toLowerCase() === 'content-type' && !h.disabled)?.value
  const http: NonNullable<SockeyeHttpRequest['http']> = {
    method: str(r.method, 'GET').toUpperCase(),
    url: urlText(r.url),
  }
  const ps = params(r.url)
  if (ps.length > 0) http.params = ps
  if (hs.length > 0) http.headers = hs
  const b = body(r.body, contentType, name, ctx)
  if (b) http.body = b
  const a = r.auth === undefined && inherits ? 'inherit' : auth(r.auth, name, ctx)
  if (a) http.auth = a
  const out: SockeyeHttpRequest = { info: { name, type: 'http', seq }, http }
  const s = scripts(item.event, ctx)
  if (s) out.runtime = { scripts: s }
  if (typeof r.description === 'string' && r.description !== '') out.docs = r.description
  return out
}

function items(v: unknown, inherits: boolean, ctx: Context): Item[] {
  return list(v)
    .filter(isRecord)
    .map((item, i): Item => {
      if (!Array.isArray(item.item)) return request(item, i + 1, inherits, ctx)
      const name = str(item.name, `folder ${i + 1}`)
      const folder: Folder = { info: { name, type: 'folder', seq: i + 1 } }
      const a = auth(item.auth, name, ctx)
      const s = scripts(item.event, ctx)
      if (a || s) folder.request = { ...(a ? { auth: a } : {}), ...(s ? { scripts: s } : {}) }
      folder.items = items(item.item, inherits || a !== undefined, ctx)
      return folder
    })
}

export function importPostman(doc: unknown): ImportResult {
  if (!isPostman(doc) || !isRecord(doc)) {
    throw new ImportError('not a Postman collection v2.0/v2.1 (info.schema names neither)')
  }
  const info = doc.info as Record<string, unknown>
  const ctx: Context = { warnings: [], scripts: 0 }
  const rootAuth = auth(doc.auth, 'collection', ctx)
  const rootScripts = scripts(doc.event, ctx)
  const variables = list(doc.variable)
    .filter(isRecord)
    .map((v) => ({
      name: str(v.key ?? v.id),
      value: str(v.value),
      ...(v.disabled === true ? { disabled: true } : {}),
    }))
  const collection: ImportResult['collection'] = {
    opencollection: '1.0.0',
    info: { name: str(info.name, 'Postman collection') },
    items: items(doc.item, rootAuth !== undefined, ctx),
  }
  if (rootAuth || rootScripts || variables.length > 0) {
    collection.request = {
      ...(rootAuth ? { auth: rootAuth } : {}),
      ...(rootScripts ? { scripts: rootScripts } : {}),
      ...(variables.length > 0 ? { variables } : {}),
    }
  }
  if (ctx.scripts > 0) {
    ctx.warnings.push(`${ctx.scripts} Postman scripts kept as text and not run (Sockeye runs no scripts)`)
  }
  return { format: 'postman', collection, warnings: ctx.warnings }
}
