import type { RequestResult } from '../contract'
import { LIMITS, MiB } from '../contract/limits'
import type { CookieStore } from '../engine/cookies'
import { formatCookieFile, parseCookieFile } from '../workspace/cookie-file'
import type { RunCommand, UsageError } from './args'
import { checkHarTarget, readAtMost } from './files'

/**
 * curl's cookie rules for one run: `-b 'a=1; b=2'` is sent as written on every request, `-b FILE`
 * loads a Netscape cookie file into the jar (a missing file is an empty jar, so `-b f -c f` works
 * on the first run, as in curl), `--cookie-jar FILE` writes the jar after the run. With either, a
 * jar in memory is kept across the run's requests; without them no cookies are kept.
 */
export interface CliCookies {
  store: CookieStore
  /** The `-b 'a=1'` cookies, for a Cookie header on every request; null when none. */
  header: string | null
  /** One-line notes for stderr (lines skipped in a file). */
  notes: string[]
}

const usage = (message: string): UsageError => ({ code: 'INVALID_OPTION', message })

/** The run's jar (null when neither -b nor --cookie-jar was given), or a usage error before sending. */
export async function loadCookies(
  command: Pick<RunCommand, 'cookies' | 'cookieJar'>,
): Promise<{ ok: true; cookies: CliCookies | null } | { ok: false; error: UsageError }> {
  if (command.cookies.length === 0 && command.cookieJar === null) return { ok: true, cookies: null }
  if (command.cookieJar !== null) {
    const refused = await checkHarTarget(command.cookieJar, '--cookie-jar')
    if (refused) return { ok: false, error: refused }
  }
  // tough-cookie (and its public-suffix list) loads only when cookies were asked for: ~40 ms of
  // start-up for every other run.
  const { createCookieStore } = await import('../engine/cookies')
  const store = createCookieStore()
  const literal: string[] = []
  const notes: string[] = []
  for (const arg of command.cookies) {
    // curl's rule: an argument with '=' is cookies, anything else a file name.
    if (arg.includes('=')) {
      literal.push(arg.trim().replace(/;\s*$/, ''))
      continue
    }
    let bytes: Buffer
    try {
      bytes = await readAtMost(arg, LIMITS.cookieFileBytes)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') continue
      const why = code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? String(err)})`
      return { ok: false, error: usage(`--cookie ${arg} ${why}`) }
    }
    if (bytes.length > LIMITS.cookieFileBytes) {
      return {
        ok: false,
        error: usage(`--cookie ${arg} is larger than ${LIMITS.cookieFileBytes / MiB} MiB; not a cookie file`),
      }
    }
    const parsed = parseCookieFile(bytes.toString('utf8'))
    for (const cookie of parsed.cookies) {
      try {
        store.put(cookie)
      } catch (err) {
        notes.push(`--cookie ${arg}: ${cookie.name}: ${(err as Error).message}`)
      }
    }
    if (parsed.skipped > 0) {
      notes.push(`--cookie ${arg}: skipped ${parsed.skipped} line(s) that are not Netscape cookie lines`)
    }
  }
  const header = literal.filter((c) => c !== '').join('; ')
  return { ok: true, cookies: { store, header: header === '' ? null : header, notes } }
}

/** Writes the jar to `path` (atomic, mode 0600: cookies are credentials); a one-line error or null. */
export async function saveCookies(store: CookieStore, path: string): Promise<string | null> {
  const { writeFileSafe } = await import('../workspace/files')
  try {
    await writeFileSafe(path, formatCookieFile(store.list()), 0o600)
    return null
  } catch (err) {
    return `--cookie-jar ${(err as Error).message}`
  }
}

/** `cookies: sent 2, set 1 (1 rejected)` for a request line, or '' when no cookie was involved. */
export function cookieNote(r: RequestResult): string {
  const c = r.cookies
  if (!c || (c.sent.length === 0 && c.set.length === 0)) return ''
  const rejected = c.set.filter((s) => !s.accepted).length
  return `cookies: sent ${c.sent.length}, set ${c.set.length}${rejected ? ` (${rejected} rejected)` : ''}`
}
