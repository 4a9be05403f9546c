import { ref } from 'vue'
import type { RequestSpec } from '../api/contract'
import { useApi } from '../api/current'
import { draftFromSpec, useComposerStore } from '../stores/composer'

/** A paste that starts like a shell curl command (`curl …`, `$ curl …`). */
export function looksLikeCurl(text: string): boolean {
  return /^\s*(?:\$\s+)?curl(?:\.exe)?\s/.test(text)
}

/**
 * Paste a curl command into the URL field and it becomes the request, as in Postman: the engine
 * side parses it (importCurl, curl's own option table) and the composer takes method, URL,
 * headers and body. What could not be taken (files the command reads, options Sockeye lacks) is
 * listed in `notes`; `-k`/`--http1.1` become the origin's pool settings.
 */
export function useCurlPaste() {
  const notes = ref<string[]>([])

  function apply(spec: RequestSpec): void {
    // The pasted command replaces the active draft, as a duplicated request opens one.
    useComposerStore().load(draftFromSpec(spec))
    if (spec.body !== null && spec.bodyEncoding === 'base64') {
      notes.value.push('the body is binary; the composer edits text bodies only, so it was left out')
    }
  }

  /** The URL input's `paste` handler: a curl command is imported, anything else pastes as usual. */
  async function onPaste(event: ClipboardEvent): Promise<void> {
    const text = event.clipboardData?.getData('text/plain') ?? ''
    if (!looksLikeCurl(text)) return
    event.preventDefault()
    notes.value = []
    try {
      const api = useApi()
      const { request, pool, warnings } = await api.importCurl({ text })
      apply(request)
      notes.value.push(...warnings)
      if (Object.keys(pool).length > 0) {
        const origin = new URL(request.url)
        const port = origin.port || (origin.protocol === 'https:' ? '443' : '80')
        await api.configurePool({ origin: `${origin.protocol}//${origin.hostname}:${port}`, settings: pool })
        notes.value.push(`pool settings for this origin from the command: ${Object.keys(pool).join(', ')}`)
      }
    } catch (err) {
      notes.value.push(`not imported: ${(err as Error).message}`)
    }
  }

  return { notes, onPaste, apply }
}
