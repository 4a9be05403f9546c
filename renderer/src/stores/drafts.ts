import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CollectionTreeNode, CollectionView, FileCheck, RequestSpec, SendFiles } from '../api/contract'
import { useApi } from '../api/current'
import { useCollectionsStore } from './collections'
import { useComposerStore, type DraftState } from './composer'
import { filesDirOf } from './draftState'
import { buildSpec, hostFiles } from './draft'
import { draftFromItem, fingerprint, itemFromDraft, textsOf, withTexts } from './itemDraft'

/** How one `{{name}}` resolves now (secret values are never sent to the page for display). */
export interface VariableInfo {
  name: string
  value: string | null
  source: string | null
  secret: boolean
}

/** The request ready to send, and the names it still holds as `{{name}}` text. */
export interface Prepared {
  spec: RequestSpec
  unresolved: string[]
  /** The body's collection files, read and encoded by the host (the spec then has no body). */
  files?: SendFiles
}

/** The paths a draft's body names in its collection folder, as written (enabled file parts, a file body). */
export function filePaths(d: DraftState): string[] {
  if (d.bodyMode === 'file') return [d.bodyFile.path]
  if (d.bodyMode !== 'multipart') return []
  return d.parts.filter((p) => p.enabled && p.path !== null).map((p) => p.path!)
}

/**
 * A resolved draft's body as `send`'s `files` (the same OpenCollection body its file holds), for
 * a draft whose body names collection files; null otherwise.
 */
