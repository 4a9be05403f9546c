import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CollectionTreeNode, CollectionView, EngineEvent } from '../api/contract'
import { useApi } from '../api/current'
import { useComposerStore } from './composer'
import { kv } from './urlParams'

/** A tree row for the sidebar: the node and its depth. */
export interface CollectionRow {
  node: CollectionTreeNode
  depth: number
}

/**
 * The open collection (one, in this first sidebar): its tree, the chosen environment, and the
 * request loaded into the composer. Reloads when `workspace:changed` names its folder.
 */
export const useCollectionsStore = defineStore('collections', () => {
  const view = ref<CollectionView | null>(null)
  const environment = ref<string | null>(null)
  const loadedPath = ref<string | null>(null)
  const unresolved = ref<string[]>([])
  let off: (() => void) | null = null

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

  /** Open a collection folder (absolute path) and follow its changes on disk. */
  async function open(dir: string): Promise<void> {
    const api = useApi()
    view.value = await api.openCollection({ dir })
    if (environment.value && !view.value.environments.some((e) => e.name === environment.value))
      environment.value = null
    off?.()
    off = api.onEvents((events: EngineEvent[]) => {
      const mine = events.some((e) => e.type === 'workspace:changed' && e.dir === view.value?.dir)
      if (mine && view.value) void reload()
    })
  }

  async function reload(): Promise<void> {
    if (view.value) view.value = await useApi().openCollection({ dir: view.value.dir })
  }

  /** Put a saved request into the composer, variables resolved with the chosen environment. */
  async function load(path: string): Promise<void> {
    if (!view.value) return
    const resolved = await useApi().resolveRequest({
      dir: view.value.dir,
      path,
      environment: environment.value,
    })
    const composer = useComposerStore()
    const spec = resolved.request
    composer.method = spec.method
    composer.setUrl(spec.url)
    composer.headers = spec.headers
      .filter(([name]) => name.toLowerCase() !== 'content-type' || spec.body === null)
      .map(([name, value]) => kv(name, value))
    const type = spec.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? ''
    composer.bodyMode = spec.body === null ? 'none' : /json/i.test(type) ? 'json' : 'raw'
    if (composer.bodyMode === 'raw' && type) composer.headers.push(kv('Content-Type', type))
    composer.body = spec.body ?? ''
    loadedPath.value = path
    unresolved.value = resolved.unresolved
  }

  return { view, environment, loadedPath, unresolved, rows, open, reload, load }
})
