import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { HeaderList, RequestSpec } from '../api/contract'
import { useApi } from '../api/current'
import { clampTo } from '../../../electron/contract/limits'
import { formBody, kv, paramsFromUrl, withParams, type KeyValue } from './urlParams'
import { uiStorage } from './uiState'

/** How the body editor is read. */
export type BodyMode = 'none' | 'raw' | 'json' | 'form'

/** The persisted shape (the host's UI state, see uiState.ts). */
interface Saved {
  method: string
  url: string
  headers: Array<[string, string, boolean]>
  bodyMode: BodyMode
  body: string
  form: Array<[string, string, boolean]>
  repeat: number
  concurrency: number
  fresh: boolean
}

const STORAGE_KEY = 'sockeye.composer.v1'
interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}
// Typed structurally so this store also loads in Node unit tests (no DOM lib there).
// The host's UI state file, not localStorage: a draft may hold an Authorization header.
const storage = (): StorageLike | null => uiStorage()

function restore(): Partial<Saved> {
  try {
    const raw = storage()?.getItem(STORAGE_KEY)
    const value: unknown = raw ? JSON.parse(raw) : null
    return value && typeof value === 'object' ? (value as Partial<Saved>) : {}
  } catch {
    return {}
  }
}

const toRows = (list: unknown): KeyValue[] =>
  Array.isArray(list)
    ? list
        .filter((t): t is [string, string, boolean] => Array.isArray(t) && typeof t[0] === 'string')
        .map(([n, v, e]) => kv(n, String(v ?? ''), e !== false))
    : []
const fromRows = (rows: KeyValue[]): Array<[string, string, boolean]> =>
  rows.map((r) => [r.name, r.value, r.enabled])
/** What the composer sends: method, URL (params table in sync both ways), headers, body, batch. */
export const useComposerStore = defineStore('composer', () => {
  const saved = restore()
  const method = ref(typeof saved.method === 'string' ? saved.method : 'GET')
  const url = ref(typeof saved.url === 'string' ? saved.url : '')
  const params = ref<KeyValue[]>(paramsFromUrl(url.value, []))
  const headers = ref<KeyValue[]>(toRows(saved.headers))
  const bodyMode = ref<BodyMode>(
    saved.bodyMode && ['none', 'raw', 'json', 'form'].includes(saved.bodyMode) ? saved.bodyMode : 'none',
  )
  const body = ref(typeof saved.body === 'string' ? saved.body : '')
  const form = ref<KeyValue[]>(toRows(saved.form))
  const repeat = ref(clampTo('repeat', saved.repeat, 1))
  const concurrency = ref(clampTo('concurrency', saved.concurrency, 1))
  const fresh = ref(saved.fresh === true)
  const sending = ref(false)

  /** The URL was edited: re-read the params table from it. */
  function setUrl(next: string): void {
    url.value = next
    params.value = paramsFromUrl(next, params.value)
  }

  /** The params table was edited: rewrite the URL's query from it. */
  function setParams(next: KeyValue[]): void {
    params.value = next
    url.value = withParams(url.value, next)
  }

  /** The request to send, or a one-line reason it cannot be built. */
  function toSpec(): { ok: true; spec: RequestSpec } | { ok: false; message: string } {
    const target = url.value.trim()
    if (target === '') return { ok: false, message: 'Type a URL first, e.g. http://127.0.0.1:8080/' }
    const list: HeaderList = headers.value
      .filter((h) => h.enabled && h.name.trim() !== '')
      .map((h) => [h.name.trim(), h.value])
    const has = (name: string) => list.some(([n]) => n.toLowerCase() === name)
    let payload: string | null = null
    if (bodyMode.value === 'raw') payload = body.value
    if (bodyMode.value === 'json') {
      try {
        JSON.parse(body.value)
      } catch (err) {
        return { ok: false, message: `Body is not valid JSON: ${(err as Error).message}` }
      }
      payload = body.value
      if (!has('content-type')) list.push(['content-type', 'application/json'])
    }
    if (bodyMode.value === 'form') {
      payload = formBody(form.value)
      if (!has('content-type')) list.push(['content-type', 'application/x-www-form-urlencoded'])
    }
    return {
      ok: true,
      spec: {
        method: method.value.trim().toUpperCase(),
        url: target,
        headers: list,
        body: payload,
        fresh: fresh.value,
      },
    }
  }

  /** Send the composed request `repeat` times, `concurrency` at a time; resolves with the new ids. */
  async function send(): Promise<number[]> {
    const built = toSpec()
    if (!built.ok) throw new Error(built.message)
    sending.value = true
    try {
      const { requestIds } = await useApi().send({
        request: built.spec,
        repeat: repeat.value,
        concurrency: concurrency.value,
      })
      return requestIds
    } finally {
      sending.value = false
    }
  }

  watch(
    [method, url, headers, bodyMode, body, form, repeat, concurrency, fresh],
    () => {
      const value: Saved = {
        method: method.value,
        url: url.value,
        headers: fromRows(headers.value),
        bodyMode: bodyMode.value,
        body: body.value,
        form: fromRows(form.value),
        repeat: repeat.value,
        concurrency: concurrency.value,
        fresh: fresh.value,
      }
      try {
        storage()?.setItem(STORAGE_KEY, JSON.stringify(value))
      } catch {
        // Quota or privacy mode: the composer still works, it just is not remembered.
      }
    },
    { deep: true, flush: 'sync' },
  )

  return {
    method,
    url,
    params,
    headers,
    bodyMode,
    body,
    form,
    repeat,
    concurrency,
    fresh,
    sending,
    setUrl,
    setParams,
    toSpec,
    send,
  }
})
