import { clampTo, REDIRECTS_DEFAULT } from '../../../electron/contract/limits'
import { noAuth, type Auth } from './auth'
import { blankDraft, type DraftState } from './draftState'
import { normalMethod } from './draft'
import { part, pathPart } from './multipart'
import { kv, paramsFromUrl, splitUrl, withParams, type KeyValue } from './urlParams'

/*
 * A collection request file (OpenCollection `http` block, and `settings.followRedirects` /
 * `maxRedirects`) ⇄ a composer draft, both with their `{{templates}}` as written. Saving rewrites
 * only the parts the draft changed: a part left alone (a body variant list, a file body,
 * `auth: inherit`, a header's description, `followRedirects: inherit`) is written back exactly as
 * the file has it, with every key Sockeye does not know.
 */

type Doc = Record<string, unknown>
type Row = { name?: unknown; value?: unknown; disabled?: unknown; type?: unknown; contentType?: unknown }

const rows = (list: unknown): Row[] =>
  Array.isArray(list)
    ? list.filter((r): r is Row => !!r && typeof r === 'object' && typeof r.name === 'string')
    : []
const text = (x: unknown): string =>
  typeof x === 'string' ? x : x === undefined || x === null ? '' : String(x)
const blockOf = (doc: Doc, key: 'http' | 'settings'): Doc => {
  const block = doc[key]
  return block && typeof block === 'object' && !Array.isArray(block) ? (block as Doc) : {}
}
const httpOf = (doc: Doc): Doc => blockOf(doc, 'http')

const RAW: Record<string, string> = {
  text: 'text/plain',
  xml: 'application/xml',
  sparql: 'application/sparql-query',
}

/** The draft a request file opens as (method, URL with its query params, headers, body, auth). */
export function draftFromItem(doc: Doc): DraftState {
  const http = httpOf(doc)
  const d = blankDraft()
  d.method = text(http.method) || 'GET'
  d.url = text(http.url)
  const query = rows(http.params).filter((p) => p.type !== 'path' && !p.disabled)
  // Bruno keeps the query in the URL too; a file with params only gets them appended.
  if (query.length > 0 && splitUrl(d.url).query === null)
    d.url = withParams(
      d.url,
      query.map((p) => kv(text(p.name), text(p.value))),
    )
  d.headers = rows(http.headers).map((h) => kv(text(h.name), text(h.value), !h.disabled))
  const raw = Array.isArray(http.body)
    ? ((http.body.find((v: { selected?: unknown }) => v?.selected) ?? http.body[0]) as Doc | undefined)?.body
    : http.body
  const body = raw && typeof raw === 'object' ? (raw as Doc) : null
  if (body?.type === 'json') {
    d.bodyMode = 'json'
    d.body = text(body.data)
  } else if (typeof body?.type === 'string' && body.type in RAW) {
    d.bodyMode = 'raw'
    d.body = text(body.data)
    d.rawType = RAW[body.type]!
  } else if (body?.type === 'form-urlencoded') {
    d.bodyMode = 'form'
    d.form = rows(body.data).map((r) => kv(text(r.name), text(r.value), !r.disabled))
  } else if (body?.type === 'multipart-form') {
    d.bodyMode = 'multipart'
    // A file part names a file of the collection folder (one part per path, as they are sent):
    // the host reads it on Send, the draft keeps only the path.
    d.parts = rows(body.data).flatMap((r) => {
      const enabled = !r.disabled
      const type = text(r.contentType)
      if (r.type === 'file') {
        const paths = Array.isArray(r.value) ? r.value : [r.value]
        return paths.map((p) => ({ ...pathPart(text(r.name), text(p), type), enabled }))
      }
      const value = Array.isArray(r.value) ? r.value.join(',') : text(r.value)
      return [{ ...part(text(r.name), value), contentType: type, enabled }]
    })
  } else if (body?.type === 'file' && Array.isArray(body.data)) {
    const variants = body.data as Array<{ filePath?: unknown; contentType?: unknown; selected?: unknown }>
    const chosen = variants.find((v) => v?.selected) ?? variants[0]
    d.bodyMode = 'file'
    d.bodyFile = { path: text(chosen?.filePath), contentType: text(chosen?.contentType) }
  }
  d.auth = authOf(http.auth)
  // 'inherit' (Bruno's) and absent are off here, as `sockeye run` reads them.
  const settings = blockOf(doc, 'settings')
  d.follow = settings.followRedirects === true
  d.maxRedirects = clampTo('redirects', settings.maxRedirects, REDIRECTS_DEFAULT)
  return d
}

