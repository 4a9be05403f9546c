import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { CallOutput, CallParsed } from '../contract'
import type { cookieCallSchemas } from '../contract/cookies'
import { LIMITS } from '../contract/limits'
import type { EngineApi } from '../engine/api'
import { createCookieStore, type CookieStore } from '../engine/cookies'
import { sockeyeError } from '../engine/errors'
import { FileError, writeFileSafe } from '../workspace/files'
import { uiStatePath } from './ui-state'

/**
 * The workspace's cookie jar, owned by the host: loaded from disk at start, handed to the engine
 * while it is on, saved (atomically, mode 0600: cookies are credentials) shortly after each
 * change. Never in the renderer's localStorage.
 */

type CookieName = keyof typeof cookieCallSchemas
export type CookieHandlers = {
  [K in CookieName]: (input: CallParsed<K>) => CallOutput<K> | Promise<CallOutput<K>>
}

/** Changes within this window are saved in one write (a burst's Set-Cookie headers, not one write each). */
const SAVE_DELAY_MS = 200

/** The jar file beside the UI state file (`$SOCKEYE_STATE_DIR/cookies.json`, …): one per workspace. */
export function cookieJarPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(uiStatePath(env)), 'cookies.json')
}

interface Saved {
  version: 1
  enabled: boolean
  jar: unknown
}

/** What the file holds; a missing, oversized or damaged file is an empty jar that is on. */
function load(path: string | null): { enabled: boolean; store: CookieStore } {
  if (!path) return { enabled: true, store: createCookieStore() }
  try {
    // Size first: a file someone put there is not read whole before it is judged.
    if (statSync(path).size > LIMITS.cookieFileBytes) throw new Error('too large')
    const text = readFileSync(path, 'utf8')
    const saved = JSON.parse(text) as Partial<Saved>
    return { enabled: saved.enabled !== false, store: createCookieStore(saved.jar) }
  } catch {
    return { enabled: true, store: createCookieStore() }
  }
}

export interface CookieJarHost {
  handlers: CookieHandlers
  /** Resolves when every change so far is on disk (or its write failed). */
  flush(): Promise<void>
}

const refuse = (message: string) => sockeyeError('INVALID_OPTION', 'input', message)

/** The jar for `engine`, kept at `path` (null: in memory only). */
export function createCookieJarHost(engine: EngineApi, path: string | null): CookieJarHost {
  const loaded = load(path)
  const store = loaded.store
  let enabled = loaded.enabled
  engine.useCookies(enabled ? store : null)
  let timer: NodeJS.Timeout | null = null
  let writing: Promise<void> = Promise.resolve()

  const write = () => {
    timer = null
    if (!path) return writing
    const saved: Saved = { version: 1, enabled, jar: store.save() }
    const text = JSON.stringify(saved)
    writing = writing
      .catch(() => {})
      .then(async () => {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
        await writeFileSafe(path, text, 0o600)
      })
    // A failed write is retried by the next change; the jar in memory stays right.
    writing.catch(() => {})
    return writing
  }
  const schedule = () => {
    if (!path || timer) return
    timer = setTimeout(write, SAVE_DELAY_MS)
    timer.unref()
  }
  store.onChange(schedule)

  const handlers: CookieHandlers = {
    listCookies: () => ({ enabled, cookies: store.list() }),
    setCookie({ cookie, replace }) {
      if (replace) store.remove(replace.name, replace.domain, replace.path)
      try {
        return { cookie: store.put(cookie) }
      } catch (err) {
        throw refuse(`setCookie: ${(err as Error).message}`)
      }
    },
    deleteCookie: ({ name, domain, path: cookiePath }) => ({
      deleted: store.remove(name, domain, cookiePath),
    }),
    clearCookies: () => ({ deleted: store.clear() }),
    async setCookiesEnabled({ enabled: on }) {
      enabled = on
      engine.useCookies(on ? store : null)
      if (timer) clearTimeout(timer)
      try {
        await write()
      } catch (err) {
        if (err instanceof FileError) throw refuse(`setCookiesEnabled: ${err.message}`)
        throw err
      }
      return { enabled }
    },
  }

  return {
    handlers,
    flush() {
      if (timer) {
        clearTimeout(timer)
        write()
      }
      return writing.catch(() => {})
    },
  }
}
