import type { OpenCollection } from '@opencollection/types'
import type { Item } from '@opencollection/types/collection/item'
import type { CollectionNode, LoadedCollection } from './types'

/**
 * A loaded folder as one bundled OpenCollection document (nested `items`, environments in
 * `config.environments`): the shape exporters take and `writeCollection` writes back.
 */
export function bundle(loaded: LoadedCollection): OpenCollection {
  const doc: OpenCollection = { ...loaded.root, items: loaded.items.map(toItem) }
  if (loaded.environments.length > 0) {
    doc.config = { ...doc.config, environments: loaded.environments.map((e) => e.environment) }
  }
  return doc
}

function toItem(node: CollectionNode): Item {
  if (node.kind === 'request') return node.item
  return { ...node.folder, items: node.items.map(toItem) }
}

/** Depth-first list of the request nodes, in collection order (the order `sockeye run` sends). */
export function requestsInOrder(
  nodes: readonly CollectionNode[],
): Extract<CollectionNode, { kind: 'request' }>[] {
  const out: Extract<CollectionNode, { kind: 'request' }>[] = []
  for (const node of nodes) {
    if (node.kind === 'request') out.push(node)
    else out.push(...requestsInOrder(node.items))
  }
  return out
}
