import type { OpenCollection } from '@opencollection/types'
import type { Folder, Item } from '@opencollection/types/collection/item'
import type { Environment } from '@opencollection/types/config/environments'

/**
 * A collection as it sits on disk, read into a tree. Every `path` is relative to the collection
 * root with `/` separators (`users/get-user.yml`, `users`), and always inside the root.
 */
export interface LoadedCollection {
  /** Absolute path of the collection folder. */
  dir: string
  /** `opencollection.yml` as parsed (unknown keys kept), without `items` and environments. */
  root: OpenCollection
  items: CollectionNode[]
  environments: LoadedEnvironment[]
  /** One line per file that could not be read; the rest of the collection still loads. */
  problems: Problem[]
}

/** A file that could not be read: one line naming it, and the line in it where known (1-based). */
export interface Problem {
  file: string
  line: number | null
  message: string
}

export type CollectionNode = RequestNode | FolderNode

export interface RequestNode {
  kind: 'request'
  /** e.g. `users/get-user.yml` */
  path: string
  name: string
  seq: number
  /** `info.type`: `http` for requests Sockeye can send; graphql/grpc/websocket are kept as files. */
  type: string
  /** The whole file as parsed, unknown keys included: an OpenCollection request item. */
  item: Item
}

export interface FolderNode {
  kind: 'folder'
  /** e.g. `users` */
  path: string
  name: string
  seq: number
  /** `folder.yml` as parsed (may be empty when the folder has none), without `items`. */
  folder: Folder
  items: CollectionNode[]
}

export interface LoadedEnvironment {
  /** e.g. `environments/local.yml` */
  path: string
  environment: Environment
}

/** Sockeye's own per-request / per-collection settings, kept under `extensions.sockeye`. */
export interface SockeyeExtension {
  /** Send on a new socket (the request's `fresh` flag). */
  fresh?: boolean
  /** Pool settings per origin (`scheme://host:port`), as `configurePool` takes them. */
  pools?: Record<string, Record<string, unknown>>
}
