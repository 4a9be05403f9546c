import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the cookie server saw it: its own record is the test oracle. */
export interface CookieSeen {
  path: string
  /** The Cookie header exactly as received (null: none was sent). */
  cookie: string | null
}

export interface CookieServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  port: number
  seen: CookieSeen[]
  close(): Promise<void>
}

/**
 * A loopback HTTP/1.1 server (127.0.0.1, port 0) that logs the Cookie header of every request and,
 * for `/set?c=…&c=…`, answers one Set-Cookie header per `c` (the attribute text as given).
 */
export async function startCookieServer(): Promise<CookieServer> {
  const seen: CookieSeen[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const cookie = req.headers.cookie ?? null
    seen.push({ path: url.pathname, cookie })
    const set = url.pathname.endsWith('/set') ? url.searchParams.getAll('c') : []
    if (set.length > 0) res.setHeader('Set-Cookie', set)
    res.setHeader('Content-Type', 'text/plain')
    res.end(`cookie: ${cookie ?? '(none)'}\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** `/set?c=…` for these Set-Cookie texts. */
export const setPath = (...cookies: string[]) =>
  `/set?${cookies.map((c) => `c=${encodeURIComponent(c)}`).join('&')}`
