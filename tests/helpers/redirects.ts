/**
 * A loopback HTTP/1.1 server (127.0.0.1, port 0) that answers redirects from a route table and
 * logs what it received for every request: method, path, headers, body and the client port. The
 * log, not the engine, is what redirect tests judge each hop by.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
  /** Client port: one per connection, so equal ports mean a reused socket. */
  port: number
}

/** A route answers `[status, location?]`, or takes the response itself (then returns null). */
export type Route = (req: Received, res: http.ServerResponse) => [number, string?] | null

export interface RedirectServer {
  url: string
  origin: string
  log: Received[]
  close(): Promise<void>
}

export async function startRedirectServer(routes: Record<string, Route>): Promise<RedirectServer> {
  const log: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      const seen: Received = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        port: req.socket.remotePort ?? 0,
      }
      log.push(seen)
      const route = routes[path.split('?')[0] ?? '/']
      const answer = route ? route(seen, res) : [200]
      if (!answer) return
      const [status, location] = answer
      if (location !== undefined) res.setHeader('location', location)
      res.writeHead(status, { 'content-type': 'text/plain' })
      // A body on the redirect too: the engine must read it to its end before the next hop.
      res.end(
        status >= 300 && status < 400 ? `redirect to ${location}` : `${seen.method} ${path} ${seen.body}`,
      )
    })
  })
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    url: origin,
    origin,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
