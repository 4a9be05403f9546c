import { onUnmounted, watch } from 'vue'
import { useCollectionsStore } from '../stores/collections'
import { useComposerStore } from '../stores/composer'
import { filePaths, templateNames, useDraftsStore, type VariableInfo } from '../stores/drafts'
import { textsOf } from '../stores/itemDraft'

/** Shown for a secret's value: secrets are substituted on Send, never displayed. */
export const MASK = '••••'

/** Where a value came from, in the words the sidebar uses (`environment local`, `folder users`). */
function lineOf(v: VariableInfo | undefined, name: string, environment: string | null): string {
  if (!v) return `{{${name}}}: looking it up…`
  if (v.source === null)
    return `{{${name}}} is not defined${environment ? ` in ${environment} or the collection` : ' (no environment chosen)'}`
  const value = v.secret ? `${MASK} (secret)` : v.value === '' ? '(empty)' : v.value
  return `{{${name}}} = ${value} — from ${v.source}`
}

/**
 * What each `{{variable}}` in the composer resolves to, for hover text and marks: looked up through
 * the host 250 ms after the draft stops changing.
 */
export function useVariableHint() {
  const drafts = useDraftsStore()
  const collections = useCollectionsStore()
  const info = (name: string) => drafts.variables.find((v) => v.name === name)
  const known = (name: string) => info(name)?.source != null
  // A name not looked up yet (just typed, just opened) is neither marked nor listed: only the
  // host's answer says it resolves to nothing.
  const missing = (name: string) => {
    const v = info(name)
    return v !== undefined && v.source === null
  }

  return {
    /** One line per variable in `text` (value and source, or "not defined"); '' when it has none. */
    describe(text: string): string {
      return templateNames([text])
        .map((n) => lineOf(info(n), n, collections.environment))
        .join('\n')
    },
    /** The line for one name. */
    line: (name: string) => lineOf(info(name), name, collections.environment),
    /** Names in `text` that resolve to nothing. */
    unresolvedIn: (text: string) => templateNames([text]).filter(missing),
    /** Hover text and mark of a field holding `{{variables}}`, or null when it holds none. */
    cell(text: string): { title: string; unresolved: boolean } | null {
      if (!text.includes('{{')) return null
      const names = templateNames([text])
      return {
        title: names.map((n) => lineOf(info(n), n, collections.environment)).join('\n'),
        unresolved: names.some(missing),
      }
    },
    known,
    missing,
  }
}

/**
 * Run `work` 250 ms after `key` (or the collection view) last changed, and once at once; stopped
 * with the component.
 */
function settled(key: () => string, work: () => Promise<void>): void {
  const collections = useCollectionsStore()
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = watch(
    [key, () => collections.view],
    () => {
      clearTimeout(timer)
      timer = setTimeout(() => void work().catch(() => {}), 250)
    },
    { immediate: true },
  )
  onUnmounted(() => {
    stop()
    clearTimeout(timer)
  })
}

/** Keep the store's variable info in step with the active draft (mount once, in the composer). */
export function useVariableRefresh(): void {
  const composer = useComposerStore()
  const collections = useCollectionsStore()
  const drafts = useDraftsStore()
  const scope = () => [
    collections.environment,
    composer.origin?.dir ?? composer.filesDir ?? collections.view?.dir,
    composer.origin?.path,
  ]
  settled(
    () => [templateNames(textsOf(composer.current())).join('\u0000'), ...scope()].join('\u0001'),
    drafts.refresh,
  )
  // The collection files the draft names: their sizes or problems, looked up the same way (a
  // change in the folder re-reads the view, and so checks again).
  settled(() => [filePaths(composer.current()).join('\u0000'), ...scope()].join('\u0001'), drafts.checkFiles)
}
