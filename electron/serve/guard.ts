import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * Who may talk to the browser-mode server. Binding to 127.0.0.1 is not enough: any web page the
 * user visits can make the browser send requests there, and DNS rebinding can make a foreign name
 * resolve to 127.0.0.1 (Vite's CVE-2025-24010). So every request must name us in `Host`, any
 * `Origin` must be ours, and the page and the WebSocket need the per-run token.
 */
export interface Guard {
  token: string
  /** Cookie name; includes the port because cookies are shared by every port of a host. */
  cookieName: string
  /** `null` when Host and Origin are acceptable, else the reason for a 403. */
  checkSite(req: IncomingMessage): string | null
  /** Constant-time check of a presented token. */
  tokenMatches(candidate: string | null | undefined): boolean
  /** The token from the request's cookie, if any. */
  cookieToken(req: IncomingMessage): string | null
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Create the guard for a server listening on 127.0.0.1:`port`. */
export function createGuard(port: number): Guard {
  const token = randomBytes(24).toString('base64url')
  const expected = digest(token)
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  const cookieName = `sockeye_${port}`

  return {
    token,
    cookieName,
    checkSite(req) {
      // Host names are case-insensitive (RFC 9110 §4.2.3); anything but our two spellings is a
      // rebinding attempt or a proxy we did not ask for.
      const host = req.headers.host?.toLowerCase()
      if (!host || !hosts.has(host)) return 'unexpected Host header'
      const origin = req.headers.origin
      // Absent for same-origin GETs and non-browser clients; `null` (sandboxed frames, file:) is refused.
      if (origin !== undefined && !origins.has(origin.toLowerCase())) return 'unexpected Origin header'
      return null
    },
    tokenMatches(candidate) {
      if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 256) return false
      // Hashing first gives equal lengths, so timingSafeEqual never leaks the token's length either.
      return timingSafeEqual(digest(candidate), expected)
    },
    cookieToken(req) {
      const header = req.headers.cookie
      if (!header) return null
      for (const part of header.split(';')) {
        const eq = part.indexOf('=')
        if (eq > 0 && part.slice(0, eq).trim() === cookieName) return part.slice(eq + 1).trim()
      }
      return null
    },
  }
}
