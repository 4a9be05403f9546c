import * as v from 'valibot'
import type { BodyPayload } from './calls'
import { LIMITS } from './limits'
import type { ConnectionInfo, HeaderList, RequestResult, RequestSpec } from './model'

/**
 * The workspace's part of the call map: collections (OpenCollection folders on disk), their
 * environments, and the request history kept on disk. Spread into `callSchemas` and
 * `CallOutputs` in calls.ts. Every `path` is collection-relative (`users/get.yml`); the host
 * resolves it inside the collection's root and refuses anything that leaves it. Mutating calls
 * only work on a folder opened (or created) with `openCollection`/`newCollection` first.
 */

/** The workspace's sizes and counts (the contract's limits table for collections and history). */
export const WORKSPACE_LIMITS = Object.freeze({
  pathChars: 4096,
  nameChars: 200,
  /** One request document as saved (JSON length): a 10 MiB body plus its request. */
  itemChars: 11 * 1024 * 1024,
  variables: 1000,
  variableValueChars: 65_536,
  historyPage: 1000,
  historyIds: 10_000,
  searchChars: 1000,
  /** Collections open at once (each has a file watcher). */
  openCollections: 32,
  /** Texts of one draft resolved at once (URL, each header and param, body, form and auth fields). */
  draftTexts: 2000,
  /** Their total length: a 10 MiB body plus the rest of the request. */
  draftChars: LIMITS.bodyChars + 1024 * 1024,
})

const L = WORKSPACE_LIMITS
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const Dir = v.pipe(Text(L.pathChars), v.minLength(1, 'give a folder'))
const Path = Text(L.pathChars)
const Name = v.pipe(Text(L.nameChars), v.minLength(1, 'name is empty'))
const Item = v.pipe(
  v.record(v.string(), v.unknown()),
  v.check(
    (item) => JSON.stringify(item).length <= L.itemChars,
    `request is larger than ${L.itemChars} characters`,
  ),
)
const VariableInput = v.strictObject({
  name: Name,
  value: Text(L.variableValueChars),
  secret: v.optional(v.boolean()),
  disabled: v.optional(v.boolean()),
})

/** A draft's texts: count and total length checked before any text is looked at. */
const Texts = v.pipe(
  v.custom<unknown>(
    (x) => Array.isArray(x) && x.length <= L.draftTexts,
    (issue) => (Array.isArray(issue.input) ? `at most ${L.draftTexts} texts` : 'texts must be a list'),
  ),
  v.custom<unknown>((x) => {
    let n = 0
    for (const t of x as unknown[])
      if ((n += typeof t === 'string' ? t.length : 0) > L.draftChars) return false
    return true
  }, `texts are longer than ${L.draftChars} characters in all`),
  v.array(v.string()),
)

export const workspaceCallSchemas = {
  /** Read a folder as a collection and watch it (`workspace:changed` events follow). */
  openCollection: v.strictObject({ dir: Dir }),
  /** Create a new, empty collection folder (`opencollection.yml`, `.gitignore`) and open it. */
  newCollection: v.strictObject({ dir: Dir, name: Name }),
  closeCollection: v.strictObject({ dir: Dir }),
  /**
   * Save a request file; keys the document does not set that the file has (scripts, docs…) stay,
   * inside `http` too (null removes one).
   */
  saveRequest: v.strictObject({ dir: Dir, path: Path, item: Item }),
  createItem: v.strictObject({ dir: Dir, parent: Path, kind: v.picklist(['request', 'folder']), name: Name }),
  renameItem: v.strictObject({ dir: Dir, path: Path, name: Name }),
  moveItem: v.strictObject({ dir: Dir, path: Path, parent: Path }),
  duplicateItem: v.strictObject({ dir: Dir, path: Path }),
  deleteItem: v.strictObject({ dir: Dir, path: Path }),
  /** Create or replace an environment; secret values go to `.sockeye/secrets.json` only. */
  saveEnvironment: v.strictObject({
    dir: Dir,
    name: Name,
    variables: v.pipe(v.array(VariableInput), v.maxLength(L.variables)),
  }),
  deleteEnvironment: v.strictObject({ dir: Dir, name: Name }),
  /** The request as it would be sent with `environment`: variables substituted, unresolved ones named. */
  resolveRequest: v.strictObject({ dir: Dir, path: Path, environment: v.nullable(Name) }),
  searchHistory: v.strictObject({
    text: v.optional(Text(L.searchChars)),
    status: v.optional(
      v.union([v.pipe(v.number(), v.integer()), v.pipe(Text(3), v.regex(/^[0-5](xx|\d\d)?$/))]),
    ),
    socket: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(L.historyPage))),
    before: v.optional(Text(64)),
  }),
  getHistoryEntry: v.strictObject({ id: Text(64) }),
  /** HAR 1.2 of the given history entries (all kept ones when `ids` is absent). */
  exportHistory: v.strictObject({ ids: v.optional(v.pipe(v.array(Text(64)), v.maxLength(L.historyIds))) }),
  /** Save a history entry as a request of an open collection. */
  saveHistoryEntry: v.strictObject({ id: Text(64), dir: Dir, parent: Path, name: Name }),
  /** Forget the history kept on disk. */
  clearSavedHistory: v.strictObject({}),
  /**
   * A draft's own texts (its `{{templates}}` kept) resolved with `environment` and the scope of
   * the request `path` it came from (null: a draft from nowhere, environment and collection only).
   * Secret values are substituted in `texts` but never listed in `variables`.
   */
  resolveVariables: v.strictObject({
    dir: Dir,
    path: v.nullable(Path),
    environment: v.nullable(Name),
    texts: Texts,
  }),
  /**
   * Import a file's text (any format importText knows) into a folder: a new or empty folder
   * becomes a collection, an existing collection gets the items added. Nothing is replaced.
   */
  importInto: v.strictObject({
    text: v.pipe(Text(LIMITS.importBytes), v.minLength(1, 'text is empty')),
    name: Text(L.nameChars),
    dir: Dir,
  }),
} as const