function authOf(value: unknown): Auth {
  const a = noAuth()
  if (!value || typeof value !== 'object') return a
  const v = value as Record<string, unknown>
  if (v.type === 'basic')
    Object.assign(a, { kind: 'basic', user: text(v.username), password: text(v.password) })
  else if (v.type === 'bearer') Object.assign(a, { kind: 'bearer', token: text(v.token) })
  else if (v.type === 'apikey')
    Object.assign(a, {
      kind: 'apikey',
      keyName: text(v.key),
      keyValue: text(v.value),
      keyIn: v.placement === 'query' ? 'query' : 'header',
    })
  return a
}

const pairs = (list: KeyValue[]) => list.map((r) => [r.name, r.value, r.enabled])

/** The parts of a draft that a file holds, each as a comparable string. */
function partsOf(d: DraftState) {
  const a = d.auth
  return {
    line: JSON.stringify([d.method, d.url]),
    headers: JSON.stringify(pairs(d.headers)),
    body: JSON.stringify([
      d.bodyMode,
      d.bodyMode === 'raw' || d.bodyMode === 'json' ? d.body : '',
      d.bodyMode === 'raw' ? d.rawType : '',
      d.bodyMode === 'form' ? pairs(d.form) : [],
      d.bodyMode === 'multipart'
        ? d.parts.map((p) => [
            p.name,
            p.path !== null ? `path:${p.path}` : p.file ? `file:${p.file.name}` : p.value,
            p.enabled,
            p.contentType,
          ])
        : [],
      d.bodyMode === 'file' ? [d.bodyFile.path, d.bodyFile.contentType] : [],
    ]),
    auth: JSON.stringify(
      a.kind === 'basic'
        ? [a.kind, a.user, a.password]
        : a.kind === 'bearer'
          ? [a.kind, a.token]
          : a.kind === 'apikey'
            ? [a.kind, a.keyName, a.keyValue, a.keyIn]
            : [a.kind],
    ),
    redirects: JSON.stringify([d.follow, d.maxRedirects]),
  }
}

/**
 * A short fingerprint of what a draft would write (FNV-1a of its parts): kept with the tab to
 * tell "unsaved changes" without keeping a second copy of the draft (and of its secrets).
 */
export function fingerprint(d: DraftState): string {
  const s = Object.values(partsOf(d)).join('\n')
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return `${s.length.toString(36)}.${(h >>> 0).toString(36)}`
}

/**
 * The file's document with the draft's changes in `http` and `settings` (only the changed parts
 * are rewritten; `settings` keeps the keys Sockeye does not edit: encodeUrl, timeout, …).
 */
export function itemFromDraft(d: DraftState, doc: Doc): Doc {
  const was = partsOf(draftFromItem(doc))
  const now = partsOf(d)
  const old = httpOf(doc)
  const http: Doc = { ...old }
  // null removes a key: saveRequest keeps every http key a document leaves out.
  const set = (key: string, value: unknown) => {
    http[key] = value === undefined ? null : value
  }
  if (now.line !== was.line) {
    http.method = normalMethod(d.method)
    http.url = d.url.trim()
    const kept = rows(old.params).filter((p) => p.type === 'path' || p.disabled)
    const query = paramsFromUrl(d.url, []).map((p) => ({ name: p.name, value: p.value, type: 'query' }))
    set('params', query.length + kept.length > 0 ? [...query, ...kept] : undefined)
  }
  if (now.headers !== was.headers) {
    const before = rows(old.headers)
    const list = d.headers
      .filter((h) => h.name.trim() !== '')
      .map((h) => {
        // A header of the same name keeps its other keys (a description, another tool's).
        const at = before.findIndex((b) => b.name === h.name)
        const extra = at >= 0 ? before.splice(at, 1)[0]! : {}
        const out: Doc = { ...extra, name: h.name, value: h.value }
        if (h.enabled) delete out.disabled
        else out.disabled = true
        return out
      })
    set('headers', list.length > 0 ? list : undefined)
  }
  if (now.body !== was.body) set('body', bodyOf(d))
  if (now.auth !== was.auth) set('auth', authDoc(d.auth))
  if (now.redirects === was.redirects) return { http }
  const settings = { ...blockOf(doc, 'settings'), followRedirects: d.follow, maxRedirects: d.maxRedirects }
  return { http, settings }
}

