import * as v from 'valibot'
import { LIMITS } from './limits'

/**
 * The cookie jar: one per workspace, kept on disk by the host (never in the browser's storage),
 * consulted by the engine for every request it launches. Spread into `callSchemas` and
 * `CallOutputs` in calls.ts. Cookies are identified by (name, domain, path), as RFC 6265 §5.3
 * step 11 replaces them.
 */

/** A cookie as the jar keeps it. */
export interface CookieEntry {
  name: string
  value: string
  /** Lower-case host (hostOnly) or domain the cookie matches, without a leading dot. */
  domain: string
  path: string
  /** Expiry (ms since the epoch); null for a session cookie (kept until deleted or the jar is cleared). */
  expires: number | null
  secure: boolean
  httpOnly: boolean
  /** True without a Domain attribute: only this exact host gets it back. */
  hostOnly: boolean
  sameSite: 'strict' | 'lax' | 'none' | null
  /** When the jar first stored it (ms since the epoch). */
  created: number
}

/** A cookie sent with a request: from the jar, or written by the user in a Cookie header. */
export interface CookieSent {
  name: string
  value: string
  /** The jar cookie's domain and path; empty for a cookie from the user's own header. */
  domain: string
  path: string
  from: 'jar' | 'header'
}

/** One Set-Cookie header of a response and what the jar did with it. */
export interface CookieSet {
  /** Empty when the header did not parse. */
  name: string
  value?: string
  accepted: boolean
  /** Why the jar refused it (tough-cookie's words), or what accepting it did ('deleted: expired'). */
  reason?: string
  domain?: string
  path?: string
  expires?: number | null
  secure?: boolean
  httpOnly?: boolean
  sameSite?: 'strict' | 'lax' | 'none' | null
  /** The header as received (bounded by LIMITS.cookieBytes). */
  header: string
}

/** What a request sent from, and offered to, the cookie jar. Absent while the jar is off. */
export interface CookieReport {
  sent: CookieSent[]
  set: CookieSet[]
}

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
// RFC 6265 §4.1.1: cookie-name is a token; cookie-octets exclude CTLs, space, DQUOTE, comma, ; and \.
const Name = v.pipe(
  Text(LIMITS.cookieBytes),
  v.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "name must be a token (letters, digits, !#$%&'*+-.^_`|~)"),
)
const Value = v.pipe(
  Text(LIMITS.cookieBytes),
  v.regex(
    /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/,
    'value must not hold spaces, quotes, commas, ; or \\',
  ),
)
const Domain = v.pipe(
  Text(253),
  // IPv6 with or without brackets: the jar keeps `::1`, a URL writes `[::1]`.
  v.regex(/^\.?[a-z0-9.-]+$|^\[?[0-9a-f.]*:[0-9a-f:.]*\]?$/i, 'domain must be a host name or IP address'),
)
const Path = v.pipe(
  Text(LIMITS.cookieBytes),
  v.regex(/^\/[^;\s]*$/, 'path must start with / (no ; or spaces)'),
)
/** At most `max` own keys, counted with an early exit before valibot walks them for unknown ones. */
const Few = <T extends v.GenericSchema>(schema: T, max: number): T => {
  const gate = v.custom<unknown>((input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return true
    let n = 0
    for (const key in input) if (Object.hasOwn(input, key) && ++n > max) return false
    return true
  }, `at most ${max} fields`)
  return v.pipe(gate, schema as v.GenericSchema<unknown>) as unknown as T
}
const Key = Few(v.strictObject({ name: Name, domain: Domain, path: Path }), 3)

export const cookieCallSchemas = {
  /** Every cookie in the workspace's jar, and whether the jar is on. */
  listCookies: v.strictObject({}),
  /**
   * Add a cookie, or edit one: `replace` names the cookie being edited (removed first, so a rename
   * does not leave the old one behind). `expires` null makes a session cookie.
   */
  setCookie: v.strictObject({
    cookie: Few(
      v.strictObject({
        name: Name,
        value: Value,
        domain: Domain,
        path: v.optional(Path, '/'),
        expires: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))), null),
        secure: v.optional(v.boolean(), false),
        httpOnly: v.optional(v.boolean(), false),
        hostOnly: v.optional(v.boolean(), true),
        sameSite: v.optional(v.nullable(v.picklist(['strict', 'lax', 'none'])), null),
      }),
      9,
    ),
    replace: v.optional(Key),
  }),
  /** Delete one cookie; `deleted` is false when there was none by that name, domain and path. */
  deleteCookie: Key,
  /** Delete every cookie (the on/off setting stays). */
  clearCookies: v.strictObject({}),
  /** Turn the jar on or off (kept on disk). Off: nothing is sent from it nor stored in it. */
  setCookiesEnabled: v.strictObject({ enabled: v.boolean() }),
} as const

/** Results of the cookie calls. */
export interface CookieCallOutputs {
  listCookies: { enabled: boolean; cookies: CookieEntry[] }
  setCookie: { cookie: CookieEntry }
  deleteCookie: { deleted: boolean }
  clearCookies: { deleted: number }
  setCookiesEnabled: { enabled: boolean }
}
