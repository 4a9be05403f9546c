import type { CallOutput, CallParsed, SockeyeError } from '../contract'
import { toSpec } from '../workspace/export/spec'
import { importText, ImportError } from '../workspace/import'
import { importCurl } from '../workspace/import/curl'
import { openHar } from '../workspace/import/recording'
import { parseJson } from '../workspace/import/text'
import { poolFor, type SockeyeHttpRequest } from '../workspace/import/types'

/**
 * The format calls (contract/formats.ts). Pure functions of their input: nothing here reads a file
 * a pasted command names (a docs page's `-d @~/.ssh/id_rsa` stays unread and is reported).
 * `copyCurl` is the host's (host.ts): a request sent with collection files has them read as
 * `send` reads them.
 */

type FormatName = 'importCurl' | 'openHar' | 'importText'
type FormatHandlers = { [K in FormatName]: (input: CallParsed<K>) => CallOutput<K> }

/** An importer's refusal as the contract's typed error (the host keeps code and phase). */
function typed<T>(name: FormatName, run: () => T): T {
  try {
    return run()
  } catch (err) {
    if (!(err instanceof ImportError)) throw err
    const error: SockeyeError = { code: 'INVALID_OPTION', phase: 'input', message: `${name}: ${err.message}` }
    throw error
  }
}

export const formatHandlers: FormatHandlers = {
  importCurl: ({ text }) =>
    typed('importCurl', () => {
      const { collection, warnings } = importCurl(text)
      const count = collection.items?.length ?? 0
      if (count > 1) warnings.push(`the paste holds ${count} requests; the composer took the first`)
      const request = collection.items?.[0] as SockeyeHttpRequest
      const built = toSpec(request)
      const http = request.http ?? {}
      if (built.ok) {
        return {
          request: built.spec,
          pool: poolFor(collection, built.spec.url),
          warnings: [...warnings, ...built.warnings],
        }
      }
      // A body that names a file: the draft goes without it, and says so.
      const draft = toSpec({ ...request, http: { ...http, body: undefined } })
      const spec = draft.ok
        ? draft.spec
        : { method: http.method ?? 'GET', url: http.url ?? '', headers: [], body: null }
      return {
        request: spec,
        pool: poolFor(collection, spec.url),
        warnings: [...warnings, `${built.message}; the body is left empty`],
      }
    }),
  openHar: ({ text }) =>
    typed('openHar', () => {
      const { requests, connections, pools } = openHar(parseJson(text, 'the HAR file'))
      return { requests, connections, pools }
    }),
  importText: ({ text, name }) => typed('importText', () => importText(text, name)),
}
