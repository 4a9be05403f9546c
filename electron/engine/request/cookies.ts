import type { HeaderList } from '../../contract'
import type { CookieReport, CookieSent, CookieSet } from '../../contract/cookies'
import { LIMITS } from '../../contract/limits'
import type { CookieStore } from '../cookies'
import type { Target } from '../input'

/**
 * Where a request meets the cookie jar. At launch (`withCookies`) the jar's cookies for the URL
 * join the request's Cookie header; at response start (`CookieTrace.received`) every Set-Cookie
 * is offered to the jar. Every attempt goes through the engine's launch, so a retry, and each hop
 * of a followed redirect, gets the jar's cookies for its own URL as the jar is at that moment.
 */

/** The target as the user wrote it, for targets that carry the jar's cookies (a retry starts from it). */
const bases = new WeakMap<Target, Target>()

/** The target without the jar's cookies (the user's own), for code that derives a new target from one. */
export const baseTarget = (target: Target): Target => bases.get(target) ?? target

/** What one attempt sent from the jar and what its response offered to it. */
export class CookieTrace {
  private readonly set: CookieSet[] = []

  constructor(
    private readonly store: CookieStore,
    private readonly url: URL,
    private readonly sent: CookieSent[],
  ) {}

  /** The final response's headers: each Set-Cookie (RFC 6265 §4.1: one cookie per header) is offered. */
  received(headers: HeaderList): void {
    for (const [name, value] of headers) {
      if (name.length !== 10 || name.toLowerCase() !== 'set-cookie') continue
      if (this.set.length >= LIMITS.setCookies) {
        this.set.push({
          name: '',
          accepted: false,
          reason: `more than ${LIMITS.setCookies} Set-Cookie headers in one response; the rest were ignored`,
          header: '',
        })
        return
      }
      this.set.push(this.store.offer(value, this.url))
    }
  }

  /** The result's `cookies`; undefined when nothing was sent or set (most requests: no extra record). */
  report(): CookieReport | undefined {
    if (this.sent.length === 0 && this.set.length === 0) return undefined
    return { sent: this.sent, set: this.set }
  }
}

/** `name=value` pairs of a Cookie header value (RFC 6265 §4.2.1: separated by `; `). */
function pairs(value: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const part of value.split(';')) {
    const pair = part.trim()
    if (pair === '') continue
    const eq = pair.indexOf('=')
    out.push(eq < 0 ? ['', pair] : [pair.slice(0, eq), pair.slice(eq + 1)])
  }
  return out
}

/**
 * The target to send with the jar's cookies, and the trace of this attempt. A Cookie header the
 * user wrote is kept as written and the jar's cookies are appended to it (as Postman does; a browser
 * page cannot set one); a jar cookie whose name the user's header already has is left out, so the
 * user's value is the one the server reads. No jar (null): the target as given, no trace.
 */
export function withCookies(
  store: CookieStore | null,
  given: Target,
): { target: Target; trace: CookieTrace | null } {
  if (!store) return { target: given, trace: null }
  const base = baseTarget(given)
  const jar = store.forRequest(base.url)
  let at = -1
  const sent: CookieSent[] = []
  const mine = new Set<string>()
  base.headers.forEach(([name, value], i) => {
    if (name.length !== 6 || name.toLowerCase() !== 'cookie') return
    if (at < 0) at = i
    for (const [n, v] of pairs(value)) {
      mine.add(n)
      sent.push({ name: n, value: v, domain: '', path: '', from: 'header' })
    }
  })
  const added = jar.filter((c) => !mine.has(c.name))
  const trace = new CookieTrace(store, base.url, [...sent, ...added])
  if (added.length === 0) return { target: base, trace }
  const text = added.map((c) => `${c.name}=${c.value}`).join('; ')
  const headers: HeaderList = base.headers.map(([n, v], i) =>
    i === at ? [n, v.trim() === '' ? text : `${v.replace(/;\s*$/, '')}; ${text}`] : [n, v],
  )
  if (at < 0) headers.push(['cookie', text])
  const target = { ...base, headers }
  bases.set(target, base)
  return { target, trace }
}
