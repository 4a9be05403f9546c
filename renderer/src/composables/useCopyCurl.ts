import type { RequestSpec } from '../api/contract'
import { useApi } from '../api/current'
import { usePoolsStore } from '../stores/pools'
import type { RequestRow } from '../stores/requestRow'
import { useRunsStore } from '../stores/runs'
import { specOf } from './useDuplicate'
import { useUiStore } from '../stores/ui'
import { useAction } from './useAction'

/**
 * The curl command for a request (the host's copyCurl: curl's own quoting and options), with `-k`
 * when the user trusted the origin's certificate for this session.
 */
export async function curlCommand(request: RequestSpec): Promise<string> {
  let origin: string | null = null
  try {
    origin = new URL(request.url).origin
  } catch {
    // Not a URL the engine would send either; the host says why.
  }
  const trusted = origin !== null && usePoolsStore().settingsFor(origin)?.rejectUnauthorized === false
  const { command } = await useApi().copyCurl({
    request,
    ...(trusted ? { pool: { rejectUnauthorized: false } } : {}),
  })
  return command
}

/**
 * The request behind a list row: the spec this page sent, else what the engine recorded. A HAR
 * recording's row (`recorded`, from the grid work) shares ids with live requests, so it never
 * takes a live spec.
 */
export function rowSpec(row: RequestRow): RequestSpec {
  const recorded = (row as { recorded?: boolean }).recorded === true
  return specOf(row, recorded ? null : useRunsStore().specFor(row.id))
}

let clear: ReturnType<typeof setTimeout> | undefined

/**
 * Copy as cURL for any place that shows a request (list row, history, collection tree, detail
 * pane): `copy(() => spec)` puts the command on the clipboard and says so in the status line.
 */
export function useCopyCurl() {
  const run = useAction()
  const ui = useUiStore()
  return async function copy(spec: () => RequestSpec | Promise<RequestSpec>): Promise<boolean> {
    const done = await run(async () => {
      await navigator.clipboard.writeText(await curlCommand(await spec()))
      return true
    })
    if (done) {
      ui.notice = 'Copied the curl command.'
      clearTimeout(clear)
      clear = setTimeout(() => (ui.notice = null), 4000)
    }
    return done === true
  }
}
