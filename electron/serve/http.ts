import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Guard } from './guard'
import { contentType } from '../host/assets'
import { readAsset, resolveAsset, securityHeaders, type Site } from './site'

/** The request target split without normalizing it (WHATWG URL parsing would drop `..`). */
export function splitTarget(target: string | undefined): { path: string; query: URLSearchParams } {
  const raw = target ?? '/'
  const q = raw.indexOf('?')
  return q < 0
    ? { path: raw, query: new URLSearchParams() }
    : { path: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) }
}

const UNAUTHORIZED = 'Unauthorized: open the URL that `sockeye serve` printed (it carries the token).\n'

/**
 * Static files of the built renderer. Order of checks: Host/Origin (403) → method (405) → token
 * (401) → path (403 for traversal, 404 when missing). The index page needs `?token=`; it then sets
 * an HttpOnly, SameSite=Strict cookie so the page's scripts and styles load without the token in
 * every URL. Assets accept that cookie or `?token=`; without either they are 401, so no other
 * site can pull the bundle in with <script src> (the cookie is not sent cross-site).
 */
export function createRequestHandler(site: Site, guard: Guard) {
  const baseHeaders = securityHeaders(site.csp)

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reply = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body
      res.writeHead(status, {
        ...baseHeaders,
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(bytes.length),
        ...headers,
      })
      res.end(req.method === 'HEAD' ? undefined : bytes)
    }

    const refused = guard.checkSite(req)
    if (refused) return reply(403, `Forbidden: ${refused}.\n`)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply(405, 'Method not allowed.\n', { allow: 'GET, HEAD' })
    }
    const { path, query } = splitTarget(req.url)
    if (path === '/' || path === '/index.html') {
      if (!guard.tokenMatches(query.get('token'))) return reply(401, UNAUTHORIZED)
      return reply(200, site.indexHtml, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': `${guard.cookieName}=${guard.token}; HttpOnly; SameSite=Strict; Path=/`,
      })
    }
    if (!guard.tokenMatches(query.get('token') ?? guard.cookieToken(req))) return reply(401, UNAUTHORIZED)
    if (path === '/ws') return reply(426, 'The WebSocket endpoint needs an Upgrade request.\n')
    const file = resolveAsset(site.root, path)
    if (!file) return reply(403, 'Forbidden: path outside the UI directory.\n')
    const data = await readAsset(file)
    if (!data) return reply(404, 'Not found.\n')
    return reply(200, data, { 'content-type': contentType(file), 'cache-control': 'no-cache' })
  }
}
