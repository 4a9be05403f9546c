import type { RequestSpec } from '../api/contract'
import { draftFromSpec, useComposerStore } from '../stores/composer'
import type { RequestRow } from '../stores/requestRow'
import { useRunsStore } from '../stores/runs'

// Headers the engine writes from the URL and body: copied into a draft they would be stale or refused.
const DERIVED = new Set(['host', 'content-length', 'connection'])

/** The spec behind a row: the one this page sent, else rebuilt from what the engine recorded (no body). */
export function specOf(row: RequestRow, known: RequestSpec | null): RequestSpec {
  return (
    known ?? {
      method: row.method,
      url: row.url,
      headers: row.requestHeaders.filter(([n]) => !DERIVED.has(n.toLowerCase())),
      body: null,
    }
  )
}

/** Duplicate a request: open it as a new composer tab, ready to edit and send. */
export function useDuplicate() {
  const composer = useComposerStore()
  const runs = useRunsStore()
  // A recorded row's id is the HAR's: a live run's spec with the same id is another request.
  return (row: RequestRow): void =>
    composer.openTab(draftFromSpec(specOf(row, row.recorded ? null : runs.specFor(row.id))))
}
