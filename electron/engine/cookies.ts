import { Cookie, CookieJar, MemoryCookieStore } from 'tough-cookie'
import type { CookieEntry, CookieSent, CookieSet } from '../contract/cookies'
import { LIMITS } from '../contract/limits'

/**
 * The cookie store the engine consults for every request it launches (`EngineOptions.cookies`;
 * null = no jar: nothing is added to requests, nothing is kept from responses). RFC 6265 storage,
 * domain/path matching and the public-suffix check are tough-cookie's, not ours.
 */
export interface CookieStore {
  /** The jar's cookies for `url`, in RFC 6265 §5.4 order (longer paths first, then older first). */
  forRequest(url: URL): CookieSent[]
  /** Offers one Set-Cookie header value received from `url`; says whether the jar kept it and why not. */
  offer(header: string, url: URL): CookieSet
  /** Every cookie kept (expired ones dropped first). */
  list(): CookieEntry[]
  /** Adds or replaces one cookie (the UI's editor, `-b` files). Throws a one-line Error when refused. */
  put(cookie: Omit<CookieEntry, 'created'>): CookieEntry
  /** Deletes one cookie; false when there was none by that name, domain and path. */
  remove(name: string, domain: string, path: string): boolean
  /** Deletes every cookie; returns how many there were. */
  clear(): number
  /** Called after every change (the host saves the jar); returns an unsubscribe function. */
  onChange(listener: () => void): () => void
  /** The jar as plain JSON (tough-cookie's serialization), for `createCookieStore(saved)`. */
  save(): unknown
}

/** Runs a callback-style MemoryCookieStore method, which answers synchronously. */
function now<T>(call: (cb: (err: Error | null, value?: T) => void) => void): T | undefined {
  let out: T | undefined
  let failure: Error | null = null
  call((err, value) => {
    failure = err
    out = value
  })
  if (failure) throw failure
  return out
}

const SAME_SITE = new Set(['strict', 'lax', 'none'])