export interface ProblemView {
  file: string
  line: number | null
  message: string
}

export interface CollectionTreeNode {
  kind: 'request' | 'folder'
  path: string
  name: string
  seq: number
  /** `http`, `graphql`, … for requests; `folder` for folders. */
  type: string
  /** The request file (requests) or `folder.yml` (folders) as parsed: an OpenCollection item. */
  doc: Record<string, unknown>
  items: CollectionTreeNode[]
}

export interface EnvironmentView {
  name: string
  path: string
  /** Secret values are never sent to the renderer: `value` is null and `secret` true. */
  variables: Array<{
    name: string
    value: string | null
    secret: boolean
    disabled: boolean
    hasValue: boolean
  }>
}

export interface CollectionView {
  dir: string
  name: string
  /** `opencollection.yml` without items and environments. */
  root: Record<string, unknown>
  items: CollectionTreeNode[]
  environments: EnvironmentView[]
  problems: ProblemView[]
}

/** One request kept on disk, with what it was and how it travelled. */
export interface HistoryEntry {
  /** `<session>-<requestId>`, unique across restarts. */
  id: string
  /** Which engine start sent it: socket #1 of one session is not #1 of another. */
  session: string
  savedAt: number
  result: RequestResult
  request: RequestSpec
  connection: ConnectionInfo | null
  body: BodyPayload | null
}

export type HistorySummary = Omit<HistoryEntry, 'body' | 'request'> & {
  request: Omit<RequestSpec, 'body'> & { bodyBytes: number }
}

export interface HistoryQuery {
  text?: string
  status?: number | string
  socket?: number
  session?: string
  limit?: number
  before?: string
}

export interface WorkspaceCallOutputs {
  openCollection: CollectionView
  newCollection: CollectionView
  closeCollection: Record<string, never>
  saveRequest: { path: string }
  createItem: { path: string }
  renameItem: { path: string }
  moveItem: { path: string }
  duplicateItem: { path: string }
  deleteItem: Record<string, never>
  saveEnvironment: { path: string }
  deleteEnvironment: Record<string, never>
  resolveRequest: { request: RequestSpec; unresolved: string[]; notes: string[] }
  searchHistory: { entries: HistorySummary[]; total: number }
  getHistoryEntry: HistoryEntry
  exportHistory: { har: string }
  saveHistoryEntry: { path: string }
  clearSavedHistory: Record<string, never>
  resolveVariables: {
    texts: string[]
    unresolved: string[]
    variables: Array<{ name: string; value: string | null; source: string | null; secret: boolean }>
    /** Headers the request inherits (folders, collection, `auth: inherit`), resolved. */
    inherited: HeaderList
  }
  /** `items`: requests written; the folder is then open (as after openCollection). */
  importInto: { format: string; dir: string; items: number; warnings: string[] }
}
