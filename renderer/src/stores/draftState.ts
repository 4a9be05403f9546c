import type { RequestSpec } from '../api/contract'
import { clampTo, REDIRECTS_DEFAULT } from '../../../electron/contract/limits'
import { noAuth, toAuth, withoutSecrets, type Auth } from './auth'
import { BODY_MODES, type BodyMode, type DraftFields } from './draft'
import { kv, type KeyValue } from './urlParams'

/* A composer tab's fields, and the JSON they are remembered as (checked on the way back in). */

/** Where a tab came from: a request file of a collection (its folder and collection-relative path). */
export interface Origin {
  dir: string
  path: string
  name: string
}

/** One composer tab in memory: every field, secrets and picked files included. */
export interface DraftState extends DraftFields {
  repeat: number
  concurrency: number
  /** The request file the tab edits (null: a draft from nowhere). */
  origin: Origin | null
  /**
   * For a draft from nowhere: the collection folder its file parts and file body are read from
   * (a Duplicate of a request sent with collection files); null otherwise. filesDirOf says which.
   */
  filesDir: string | null
  /** The fingerprint (itemDraft.ts) of the file's request as last loaded or saved. */
  base: string | null
}

/** One tab as it may be remembered: no secrets, no file bytes (JSON). */
export interface Saved {
  method: string
  url: string
  headers: Array<[string, string, boolean]>
  bodyMode: BodyMode
  body: string
  rawType?: string
  form: Array<[string, string, boolean]>
  /** name, value, enabled; then a collection file's path (or null) and the part's Content-Type. */
  parts?: Array<[string, string, boolean] | [string, string, boolean, string | null, string]>
  bodyFile?: { path: string; contentType: string }
  auth?: Partial<Auth>
  follow?: boolean
  maxRedirects?: number
  origin?: Origin
  base?: string
  filesDir?: string
  repeat: number
  concurrency: number
  fresh: boolean
}

/** What the composer remembers: the active tab's fields at the top level (v1), the other tabs beside. */
export interface ComposerState extends Saved {
  tabs?: Saved[]
  active?: number
}

const toRows = (list: unknown): KeyValue[] =>
  Array.isArray(list)
    ? list
        .filter((t): t is [string, string, boolean] => Array.isArray(t) && typeof t[0] === 'string')
        .map(([n, v, e]) => kv(n, String(v ?? ''), e !== false))
    : []
const fromRows = (rows: KeyValue[]): Array<[string, string, boolean]> =>
  rows.map((r) => [r.name, r.value, r.enabled])

/** A blank tab. */
export function blankDraft(): DraftState {
  return {
    method: 'GET',
    url: '',
    headers: [],
    bodyMode: 'none',
    body: '',
    rawType: 'text/plain',
    form: [],
    parts: [],
    bodyFile: { path: '', contentType: '' },
    auth: noAuth(),
    fresh: false,
    follow: false,
    maxRedirects: REDIRECTS_DEFAULT,
    repeat: 1,
    concurrency: 1,
    origin: null,
    base: null,
    filesDir: null,
  }
}

/** The collection folder a draft's file paths are relative to: its request file's, else its own. */
export const filesDirOf = (d: Pick<DraftState, 'origin' | 'filesDir'>): string | null =>
  d.origin?.dir ?? d.filesDir

/** A remembered tab, every field checked (storage is untrusted). */
export function fromSaved(value: unknown): DraftState {
  const d = blankDraft()
  if (!value || typeof value !== 'object') return d
  const s = value as Partial<Saved>
  if (typeof s.method === 'string') d.method = s.method
  if (typeof s.url === 'string') d.url = s.url
  d.headers = toRows(s.headers)
  if (s.bodyMode && BODY_MODES.includes(s.bodyMode)) d.bodyMode = s.bodyMode
  if (typeof s.body === 'string') d.body = s.body
  if (typeof s.rawType === 'string') d.rawType = s.rawType
  d.form = toRows(s.form)
  // toRows keeps the same tuples, in order: index i is the same part.
  const kept = (Array.isArray(s.parts) ? (s.parts as unknown[]) : []).filter(
    (t) => Array.isArray(t) && typeof t[0] === 'string',
  ) as unknown[][]
  d.parts = toRows(s.parts).map((r, i) => {
    const t = kept[i]
    const path = Array.isArray(t) && typeof t[3] === 'string' ? t[3] : null
    const contentType = Array.isArray(t) && typeof t[4] === 'string' ? t[4] : ''
    return { ...r, file: null, path, contentType }
  })
  const f = s.bodyFile
  if (f && typeof f.path === 'string' && typeof f.contentType === 'string')
    d.bodyFile = { path: f.path, contentType: f.contentType }
  d.auth = toAuth(s.auth)
  d.follow = s.follow === true
  d.maxRedirects = clampTo('redirects', s.maxRedirects, REDIRECTS_DEFAULT)
  const o = s.origin as Partial<Origin> | undefined
  if (o && typeof o.dir === 'string' && typeof o.path === 'string' && typeof s.base === 'string') {
    d.origin = { dir: o.dir, path: o.path, name: typeof o.name === 'string' ? o.name : o.path }
    d.base = s.base
  }
  if (typeof s.filesDir === 'string' && s.filesDir !== '') d.filesDir = s.filesDir
  d.repeat = clampTo('repeat', s.repeat, 1)
  d.concurrency = clampTo('concurrency', s.concurrency, 1)
  d.fresh = s.fresh === true
  return d
}

/** Auth fields that hold only `{{variables}}` carry no secret and are remembered as written. */
const SECRET_FIELDS = ['password', 'token', 'keyValue'] as const
const templateOnly = (s: string) => /^(\s*\{\{[^{}]*\}\}\s*)+$/.test(s)

export function toSaved(d: DraftState): Saved {
  return {
    method: d.method,
    url: d.url,
    headers: fromRows(d.headers),
    bodyMode: d.bodyMode,
    body: d.body,
    follow: d.follow,
    maxRedirects: d.maxRedirects,
    rawType: d.rawType,
    form: fromRows(d.form),
    // A picked file is not remembered: only its field name, with an empty value.
    parts: d.parts.map((p) =>
      p.path !== null || p.contentType
        ? [p.name, p.file || p.path !== null ? '' : p.value, p.enabled, p.path, p.contentType]
        : [p.name, p.file ? '' : p.value, p.enabled],
    ),
    bodyFile: d.bodyFile,
    auth: {
      ...withoutSecrets(d.auth),
      ...Object.fromEntries(SECRET_FIELDS.filter((k) => templateOnly(d.auth[k])).map((k) => [k, d.auth[k]])),
    },
    ...(d.origin && d.base !== null ? { origin: d.origin, base: d.base } : {}),
    ...(d.filesDir !== null ? { filesDir: d.filesDir } : {}),
    repeat: d.repeat,
    concurrency: d.concurrency,
    fresh: d.fresh,
  }
}

/** A draft that sends what a request spec sent (Duplicate; a row's request opened as a tab). */
export function draftFromSpec(spec: RequestSpec): DraftState {
  const d = blankDraft()
  d.method = spec.method
  d.url = spec.url
  d.headers = spec.headers.map(([n, v]) => kv(n, v))
  d.fresh = spec.fresh === true
  if (spec.redirects) {
    d.follow = spec.redirects.follow
    d.maxRedirects = clampTo('redirects', spec.redirects.max, REDIRECTS_DEFAULT)
  }
  if (spec.body !== null && spec.bodyEncoding !== 'base64') {
    d.bodyMode = 'raw'
    d.body = spec.body
    d.rawType = ''
  }
  return d
}