function bodyOf(d: DraftState): Doc | undefined {
  const rowsOf = (list: KeyValue[]) =>
    list.map((r) => ({ name: r.name, value: r.value, ...(r.enabled ? {} : { disabled: true }) }))
  if (d.bodyMode === 'json') return { type: 'json', data: d.body }
  if (d.bodyMode === 'raw') {
    const type = Object.entries(RAW).find(([, mime]) => mime === d.rawType)?.[0] ?? 'text'
    return { type, data: d.body }
  }
  if (d.bodyMode === 'form') return { type: 'form-urlencoded', data: rowsOf(d.form) }
  if (d.bodyMode === 'multipart')
    return {
      type: 'multipart-form',
      // A collection file part keeps its path (the reference, never the bytes).
      data: d.parts.map((p) => ({
        name: p.name,
        type: p.file || p.path !== null ? 'file' : 'text',
        value: p.path !== null ? [p.path] : p.file ? p.file.name : p.value,
        ...(p.contentType ? { contentType: p.contentType } : {}),
        ...(p.enabled ? {} : { disabled: true }),
      })),
    }
  if (d.bodyMode === 'file')
    return {
      type: 'file',
      data: [{ filePath: d.bodyFile.path, contentType: d.bodyFile.contentType, selected: true }],
    }
  return undefined
}

function authDoc(a: Auth): Doc | undefined {
  if (a.kind === 'basic') return { type: 'basic', username: a.user, password: a.password }
  if (a.kind === 'bearer') return { type: 'bearer', token: a.token }
  if (a.kind === 'apikey') return { type: 'apikey', key: a.keyName, value: a.keyValue, placement: a.keyIn }
  return undefined
}

/** Every text of a draft a `{{variable}}` may sit in, in a fixed order (see withTexts). */
export function textsOf(d: DraftState): string[] {
  const a = d.auth
  return [
    d.url,
    ...d.headers.flatMap((h) => [h.name, h.value]),
    d.body,
    ...d.form.flatMap((f) => [f.name, f.value]),
    ...d.parts.flatMap((p) => [p.name, p.value]),
    a.user,
    a.password,
    a.token,
    a.keyName,
    a.keyValue,
    ...d.parts.map((p) => p.path ?? ''),
    d.bodyFile.path,
  ]
}

/** The draft with its texts replaced, in textsOf's order (the resolved values, for Send). */
export function withTexts(d: DraftState, texts: readonly string[]): DraftState {
  let i = 0
  const next = () => texts[i++] ?? ''
  const url = next()
  const headers = d.headers.map((h) => ({ ...h, name: next(), value: next() }))
  const body = next()
  const form = d.form.map((f) => ({ ...f, name: next(), value: next() }))
  const parts = d.parts.map((p) => ({ ...p, name: next(), value: next() }))
  const auth = { ...d.auth, user: next(), password: next(), token: next(), keyName: next(), keyValue: next() }
  const paths = parts.map((p) => {
    const path = next()
    return p.path === null ? p : { ...p, path }
  })
  const bodyFile = { ...d.bodyFile, path: next() }
  return { ...d, url, headers, body, form, parts: paths, auth, bodyFile }
}
