import type { OpenCollection } from '@opencollection/types'
import type { HttpRequest } from '@opencollection/types/requests/http'

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

/**
 * Sockeye's own per-request connection settings, kept under `settings.sockeye` (other tools ignore
 * the key): what curl's `-k` and `--http1.1`/`--http2` mean for the engine's pool.
 */
export interface SockeyeRequestSettings {
  insecure?: boolean
  http?: '1.1' | '2'
}

/** An OpenCollection HTTP request that may carry Sockeye's settings. */
export type SockeyeHttpRequest = HttpRequest & {
  settings?: HttpRequest['settings'] & { sockeye?: SockeyeRequestSettings }
}
