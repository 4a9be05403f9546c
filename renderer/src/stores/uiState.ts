import type { RendererApi } from '../api/current'

/** The part of the Storage interface the stores use, so they can persist through the host instead. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem?(key: string): void
}

/** Keys the app once kept in localStorage; moved to the host on first start, then removed there. */
const LEGACY_KEYS = ['sockeye.composer.v1', 'sockeye.theme']
/** Writes of one key are gathered for this long (typing in the composer is many small changes). */
const WRITE_DELAY_MS = 300
/** Start-up waits at most this long for the saved state before it shows the app without it. */
const LOAD_TIMEOUT_MS = 3000

let entries = new Map<string, string>()
let api: Pick<RendererApi, 'setUiState'> | null = null
const timers = new Map<string, ReturnType<typeof setTimeout>>()

type LocalStorage = StorageLike & { removeItem(key: string): void }
const browserStorage = (): LocalStorage | null =>
  (globalThis as { localStorage?: LocalStorage }).localStorage ?? null

const dirty = new Set<string>()
const send = (key: string) =>
  // A failed save (link down) is retried by the next change; the value stays in memory.
  void api?.setUiState({ key, value: entries.get(key) ?? null }).catch(() => {})

/**
 * Save a key now, then at most once per WRITE_DELAY_MS while it keeps changing (the last value
 * always goes out): a change just before a reload or a restart is not lost to a pending timer.
 */
function write(key: string): void {
  if (timers.has(key)) {
    dirty.add(key)
    return
  }
  send(key)
  const cool = () =>
    setTimeout(() => {
      if (dirty.delete(key)) {
        send(key)
        timers.set(key, cool())
      } else timers.delete(key)
    }, WRITE_DELAY_MS)
  timers.set(key, cool())
}

/** Send every change still waiting for its turn (the page is going away). */
export function flushUiState(): void {
  for (const key of dirty) send(key)
  dirty.clear()
}

/**
 * Load the UI state the host keeps on disk (call once, before the app mounts, so stores restore
 * synchronously). Old localStorage entries are moved to the host and deleted from the browser:
 * a draft may hold an Authorization header, which must not stay in the page's storage.
 */
export async function loadUiState(from: Pick<RendererApi, 'getUiState' | 'setUiState'>): Promise<void> {
  api = from
  globalThis.addEventListener?.('pagehide', flushUiState)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const got = await Promise.race([
      from.getUiState({}),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('UI state: no answer')), LOAD_TIMEOUT_MS)
      }),
    ])
    entries = new Map(Object.entries(got.entries))
  } catch {
    entries = new Map()
  } finally {
    clearTimeout(timer)
  }
  const local = browserStorage()
  for (const key of LEGACY_KEYS) {
    const old = local?.getItem(key)
    if (old === null || old === undefined) continue
    if (!entries.has(key)) {
      entries.set(key, old)
      write(key)
    }
    local?.removeItem(key)
  }
}

/** Storage backed by the host's UI state file (in memory until loadUiState has run). */
export function uiStorage(): StorageLike {
  return {
    getItem: (key) => entries.get(key) ?? null,
    setItem(key, value) {
      if (entries.get(key) === value) return
      entries.set(key, value)
      write(key)
    },
    removeItem(key) {
      if (!entries.delete(key)) return
      write(key)
    },
  }
}

/** Forget everything loaded and pending (unit tests start each case from an empty state). */
export function resetUiState(): void {
  for (const timer of timers.values()) clearTimeout(timer)
  timers.clear()
  dirty.clear()
  entries = new Map()
  api = null
}
