import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { LIMITS } from '../contract/limits'

/** The UI's saved entries (drafts, tabs, pane sizes, theme): key → JSON text. */
export interface UiStateStore {
  entries(): Record<string, string>
  /** Save (or, with null, remove) one entry; resolves when it is on disk. Throws a one-line Error past a limit. */
  set(key: string, value: string | null): Promise<void>
  /** Resolves when every write asked for so far is on disk (or failed). */
  flush(): Promise<void>
}

/**
 * Where the UI state file lives: `$SOCKEYE_STATE_DIR`, else `$XDG_STATE_HOME/sockeye`, else
 * `~/.local/state/sockeye` (the XDG Base Directory default for state that should survive restarts
 * but is not worth backing up), as `ui-state.json`.
 */
export function uiStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.SOCKEYE_STATE_DIR ||
    (env.XDG_STATE_HOME ? join(env.XDG_STATE_HOME, 'sockeye') : join(homedir(), '.local', 'state', 'sockeye'))
  return join(dir, 'ui-state.json')
}

/** Entries from a file's text; anything malformed is dropped, never thrown (a bad file is an empty state). */
function parse(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return out
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (out.size >= LIMITS.uiStateKeys) break
    if (
      typeof entry === 'string' &&
      key.length <= LIMITS.uiStateKeyChars &&
      entry.length <= LIMITS.uiStateValueChars
    ) {
      out.set(key, entry)
    }
  }
  return out
}

/**
 * The UI state in one small JSON file, written atomically (write-file-atomic: a crash mid-write
 * leaves the old file) with mode 0600, since a draft may hold an Authorization header. `path` null
 * keeps the state in memory only (tests, and hosts without a user).
 */
export function createUiStateStore(path: string | null): UiStateStore {
  let state = new Map<string, string>()
  if (path) {
    try {
      const text = readFileSync(path, 'utf8')
      if (text.length <= LIMITS.uiStateFileBytes) state = parse(text)
    } catch {
      /* no file yet: an empty state */
    }
  }
  let writing: Promise<void> = Promise.resolve()
  return {
    entries: () => Object.fromEntries(state),
    set(key, value) {
      const next = new Map(state)
      if (value === null) next.delete(key)
      else next.set(key, value)
      if (next.size > LIMITS.uiStateKeys) {
        throw new Error(`setUiState: at most ${LIMITS.uiStateKeys} entries; remove one first`)
      }
      const text = JSON.stringify(Object.fromEntries(next))
      // Checked here, not only on load: a file over the limit would be ignored at the next start.
      if (text.length > LIMITS.uiStateFileBytes) {
        throw new Error(
          `setUiState: the UI state would exceed ${LIMITS.uiStateFileBytes} bytes; remove an entry first`,
        )
      }
      state = next
      if (!path) return Promise.resolve()
      // Writes go one after the other, each with the whole state as it was when it was asked for.
      writing = writing
        .catch(() => {})
        .then(async () => {
          mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
          await writeFileAtomic(path, text, { mode: 0o600 })
        })
      return writing
    },
    flush: () => writing.catch(() => {}),
  }
}