function entryOf(c: Cookie): CookieEntry {
  const expiry = c.expiryTime()
  const sameSite = typeof c.sameSite === 'string' ? c.sameSite.toLowerCase() : ''
  return {
    name: c.key,
    value: c.value,
    domain: c.domain ?? '',
    path: c.path ?? '/',
    // Max-Age ≤ 0 is -Infinity (RFC 6265 §5.2.2: the earliest representable time).
    expires: expiry === undefined || expiry === Infinity ? null : Math.max(0, expiry),
    secure: c.secure,
    httpOnly: c.httpOnly,
    hostOnly: c.hostOnly !== false,
    sameSite: SAME_SITE.has(sameSite) ? (sameSite as CookieEntry['sameSite']) : null,
    created: c.creation instanceof Date ? c.creation.getTime() : Date.now(),
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/** A domain as the jar keeps it: no leading dot, IPv6 without brackets, lower case. */
const canon = (domain: string) =>
  domain
    .replace(/^\./, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()

/**
 * A jar in memory, optionally from a saved one (`save()` output; anything malformed is an empty
 * jar, never a throw). Choices: `Secure` cookies only from and to https (loopback http is not a
 * secure context here, unlike browsers and curl, so a test on 127.0.0.1 sees the rule);
 * public-suffix domains refused; at most LIMITS.cookies cookies, each at most LIMITS.cookieBytes.
 */
export function createCookieStore(saved?: unknown): CookieStore {
  const options = { rejectPublicSuffixes: true, allowSecureOnLocal: false, looseMode: false }
  const jar = new CookieJar(new MemoryCookieStore(), options)
  // One cookie at a time: CookieJar.deserializeSync chains a callback per cookie and overflowed the
  // stack on a full jar (3000 cookies), losing the rest. A damaged entry is skipped, not fatal.
  const list = (saved as { cookies?: unknown } | null | undefined)?.cookies
  if (Array.isArray(list)) {
    for (const item of list.slice(0, LIMITS.cookies)) {
      const c = item && typeof item === 'object' ? Cookie.fromJSON(item) : undefined
      if (c?.key && c.domain && c.path) now((cb) => jar.store.putCookie(c, cb))
    }
  }
  // Counted so a request to a jar that holds nothing costs no lookup (bursts of 100,000 requests).
  let count = all(jar).length
  const listeners = new Set<() => void>()
  const changed = () => {
    for (const listener of listeners) {
      try {
        listener()
      } catch {
        /* the listener's owner reports its own failures */
      }
    }
  }

  function all(from: CookieJar): Cookie[] {
    return now<Cookie[]>((cb) => from.store.getAllCookies(cb)) ?? []
  }

  function drop(c: Cookie): void {
    now((cb) => jar.store.removeCookie(c.domain ?? '', c.path ?? '/', c.key, cb))
  }

  /** Drops expired cookies; RFC 6265 §5.3 step 11: an expired Set-Cookie deletes its namesake. */
  function purge(): void {
    const t = Date.now()
    for (const c of all(jar)) {
      const expiry = c.expiryTime()
      if (expiry !== undefined && expiry <= t) drop(c)
    }
    count = all(jar).length
  }

  function find(name: string, domain: string, path: string): Cookie | undefined {
    return now<Cookie | null>((cb) => jar.store.findCookie(domain, path, name, cb)) ?? undefined
  }

  return {
    forRequest(url) {
      if (count === 0) return []
      const cookies = jar.getCookiesSync(url.href)
      return cookies.map((c) => ({
        name: c.key,
        value: c.value,
        domain: c.domain ?? '',
        path: c.path ?? '/',
        from: 'jar',
      }))
    },
    offer(header, url) {
      const raw = header.length > LIMITS.cookieBytes ? `${header.slice(0, LIMITS.cookieBytes)}…` : header
      if (header.length > LIMITS.cookieBytes) {
        return { name: '', accepted: false, reason: `larger than ${LIMITS.cookieBytes} bytes`, header: raw }
      }
      const parsed = Cookie.parse(header)
      if (!parsed) return { name: '', accepted: false, reason: 'does not parse as a cookie', header: raw }
      const seen: CookieSet = {
        name: parsed.key,
        value: parsed.value,
        accepted: false,
        header: raw,
      }
      if (count >= LIMITS.cookies) {
        return { ...seen, reason: `the jar is full (${LIMITS.cookies} cookies); delete some` }
      }
      let stored: Cookie | undefined
      try {
        stored = jar.setCookieSync(parsed, url.href, { http: true, ignoreError: false })
      } catch (err) {
        return { ...seen, reason: oneLine(err instanceof Error ? err.message : String(err)) }
      }
      if (!stored) return { ...seen, reason: 'not stored' }
      const entry = entryOf(stored)
      const result: CookieSet = {
        ...seen,
        accepted: true,
        domain: entry.domain,
        path: entry.path,
        expires: entry.expires,
        secure: entry.secure,
        httpOnly: entry.httpOnly,
        sameSite: entry.sameSite,
      }
      if (entry.expires !== null && entry.expires <= Date.now()) {
        drop(stored)
        result.reason = 'deleted: already expired'
      }
      count = all(jar).length
      changed()
      return result
    },
    list() {
      purge()
      return all(jar).map(entryOf)
    },
    put(input) {
      const domain = canon(input.domain)
      if (`${input.name}=${input.value}`.length > LIMITS.cookieBytes) {
        throw new Error(`the cookie is larger than ${LIMITS.cookieBytes} bytes`)
      }
      const old = find(input.name, domain, input.path)
      if (!old && count >= LIMITS.cookies) {
        throw new Error(`the jar is full (${LIMITS.cookies} cookies); delete some`)
      }
      const cookie = new Cookie({
        key: input.name,
        value: input.value,
        domain,
        path: input.path,
        expires: input.expires === null ? 'Infinity' : new Date(input.expires),
        secure: input.secure,
        httpOnly: input.httpOnly,
        hostOnly: input.hostOnly,
        sameSite: input.sameSite ?? undefined,
      })
      cookie.creation = old?.creation ?? new Date()
      cookie.lastAccessed = new Date()
      now((cb) => jar.store.putCookie(cookie, cb))
      if (!old) count++
      changed()
      return entryOf(cookie)
    },
    remove(name, domain, path) {
      const c = find(name, canon(domain), path)
      if (!c) return false
      drop(c)
      count = all(jar).length
      changed()
      return true
    },
    clear() {
      const before = all(jar).length
      now((cb) => jar.store.removeAllCookies(cb))
      count = 0
      if (before > 0) changed()
      return before
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    save() {
      purge()
      return jar.serializeSync()
    },
  }
}
