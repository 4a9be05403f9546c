import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { RequestSpec, SendFiles } from '../api/contract'
import { useApi } from '../api/current'
import type { Auth } from './auth'
import { buildSpec, problemsOf, type BodyMode } from './draft'
import {
  blankDraft,
  fromSaved,
  toSaved,
  type ComposerState,
  type DraftState,
  type Origin,
} from './draftState'
import { fingerprint } from './itemDraft'
import { part, type Part } from './multipart'
import { useRunsStore } from './runs'
import { paramsFromUrl, withParams, type KeyValue } from './urlParams'
import { uiStorage } from './uiState'

export type { BodyMode } from './draft'
export { blankDraft, draftFromSpec, type ComposerState, type DraftState, type Origin } from './draftState'

const STORAGE_KEY = 'sockeye.composer.v1'
interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}
// Typed structurally so this store also loads in Node unit tests (no DOM lib there).
// The host's UI state file, not localStorage: a draft may hold an Authorization header.
const storage = (): StorageLike | null => uiStorage()

function readSaved(): unknown {
  try {
    const raw = storage()?.getItem(STORAGE_KEY)
    return raw ? JSON.parse(raw) : null
  } catch {
    return null
  }
}

let nextTab = 1

/** What the composer sends: tabs of drafts; the active one's fields are the store's state. */
export const useComposerStore = defineStore('composer', () => {
  const saved = readSaved() as ComposerState | null
  const first = fromSaved(saved)
  const method = ref(first.method)
  const url = ref(first.url)
  const params = ref<KeyValue[]>(paramsFromUrl(url.value, []))
  const headers = ref<KeyValue[]>(first.headers)
  const bodyMode = ref<BodyMode>(first.bodyMode)
  const body = ref(first.body)
  const rawType = ref(first.rawType)
  const form = ref<KeyValue[]>(first.form)
  const parts = ref<Part[]>(first.parts)
  const bodyFile = ref(first.bodyFile)
  const auth = ref<Auth>(first.auth)
  const follow = ref(first.follow)
  const maxRedirects = ref(first.maxRedirects)
  const repeat = ref(first.repeat)
  const concurrency = ref(first.concurrency)
  const fresh = ref(first.fresh)
  const sending = ref(false)
  /** The composer's open part (kept while the view is switched away). */
  const section = ref<'params' | 'headers' | 'auth' | 'body'>('params')
  /** The request file the active tab edits, and that file's fingerprint when last loaded or saved. */
  const origin = ref<Origin | null>(first.origin)
  const base = ref<string | null>(first.base)
  /** The collection folder a draft from nowhere reads its file paths from (DraftState.filesDir). */
  const filesDir = ref<string | null>(first.filesDir)

  /** Every tab; the active tab's entry is stale while it is active (its fields live in the refs). */
  const restoredTabs = Array.isArray(saved?.tabs) ? saved.tabs.slice(0, 20).map(fromSaved) : []
  const tabs = ref<Array<{ id: number; draft: DraftState }>>(
    (restoredTabs.length > 0 ? restoredTabs : [first]).map((draft) => ({ id: nextTab++, draft })),
  )
  const at = saved?.active
  const activeIndex =
    typeof at === 'number' && Number.isInteger(at) && at >= 0 && at < tabs.value.length ? at : 0
  const activeTab = ref(tabs.value[activeIndex]!.id)
  if (restoredTabs.length > 0) load(tabs.value[activeIndex]!.draft)

  function current(): DraftState {
    return {
      method: method.value,
      url: url.value,
      headers: headers.value,
      bodyMode: bodyMode.value,
      body: body.value,
      rawType: rawType.value,
      form: form.value,
      parts: parts.value,
      bodyFile: bodyFile.value,
      auth: auth.value,
      fresh: fresh.value,
      follow: follow.value,
      maxRedirects: maxRedirects.value,
      repeat: repeat.value,
      concurrency: concurrency.value,
      origin: origin.value,
      base: base.value,
      filesDir: filesDir.value,
    }
  }

  function load(d: DraftState): void {
    method.value = d.method
    setUrl(d.url)
    headers.value = d.headers
    bodyMode.value = d.bodyMode
    body.value = d.body
    rawType.value = d.rawType
    form.value = d.form
    parts.value = d.parts
    bodyFile.value = d.bodyFile
    auth.value = d.auth
    fresh.value = d.fresh
    follow.value = d.follow
    maxRedirects.value = d.maxRedirects
    repeat.value = d.repeat
    concurrency.value = d.concurrency
    origin.value = d.origin
    base.value = d.base
    filesDir.value = d.filesDir
  }

  /** Problems of the active draft, live while typing; shown at their fields. */
  const problems = computed(() => problemsOf(current()))

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

  /** The request to send, or a one-line reason it cannot be built (the first problem). */
  function toSpec(): { ok: true; spec: RequestSpec } | { ok: false; message: string } {
    return buildSpec(current())
  }

  /**
   * Send the composed request `repeat` times, `concurrency` at a time; resolves with the new ids.
   * `prepared`: the request with its variables resolved (drafts.ts), instead of the fields as typed;
   * `files`: its body, built by the host from the collection folder's files.
   */
  async function send(prepared?: RequestSpec, files?: SendFiles): Promise<number[]> {
    const built = prepared ? { ok: true as const, spec: prepared } : toSpec()
    if (!built.ok) throw new Error(built.message)
    sending.value = true
    try {
      const out = await useApi().send({
        request: built.spec,
        repeat: repeat.value,
        concurrency: concurrency.value,
        ...(files ? { files } : {}),
      })
      useRunsStore().track(out.requestIds, out.runId, built.spec, files)
      return out.requestIds
    } finally {
      sending.value = false
    }
  }

  /** Tab labels: method and path, from the live fields for the active tab. */
  const tabList = computed(() =>
    tabs.value.map((t) => {
      const d = t.id === activeTab.value ? current() : t.draft
      const label = `${d.method || '?'} ${d.origin ? d.origin.name : pathOf(d.url) || 'new request'}`
      return { id: t.id, label, origin: d.origin, dirty: isDirty(d, t.id === activeTab.value) }
    }),
  )

  /** A tab from a collection whose fields differ from its file as last loaded or saved. */
  // An inactive tab's draft object does not change until it is active again: hash it once.
  const printed = new WeakMap<DraftState, string>()
  const printOf = (d: DraftState) => printed.get(d) ?? printed.set(d, fingerprint(d)).get(d)!
  const isDirty = (d: DraftState, live = false) =>
    d.origin !== null && d.base !== (live ? fingerprint(d) : printOf(d))
  const dirty = computed(() => isDirty(current(), true))

  function switchTab(id: number): void {
    if (id === activeTab.value) return
    const target = tabs.value.find((t) => t.id === id)
    if (!target) return
    stash()
    activeTab.value = id
    load(target.draft)
  }

  function stash(): void {
    const at = tabs.value.findIndex((t) => t.id === activeTab.value)
    if (at >= 0) tabs.value[at] = { id: activeTab.value, draft: current() }
  }

  /** Open a draft in a new tab and make it active (a blank one by default). */
  function openTab(draft: DraftState = blankDraft()): void {
    stash()
    const id = nextTab++
    tabs.value.push({ id, draft })
    activeTab.value = id
    load(draft)
  }

  function closeTab(id: number): void {
    const at = tabs.value.findIndex((t) => t.id === id)
    if (at < 0) return
    if (tabs.value.length === 1) {
      load(blankDraft())
      return
    }
    const wasActive = id === activeTab.value
    tabs.value.splice(at, 1)
    if (wasActive) {
      const next = tabs.value[Math.min(at, tabs.value.length - 1)]!
      activeTab.value = next.id
      load(next.draft)
    }
  }

  /** The composer's state as plain JSON (for whoever persists UI state). */
  function saveState(): ComposerState {
    stash()
    const all = tabs.value.map((t) => toSaved(t.draft))
    const active = Math.max(
      0,
      tabs.value.findIndex((t) => t.id === activeTab.value),
    )
    return { ...all[active]!, tabs: all, active }
  }

  watch(
    [
      method,
      url,
      headers,
      bodyMode,
      body,
      rawType,
      form,
      parts,
      bodyFile,
      auth,
      repeat,
      concurrency,
      fresh,
      follow,
      maxRedirects,
      origin,
      base,
      filesDir,
      activeTab,
    ],
    () => {
      try {
        storage()?.setItem(STORAGE_KEY, JSON.stringify(saveState()))
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
    rawType,
    form,
    parts,
    bodyFile,
    auth,
    follow,
    maxRedirects,
    repeat,
    concurrency,
    fresh,
    sending,
    section,
    origin,
    base,
    filesDir,
    dirty,
    tabs,
    activeTab,
    tabList,
    problems,
    setUrl,
    setParams,
    toSpec,
    send,
    switchTab,
    openTab,
    closeTab,
    saveState,
    load,
    current,
    stash,
    newPart: part,
  }
})

function pathOf(url: string): string {
  const m = /^[a-z]+:\/\/[^/?#]*([^#]*)/i.exec(url.trim())
  return m ? m[1] || '/' : url.trim().slice(0, 40)
}
