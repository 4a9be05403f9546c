import { lstat, readdir } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import type { Environment } from '@opencollection/types/config/environments'
import type { HttpRequest } from '@opencollection/types/requests/http'
import type { CallOutput, CallParsed, EngineEvent, RequestSpec } from '../contract'
import type { CollectionTreeNode, CollectionView, HistoryEntry } from '../contract/workspace'
import { WORKSPACE_LIMITS } from '../contract/workspace'
import type { EngineApi } from '../engine/api'
import { sockeyeError } from '../engine/errors'
import {
  COLLECTION_FILE,
  createItem,
  deleteEnvironment,
  deleteItem,
  duplicateItem,
  locate,
  moveItem,
  PathError,
  prepareRequest,
  readCollection,
  readSecrets,
  renameItem,
  resolverFor,
  resolveTexts,
  saveEnvironment,
  saveRequest,
  watchCollection,
  writeCollection,
  type CollectionNode,
  type CollectionWatcher,
  type LoadedCollection,
} from '../workspace/collection'
import { readRequestFiles } from '../workspace/collection/files'
import { FileError } from '../workspace/files'
import { importText, ImportError } from '../workspace/import'
import { historyEntry, historyToHar, historyToItem, HistoryStore, newSession } from '../workspace/history'

/**
 * The workspace calls (contract/workspace.ts) for one host: open collections with their
 * watchers, and the history log that every finished request is appended to.
 */
export interface WorkspaceOptions {
  /** The history log (e.g. `defaultHistoryFile()`); absent: history is not kept on disk. */
  historyFile?: string | null
}

type WorkspaceName = keyof typeof import('../contract/workspace').workspaceCallSchemas
export type WorkspaceHandlers = {
  [K in WorkspaceName]: (input: CallParsed<K>) => Promise<CallOutput<K>>
}

export interface Workspace {
  handlers: WorkspaceHandlers
  /** Every engine event, from the host's one subscription (history records finished requests). */
  observe(event: EngineEvent): void
  /** The real path of an open collection (`dir` as given), or a typed refusal. */
  root(dir: string): string
  /** The host's `send` tells which spec the engine's request ids carry (for history). */
  sent(requestIds: readonly number[], spec: RequestSpec): void
  close(): Promise<void>
}

const refuse = (message: string) => sockeyeError('INVALID_OPTION', 'input', message)

/** Filesystem and path failures become one-line typed errors; anything else is rethrown. */
async function guard<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof PathError || err instanceof FileError) throw refuse(`${name}: ${err.message}`)
    const code = (err as NodeJS.ErrnoException).code
    if (typeof code === 'string' && code.startsWith('E')) {
      const what =
        code === 'ENOENT'
          ? 'no such file or folder'
          : code === 'EEXIST'
            ? 'already exists'
            : code === 'EACCES'
              ? 'permission denied'
              : code
      throw sockeyeError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'INVALID_OPTION', 'input', `${name}: ${what}`)
    }
    throw err
  }
}

