import type { OpenCollection } from '@opencollection/types'
import type { HttpRequest } from '@opencollection/types/requests/http'
import type { PoolSettings } from '../../contract'
import { originOf } from '../../engine/input'

/** The formats `sockeye import` recognises, by the name it prints. */
export type FormatName = 'curl' | 'postman' | 'insomnia' | 'openapi' | 'har' | 'opencollection'

/** What every importer returns: the collection, and one line per thing it could not keep. */
export interface ImportResult {
  format: FormatName
  collection: OpenCollection
  warnings: string[]
}

/** Thrown by an importer for input it cannot read at all; `message` is one line naming the fix. */
export class ImportError extends Error {}

/** An OpenCollection HTTP request (the importers' output item). */
export type SockeyeHttpRequest = HttpRequest

/** Pool settings per origin, as the collection keeps them in `extensions.sockeye.pools`. */
export type PoolsByOrigin = Record<string, Partial<PoolSettings>>

/** `scheme://host:port` of a URL as the engine names pools, or null for text that is not a URL. */
export function originFor(url: string): string | null {
  try {
    return originOf(new URL(url))
  } catch {
    return null
  }
}

/** The pool settings a collection keeps for `url`'s origin (curl's `-k`, `--http1.1`). */
export function poolFor(collection: OpenCollection, url: string): Partial<PoolSettings> {
  const sockeye = collection.extensions?.sockeye as { pools?: PoolsByOrigin } | undefined
  const origin = originFor(url)
  return (origin && sockeye?.pools?.[origin]) || {}
}
