import type { RequestSpec } from '../api/contract'
import { clampTo, REDIRECTS_DEFAULT } from '../../../electron/contract/limits'
import { noAuth, toAuth, withoutSecrets, type Auth } from './auth'
import { BODY_MODES, type BodyMode, type DraftFields } from './draft'
import { kv, type KeyValue } from './urlParams'

/* A composer tab's fields, and the JSON they are remembered as (checked on the way back in). */

/** One composer tab in memory: every field, secrets and picked files included. */
export interface DraftState extends DraftFields {
  repeat: number
  concurrency: number
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
  parts?: Array<[string, string, boolean]>
  auth?: Partial<Auth>
  follow?: boolean
  maxRedirects?: number
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
    auth: noAuth(),
    fresh: false,
    follow: false,
    maxRedirects: REDIRECTS_DEFAULT,
    repeat: 1,
    concurrency: 1,
  }
}

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
  d.parts = toRows(s.parts).map((r) => ({ ...r, file: null }))
  d.auth = toAuth(s.auth)
  d.follow = s.follow === true
  d.maxRedirects = clampTo('redirects', s.maxRedirects, REDIRECTS_DEFAULT)
  d.repeat = clampTo('repeat', s.repeat, 1)
  d.concurrency = clampTo('concurrency', s.concurrency, 1)
  d.fresh = s.fresh === true
  return d
}

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
    parts: d.parts.map((p) => [p.name, p.file ? '' : p.value, p.enabled]),
    auth: withoutSecrets(d.auth),
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
