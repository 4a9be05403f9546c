import { fileBody } from '../../../electron/contract/fileBody'
import { draftFromSpec, useComposerStore, type DraftState } from '../stores/composer'
import { draftFromItem } from '../stores/itemDraft'
import type { RequestRow } from '../stores/requestRow'
import { useRunsStore, type Sent } from '../stores/runs'

// Headers the engine writes from the URL and body: copied into a draft they would be stale or refused.
const DERIVED = new Set(['host', 'content-length', 'connection'])

/**
 * What a list row's request was sent with: what this page sent (with its collection files), else
 * rebuilt from what the engine recorded (no body). A HAR recording's row (`recorded`) shares ids
 * with live requests, so it never takes a live Send's.
 */
export function sentOf(row: RequestRow): Sent {
  const known = row.recorded ? null : useRunsStore().sentFor(row.id)
  return (
    known ?? {
      spec: {
        method: row.method,
        url: row.url,
        headers: row.requestHeaders.filter(([n]) => !DERIVED.has(n.toLowerCase())),
        body: null,
      },
    }
  )
}

/**
 * A draft that sends what was sent. Collection files stay references: the body is read as the
 * request file's would be (the same parts, paths and types) and the draft keeps their folder, so
 * its Send has the host read the same files again.
 */
export function draftFromSent({ spec, files }: Sent): DraftState {
  const d = draftFromSpec(spec)
  if (!files) return d
  const { bodyMode, parts, bodyFile } = draftFromItem({ http: { body: fileBody(files.body) } })
  return { ...d, bodyMode, parts, bodyFile, filesDir: files.dir }
}

/** Duplicate a request: open it as a new composer tab, ready to edit and send. */
export function useDuplicate() {
  const composer = useComposerStore()
  return (row: RequestRow): void => composer.openTab(draftFromSent(sentOf(row)))
}