export function createWorkspace(
  engine: EngineApi,
  options: WorkspaceOptions,
  emit: (dir: string, paths: string[]) => void,
): Workspace {
  const open = new Map<string, CollectionWatcher>()
  const session = newSession()
  const specs = new Map<number, RequestSpec>()
  const store = options.historyFile ? HistoryStore.open(options.historyFile) : null
  // A history that cannot be opened (not a regular file, permissions) must not stop the app.
  store?.catch(() => undefined)
  const connections = new Map<number, import('../contract').ConnectionInfo>()

  const observe = (event: EngineEvent) => {
    if (event.type === 'socket:opened') connections.set(event.connection.id, event.connection)
    if (event.type !== 'request:completed' && event.type !== 'request:failed') return
    const result = event.result
    // A stale-socket retry is a new request id with `retryOf`: it carries the original's spec.
    const spec =
      specs.get(result.id) ?? (result.retryOf !== null ? specs.get(result.retryOf) : undefined) ?? null
    // Kept while the retry is pending; dropped once the last attempt has ended.
    if (!(event.type === 'request:failed' && event.willRetry)) {
      specs.delete(result.id)
      if (result.retryOf !== null) specs.delete(result.retryOf)
    }
    if (!store) return
    const socket = result.socket === null ? null : (connections.get(result.socket) ?? null)
    const entry = historyEntry(session, result, spec, socket, engine.getBody(result.id))
    void store.then((s) => s.append(entry)).catch(() => undefined)
  }

  const history = async () => {
    if (!store) throw refuse('history is not kept on disk in this mode')
    return store.catch((err: unknown) => {
      throw refuse(`history: ${err instanceof Error ? err.message : String(err)}`)
    })
  }

  const rootOf = (dir: string): string => {
    const root = resolve(dir)
    if (!open.has(root)) throw refuse(`${dir} is not an open collection; open it first (openCollection)`)
    return root
  }

  const view = async (root: string): Promise<CollectionView> => {
    const loaded = await readCollection(root)
    const fatal = loaded.problems.find((p) => p.file === '.')
    if (fatal) throw sockeyeError('FILE_NOT_FOUND', 'input', `openCollection: ${fatal.message}`)
    // Only collection folders are opened (and watched): a slip to `/` or a home folder must not
    // walk and watch the whole disk. newCollection makes a folder one.
    if (
      loaded.problems.some(
        (p) => p.file === COLLECTION_FILE && p.line === null && p.message.startsWith('no '),
      )
    ) {
      throw sockeyeError(
        'FILE_NOT_FOUND',
        'input',
        `openCollection: ${root} has no ${COLLECTION_FILE}; it is not an OpenCollection folder (newCollection makes it one)`,
      )
    }
    const secrets = await readSecrets(root).catch(() => ({}) as Record<string, Record<string, string>>)
    return toView(loaded, secrets)
  }

  const watch = async (root: string) => {
    if (open.has(root)) return
    if (open.size >= WORKSPACE_LIMITS.openCollections) {
      throw refuse(`at most ${WORKSPACE_LIMITS.openCollections} collections can be open; close one first`)
    }
    const watcher = watchCollection(root, (paths) => emit(root, paths))
    open.set(root, watcher)
    await watcher.ready
  }

  const absolute = (dir: string) => {
    if (!isAbsolute(dir)) throw refuse(`${dir}: give the collection folder as an absolute path`)
    return resolve(dir)
  }

  const requestNode = (loaded: LoadedCollection, path: string) => {
    const found = locate(loaded.items, path)
    if (!found || found.node.kind !== 'request') throw refuse(`no request at '${path}'`)
    return found.node
  }

  const handlers: WorkspaceHandlers = {
    openCollection: ({ dir }) =>
      guard('openCollection', async () => {
        const root = absolute(dir)
        const result = await view(root)
        await watch(root)
        return result
      }),
    newCollection: ({ dir, name }) =>
      guard('newCollection', async () => {
        const root = absolute(dir)
        const existing = await lstat(join(root, COLLECTION_FILE)).catch(() => null)
        if (existing) throw refuse(`newCollection: ${root} already holds a collection; open it instead`)
        await writeCollection(root, { info: { name }, items: [] })
        await watch(root)
        return view(root)
      }),
    closeCollection: async ({ dir }) => {
      const root = resolve(dir)
      await open.get(root)?.close()
      open.delete(root)
      return {}
    },
    saveRequest: ({ dir, path, item }) =>
      guard('saveRequest', async () => ({ path: await saveRequest(rootOf(dir), path, item) })),
    createItem: ({ dir, parent, kind, name }) =>
      guard('createItem', async () => ({ path: await createItem(rootOf(dir), parent, kind, name) })),
    renameItem: ({ dir, path, name }) =>
      guard('renameItem', async () => ({ path: await renameItem(rootOf(dir), path, name) })),
    moveItem: ({ dir, path, parent }) =>
      guard('moveItem', async () => ({ path: await moveItem(rootOf(dir), path, parent) })),
    duplicateItem: ({ dir, path }) =>
      guard('duplicateItem', async () => ({ path: await duplicateItem(rootOf(dir), path) })),
    deleteItem: ({ dir, path }) =>
      guard('deleteItem', async () => {
        await deleteItem(rootOf(dir), path)
        return {}
      }),
    saveEnvironment: ({ dir, name, variables }) =>
      guard('saveEnvironment', async () => {
        const root = rootOf(dir)
        const secrets: Record<string, string> = {}
        const environment: Environment = {
          name,
          variables: variables.map((x) => {
            if (!x.secret) return { name: x.name, value: x.value, ...(x.disabled ? { disabled: true } : {}) }
            if (x.value !== '') secrets[x.name] = x.value
            return { secret: true as const, name: x.name, ...(x.disabled ? { disabled: true } : {}) }
          }),
        }
        return { path: await saveEnvironment(root, environment, secrets) }
      }),
    deleteEnvironment: ({ dir, name }) =>
      guard('deleteEnvironment', async () => {
        await deleteEnvironment(rootOf(dir), name)
        return {}
      }),
    resolveRequest: ({ dir, path, environment }) =>
      guard('resolveRequest', async () => {
        const root = rootOf(dir)
        const loaded = await readCollection(root)
        const node = requestNode(loaded, path)
        const secrets = await readSecrets(root)
        // Its file parts and file body as `sockeye run` reads them (Copy as cURL sends those bytes).
        const files = await readRequestFiles(root, node.item as HttpRequest, {
          resolve: resolverFor(loaded, node, environment, secrets),
        })
        const prepared = prepareRequest(loaded, node, {
          environment,
          secrets,
          ...(files.ok ? { files: files.files } : {}),
        })
        const notes = files.ok ? prepared.notes : [files.message, ...prepared.notes]
        return { request: prepared.spec, unresolved: prepared.unresolved, notes }
      }),
    resolveVariables: ({ dir, path, environment, texts }) =>
      guard('resolveVariables', async () => {
        const root = rootOf(dir)
        const loaded = await readCollection(root)
        const secrets = await readSecrets(root).catch(() => ({}))
        return resolveTexts(loaded, path, environment, secrets, texts)
      }),
    searchHistory: async (query) => {
      const s = await history()
      return { entries: s.search(query), total: s.size }
    },
    getHistoryEntry: async ({ id }) => {
      const entry = (await history()).get(id)
      if (!entry)
        throw refuse(
          `getHistoryEntry: no entry ${id} (it may have been dropped: the history keeps the newest 10,000)`,
        )
      return entry
    },
    exportHistory: async ({ ids }) => {
      const s = await history()
      const entries: HistoryEntry[] = ids
        ? ids.map((id) => s.get(id)).filter((e): e is HistoryEntry => e !== null)
        : s.all()
      return { har: JSON.stringify(historyToHar(entries), null, 2) }
    },
    saveHistoryEntry: ({ id, dir, parent, name }) =>
      guard('saveHistoryEntry', async () => {
        const root = rootOf(dir)
        const entry = (await history()).get(id)
        if (!entry) throw refuse(`saveHistoryEntry: no entry ${id}`)
        const path = await createItem(root, parent, 'request', name)
        // createItem gave it a name and the next seq; the entry fills in method, URL, headers, body.
        await saveRequest(root, path, { http: historyToItem(entry, name).http })
        return { path }
      }),
    clearSavedHistory: async () => {
      await (await history()).clear()
      return {}
    },
    importInto: ({ text, name, dir }) =>
      guard('importInto', async () => {
        const root = absolute(dir)
        let imported: ReturnType<typeof importText>
        try {
          imported = importText(text, name)
        } catch (err) {
          if (err instanceof ImportError) throw refuse(`importInto: ${err.message}`)
          throw err
        }
        // A slip to a home folder must not scatter request files among the user's own files.
        const isCollection = await lstat(join(root, COLLECTION_FILE)).catch(() => null)
        const entries = isCollection ? [] : await readdir(root).catch(() => [])
        if (entries.length > 0) {
          throw refuse(
            `importInto: ${root} is not empty and holds no ${COLLECTION_FILE}; name a new or empty folder, or a collection`,
          )
        }
        await writeCollection(root, imported.collection)
        await watch(root)
        return {
          format: imported.format,
          dir: root,
          items: countRequests(imported.collection.items ?? []),
          warnings: imported.warnings,
        }
      }),
  }

  return {
    handlers,
    observe,
    root: rootOf,
    sent(requestIds, spec) {
      // Bounded: an id whose result never comes (engine closed) must not pile up.
      if (specs.size > 100_000) specs.clear()
      for (const id of requestIds) specs.set(id, spec)
    },
    async close() {
      await Promise.all([...open.values()].map((w) => w.close()))
      open.clear()
      const s = await store?.catch(() => null)
      await s?.flush().catch(() => undefined)
    },
  }
}

