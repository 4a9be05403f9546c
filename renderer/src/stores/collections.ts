import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { CollectionTreeNode, CollectionView, EngineEvent } from '../api/contract'
import { useApi } from '../api/current'
import { nodeAt, useDraftsStore } from './drafts'
import { uiStorage } from './uiState'

/** A tree row for the sidebar: the node and its depth. */
export interface CollectionRow {
  node: CollectionTreeNode
  depth: number
}

/** Remembered across reloads: the open folder and the chosen environment (names only). */
const STORAGE_KEY = 'sockeye.collection.v1'

function remembered(): { dir: string | null; environment: string | null } {
  try {
    const v = JSON.parse(uiStorage().getItem(STORAGE_KEY) ?? 'null') as Record<string, unknown> | null
    return {
      dir: typeof v?.dir === 'string' ? v.dir : null,
      environment: typeof v?.environment === 'string' ? v.environment : null,
    }
  } catch {
    return { dir: null, environment: null }
  }
}

/**
 * The open collection (one, in this first sidebar): its tree and the chosen environment. Reloads
 * when `workspace:changed` names its folder; composer tabs from it follow (drafts.ts).
 */
export const useCollectionsStore = defineStore('collections', () => {
  const view = ref<CollectionView | null>(null)
  const saved = remembered()
  const environment = ref<string | null>(saved.environment)
  /** The folder to open again after a reload (opened on first need, see ensure()). */
  const lastDir = ref<string | null>(saved.dir)
  let off: (() => void) | null = null
  /** Folders the host has open for this page besides the shown one (resolving needs them open). */
  const reached = new Set<string>()

  const rows = computed<CollectionRow[]>(() => {
    const out: CollectionRow[] = []
    const walk = (nodes: readonly CollectionTreeNode[], depth: number) => {
      for (const node of nodes) {
        out.push({ node, depth })
        if (node.kind === 'folder') walk(node.items, depth + 1)
      }
    }
    walk(view.value?.items ?? [], 0)
    return out
  })

  watch([view, environment], () => {
    const dir = view.value?.dir ?? lastDir.value
    uiStorage().setItem(STORAGE_KEY, JSON.stringify({ dir, environment: environment.value }))
  })

  /** Open a collection folder (absolute path) and follow its changes on disk. */
  async function open(dir: string): Promise<CollectionView> {
    const api = useApi()
    const next = await api.openCollection({ dir })
    view.value = next
    lastDir.value = next.dir
    if (environment.value && !next.environments.some((e) => e.name === environment.value))
      environment.value = null
    off?.()
    off = api.onEvents((events: EngineEvent[]) => {
      const mine = events.some((e) => e.type === 'workspace:changed' && e.dir === view.value?.dir)
      if (mine && view.value) void reload().catch(() => {})
    })
    useDraftsStore().reconcile(next)
    return next
  }

  /**
   * The collection at `dir` for a tab that edits one of its files: the shown one, or opened and
   * shown when none is (a tab restored after a reload), or read without replacing the one shown
   * (a tab from another collection must not flip the sidebar back to its own).
   */
  async function ensure(dir: string): Promise<CollectionView> {
    if (view.value?.dir === dir) return view.value
    if (!view.value) return open(dir)
    const other = await useApi().openCollection({ dir })
    reached.add(dir)
    return other
  }

  /** Make sure the host has `dir` open, reading it only the first time (for hover and Send). */
  async function reach(dir: string): Promise<void> {
    if (view.value?.dir !== dir && !reached.has(dir)) await ensure(dir)
  }

  /** Open the folder of the last session again, if there was one (quietly: it may be gone). */
  async function restore(): Promise<void> {
    if (!view.value && lastDir.value) await open(lastDir.value).catch(() => {})
  }

  async function reload(): Promise<void> {
    if (!view.value) return
    view.value = await useApi().openCollection({ dir: view.value.dir })
    useDraftsStore().reconcile(view.value)
  }

  /** Open a saved request in the composer, its `{{variables}}` kept as written. */
  function load(path: string): void {
    const node = view.value ? nodeAt(view.value.items, path) : null
    if (view.value && node) useDraftsStore().open(view.value.dir, node)
  }

  return { view, environment, lastDir, rows, open, ensure, reach, restore, reload, load }
})