export function filesOf(d: DraftState): SendFiles | null {
  if (!hostFiles(d)) return null
  const dir = filesDirOf(d)
  if (dir === null)
    throw new Error('File parts are read from a collection folder: open the request from its collection')
  // The host builds the whole form; a file picked in this window has its bytes here, not on disk.
  const picked = d.parts.find((p) => p.enabled && p.file !== null)
  if (picked)
    throw new Error(
      `Part '${picked.name}' is a file picked here; with collection file parts, name it by its path in the collection folder instead`,
    )
  if (d.bodyMode === 'file')
    return { dir, body: { type: 'file', filePath: d.bodyFile.path, contentType: d.bodyFile.contentType } }
  const data = d.parts
    .filter((p) => p.enabled)
    .map((p) => ({
      name: p.name,
      type: p.path !== null ? ('file' as const) : ('text' as const),
      value: p.path ?? p.value,
      ...(p.contentType ? { contentType: p.contentType } : {}),
    }))
  return { dir, body: { type: 'multipart-form', data } }
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g
/** Every `{{name}}` in some texts, once each, in order. */
export function templateNames(texts: readonly string[]): string[] {
  const out: string[] = []
  for (const t of texts)
    for (const m of t.matchAll(TEMPLATE)) {
      const name = (m[1] ?? '').trim()
      if (!out.includes(name)) out.push(name)
    }
  return out
}

const SECRET_FIELDS = ['password', 'token', 'keyValue'] as const
/** What a request file holds of a draft (the rest are the tab's own settings). */
const FILE_FIELDS = [
  'method',
  'url',
  'headers',
  'bodyMode',
  'body',
  'rawType',
  'form',
  'parts',
  'auth',
  'follow',
  'maxRedirects',
] as const
const pick = (d: DraftState, keys: readonly (keyof DraftState)[]) =>
  Object.fromEntries(keys.map((k) => [k, d[k]])) as Partial<DraftState>

/** A request node of a collection view by path. */
export function nodeAt(nodes: readonly CollectionTreeNode[], path: string): CollectionTreeNode | null {
  for (const n of nodes) {
    if (n.path === path && n.kind === 'request') return n
    if (n.kind === 'folder' && path.startsWith(`${n.path}/`)) {
      const inner = nodeAt(n.items, path)
      if (inner) return inner
    }
  }
  return null
}

/**
 * Composer tabs that edit collection files: opening a request with its `{{templates}}` kept,
 * saving back (Ctrl/Cmd+S), following the file on disk, and resolving variables on Send.
 */
export const useDraftsStore = defineStore('drafts', () => {
  /** How each `{{name}}` in the active draft resolves (refreshed as it is edited). */
  const variables = ref<VariableInfo[]>([])
  /** Tabs whose file changed on disk while they had unsaved changes: tab id → the file's draft. */
  const conflicts = ref<Record<number, DraftState>>({})
  /** One line after a save ("Saved users/get.yml"), or null. */
  const message = ref<string | null>(null)
  /** The active draft's collection files as the host found them (size, or why not), by written path. */
  const files = ref<FileCheck[]>([])

  /** Open a request of a collection: its tab if one is open, else a new tab (or the blank active one). */
  function open(dir: string, node: CollectionTreeNode): void {
    const composer = useComposerStore()
    const same = (d: DraftState) => d.origin?.dir === dir && d.origin.path === node.path
    const tab = composer.tabs.find((t) =>
      t.id === composer.activeTab ? same(composer.current()) : same(t.draft),
    )
    if (tab) return composer.switchTab(tab.id)
    const draft = draftFromItem(node.doc)
    draft.origin = { dir, path: node.path, name: node.name }
    draft.base = fingerprint(draft)
    place(draft)
  }

  /** Show a draft: in the active tab when that one is blank, else in a new tab (never over another's). */
  function place(draft: DraftState): void {
    const composer = useComposerStore()
    const active = composer.current()
    const blank = !active.origin && active.url.trim() === '' && active.headers.length === 0
    if (blank) composer.load(draft)
    else composer.openTab(draft)
  }

  /** Save the active tab back to its file (the file's other keys stay as they are). */
  async function save(): Promise<void> {
    const composer = useComposerStore()
    const d = composer.current()
    if (!d.origin) throw new Error('This draft is not from a collection: use Save to collection')
    const view = await useCollectionsStore().ensure(d.origin.dir)
    const node = nodeAt(view.items, d.origin.path)
    const item = itemFromDraft(d, node?.doc ?? {})
    await useApi().saveRequest({ dir: d.origin.dir, path: d.origin.path, item })
    composer.base = fingerprint(d)
    delete conflicts.value[composer.activeTab]
    message.value = `Saved ${d.origin.path}`
  }

  /** Save a draft from nowhere as a new request `name` in folder `parent` of the open collection. */
  async function saveTo(parent: string, name: string): Promise<void> {
    const composer = useComposerStore()
    const view = useCollectionsStore().view
    if (!view) throw new Error('Open a collection first, then save into it')
    const api = useApi()
    const path = (await api.createItem({ dir: view.dir, parent, kind: 'request', name })).path
    const d = composer.current()
    await api.saveRequest({ dir: view.dir, path, item: itemFromDraft(d, {}) })
    composer.origin = { dir: view.dir, path, name }
    composer.filesDir = null
    composer.base = fingerprint(d)
    message.value = `Saved ${path}`
  }

  /**
   * The collection was read again (opened, or changed on disk): a clean tab takes the file's new
   * content, a tab with unsaved changes is marked (reload / keep mine). A tab restored without its
   * auth secrets (they are never remembered) gets them back from the file.
   */
  function reconcile(view: CollectionView): void {
    const composer = useComposerStore()
    composer.stash()
    for (const tab of composer.tabs) {
      const node = tab.draft.origin?.dir === view.dir ? nodeAt(view.items, tab.draft.origin.path) : null
      if (!node) continue
      const file = draftFromItem(node.doc)
      const fp = fingerprint(file)
      // A new object, not an edit in place: the composer caches an inactive tab's fingerprint by object.
      const d = { ...tab.draft, auth: { ...tab.draft.auth } }
      if (d.auth.kind === file.auth.kind)
        for (const k of SECRET_FIELDS) if (d.auth[k] === '' && file.auth[k] !== '') d.auth[k] = file.auth[k]
      tab.draft = d
      if (fp === d.base || !d.origin) continue
      // The file's request over the tab's own settings (repeat, fresh, …: not in the file).
      const next: DraftState = { ...d, ...pick(file, FILE_FIELDS), base: fp }
      if (d.base === fingerprint(d)) tab.draft = next
      else conflicts.value = { ...conflicts.value, [tab.id]: next }
    }
    const active = composer.tabs.find((t) => t.id === composer.activeTab)
    if (active) composer.load(active.draft)
  }

  /** Changed on disk: take the file's version (`reload`) or keep the draft as unsaved changes. */
  function settle(tabId: number, take: 'file' | 'mine'): void {
    const composer = useComposerStore()
    const file = conflicts.value[tabId]
    if (!file) return
    const { [tabId]: _, ...rest } = conflicts.value
    conflicts.value = rest
    if (tabId !== composer.activeTab) return
    if (take === 'file') composer.load(file)
    else composer.base = file.base
  }

  /** The scope a draft resolves in: its collection and request, or the open collection, or none. */
  function scopeOf(d: DraftState) {
    const collections = useCollectionsStore()
    const dir = filesDirOf(d) ?? collections.view?.dir ?? null
    return dir === null ? null : { dir, path: d.origin?.path ?? null, environment: collections.environment }
  }

  /** Look up every `{{name}}` of the active draft (for its marks and hover text). */
  async function refresh(): Promise<void> {
    const d = useComposerStore().current()
    const texts = textsOf(d)
    const names = templateNames(texts)
    const scope = names.length > 0 ? scopeOf(d) : null
    if (!scope) {
      variables.value = names.map((name) => ({ name, value: null, source: null, secret: false }))
      return
    }
    if (filesDirOf(d) !== null) await useCollectionsStore().reach(scope.dir)
    const out = await useApi().resolveVariables({ ...scope, texts: names.map((n) => `{{${n}}}`) })
    variables.value = out.variables
  }

  /** The active draft with its variables resolved (through the host) and encoded, ready to send. */
  async function prepare(): Promise<Prepared> {
    const d = useComposerStore().current()
    const texts = textsOf(d)
    const scope = scopeOf(d)
    let resolved = d
    let unresolved = templateNames(texts)
    let inherited: Array<[string, string]> = []
    if (scope && unresolved.length + (d.origin ? 1 : 0) > 0) {
      if (filesDirOf(d) !== null) await useCollectionsStore().reach(scope.dir)
      const out = await useApi().resolveVariables({ ...scope, texts })
      resolved = withTexts(d, out.texts)
      unresolved = out.unresolved
      inherited = out.inherited
    }
    // A body of collection files is built by the host from the resolved paths (filesOf).
    const files = filesOf(resolved)
    // The host reads them only from a folder it has open (a Duplicate's, after a reload).
    if (files) await useCollectionsStore().reach(files.dir)
    const built = buildSpec(files ? { ...resolved, bodyMode: 'none' } : resolved)
    if (!built.ok) throw new Error(built.message)
    const own = new Set(built.spec.headers.map(([n]) => n.toLowerCase()))
    for (const h of inherited) if (!own.has(h[0].toLowerCase())) built.spec.headers.push(h)
    return { spec: built.spec, unresolved, ...(files ? { files } : {}) }
  }

  /** Ask the host for the size (or the problem) of each collection file the active draft names. */
  async function checkFiles(): Promise<void> {
    const d = useComposerStore().current()
    const paths = filePaths(d)
    const dir = filesDirOf(d)
    if (dir === null || paths.length === 0) {
      files.value = []
      return
    }
    const collections = useCollectionsStore()
    await collections.reach(dir)
    const out = await useApi().checkFiles({
      dir,
      path: d.origin?.path ?? null,
      environment: collections.environment,
      files: paths,
    })
    files.value = out.files
  }

  return {
    variables,
    conflicts,
    message,
    files,
    open,
    place,
    save,
    saveTo,
    reconcile,
    settle,
    refresh,
    prepare,
    checkFiles,
  }
})