function countRequests(items: readonly unknown[]): number {
  let n = 0
  for (const item of items as Array<{ info?: { type?: string }; items?: unknown[] }>) {
    n += item.info?.type === 'folder' ? countRequests(item.items ?? []) : 1
  }
  return n
}

function toView(loaded: LoadedCollection, secrets: Record<string, Record<string, string>>): CollectionView {
  const tree = (nodes: readonly CollectionNode[]): CollectionTreeNode[] =>
    nodes.map((n) =>
      n.kind === 'request'
        ? {
            kind: 'request',
            path: n.path,
            name: n.name,
            seq: n.seq,
            type: n.type,
            doc: n.item as Record<string, unknown>,
            items: [],
          }
        : {
            kind: 'folder',
            path: n.path,
            name: n.name,
            seq: n.seq,
            type: 'folder',
            doc: n.folder as Record<string, unknown>,
            items: tree(n.items),
          },
    )
  return {
    dir: loaded.dir,
    name: loaded.root.info?.name ?? loaded.dir.split(/[\\/]/).pop() ?? loaded.dir,
    root: loaded.root as Record<string, unknown>,
    items: tree(loaded.items),
    environments: loaded.environments.map(({ path, environment }) => ({
      name: environment.name,
      path,
      variables: (environment.variables ?? []).map((x) => {
        const secret = 'secret' in x && x.secret === true
        const own = Object.hasOwn(secrets, environment.name) ? secrets[environment.name] : undefined
        const value = secret
          ? null
          : typeof (x as { value?: unknown }).value === 'string'
            ? (x as { value: string }).value
            : null
        return {
          name: x.name ?? '',
          value,
          secret,
          disabled: x.disabled === true,
          hasValue: secret ? own !== undefined && Object.hasOwn(own, x.name ?? '') : value !== null,
        }
      }),
    })),
    problems: loaded.problems,
  }
}
