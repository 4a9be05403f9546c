import * as v from 'valibot'
import type { OpenCollection } from '@opencollection/types'
import { SendFilesSchema } from './files'
import { LIMITS } from './limits'
import type { ConnectionInfo, PoolSettings, PoolStats, RequestResult, RequestSpec } from './model'

/**
 * Calls for the workspace formats (cURL, HAR, collection imports): their schemas and results.
 * Spread into the one call map in calls.ts; validated like every other call before a handler runs.
 */

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))

/** The schemas of calls.ts, passed in so this file holds no second copy of them. */
export function formatCallSchemas<R extends v.GenericSchema, P extends v.GenericSchema>(request: R, pool: P) {
  return {
    /** A pasted curl command → a composer draft (files it names are reported, never read). */
    importCurl: v.strictObject({ text: v.pipe(Text(LIMITS.curlChars), v.minLength(1, 'text is empty')) }),
    /**
     * A request (as the engine sends it) → a bash command that makes curl send the same. With
     * `files` (a request sent with collection files, as `send` takes them) the host reads the
     * files and puts the body it would send into the command.
     */
    copyCurl: v.strictObject({ request, pool: v.optional(pool), files: v.optional(SendFilesSchema) }),
    /** A HAR document → its requests and connections, as a live run reports them. */
    openHar: v.strictObject({ text: Text(LIMITS.importBytes) }),
    /** A file's text (the import dialog) → the collection it would create, for a preview. */
    importText: v.strictObject({ text: Text(LIMITS.importBytes), name: Text(LIMITS.urlChars) }),
  } as const
}

/** Results of the format calls. */
export interface FormatCallOutputs {
  importCurl: { request: RequestSpec; pool: Partial<PoolSettings>; warnings: string[] }
  copyCurl: { command: string }
  openHar: {
    requests: RequestResult[]
    /** `recorded` is the connection id the HAR gave the socket (Chrome's socket id). */
    connections: Array<ConnectionInfo & { recorded: string }>
    pools: PoolStats[]
  }
  importText: { format: string; collection: OpenCollection; warnings: string[] }
}
