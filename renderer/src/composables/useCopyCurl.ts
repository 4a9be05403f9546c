import { useApi } from '../api/current'
import { usePoolsStore } from '../stores/pools'
import type { Sent } from '../stores/runs'
import { useUiStore } from '../stores/ui'
import { useAction } from './useAction'

/**
 * The curl command for a request (the host's copyCurl: curl's own quoting and options), with `-k`
 * when the user trusted the origin's certificate for this session. Collection files it was sent
 * with are read by the host, as on Send, and their body goes into the command.
 */
export async function curlCommand({ spec: request, files }: Sent): Promise<string> {
  let origin: string | null = null
  try {
    origin = new URL(request.url).origin
  } catch {
    // Not a URL the engine would send either; the host says why.
  }
  const trusted = origin !== null && usePoolsStore().settingsFor(origin)?.rejectUnauthorized === false
  const { command } = await useApi().copyCurl({
    request,
    ...(files ? { files } : {}),
    ...(trusted ? { pool: { rejectUnauthorized: false } } : {}),
  })
  return command
}

let clear: ReturnType<typeof setTimeout> | undefined

/**
 * Copy as cURL for any place that shows a request (list row, history, collection tree, detail
 * pane): `copy(() => sent)` puts the command on the clipboard and says so in the status line.
 */
export function useCopyCurl() {
  const run = useAction()
  const ui = useUiStore()
  return async function copy(sent: () => Sent | Promise<Sent>): Promise<boolean> {
    const done = await run(async () => {
      await navigator.clipboard.writeText(await curlCommand(await sent()))
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
