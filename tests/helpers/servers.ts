/**
 * Loopback servers for tests. Every server listens on 127.0.0.1 port 0, tracks its sockets and is
 * closed by the test (`await server.close()` in `afterEach`/`afterAll`): nothing outlives a test file.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import http2 from 'node:http2'
import type { Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { generate } from 'selfsigned'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface TestServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string
  origin: string
  port: number
  /** Server-side connection count (sockets accepted so far). */
  connections(): number
  /** Destroy every socket and stop listening. */
  close(): Promise<void>
}

function track(server: http.Server | https.Server | http2.Http2SecureServer | http2.Http2Server) {
  const sockets = new Set<Socket>()
  let accepted = 0
  const event =
    server instanceof https.Server || 'setSecureContext' in server ? 'secureConnection' : 'connection'
  server.on(event, (socket: Socket) => {
    accepted++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return {
    connections: () => accepted,
    destroyAll: () => {
      for (const s of sockets) s.destroy()
    },
  }
}

async function listen(
  server: http.Server | https.Server | http2.Http2SecureServer | http2.Http2Server,
  scheme: 'http' | 'https',
): Promise<TestServer> {
  const tracker = track(server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `${scheme}://127.0.0.1:${port}`
  return {
    url: origin,
    origin,
    port,
    connections: tracker.connections,
    close: () =>
      new Promise<void>((resolve) => {
        tracker.destroyAll()
        server.close(() => resolve())
        if ('closeAllConnections' in server) server.closeAllConnections()
      }),
  }
}

/** The default handler: JSON echo of method, path and query; `?size=N` returns N bytes of text. */
export const echo: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const size = url.searchParams.get('size')
    if (size) {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('x'.repeat(Number(size)))
      return
    }
    const body = JSON.stringify({
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: Buffer.concat(chunks).toString('utf8'),
    })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(body)
  })
}

export interface HttpServerOptions {
  /** Server-side keep-alive timeout (ms); node sends `Keep-Alive: timeout=<s>`. */
  keepAliveTimeout?: number
  maxHeaderSize?: number
}

export async function startHttpServer(handler: Handler = echo, options: HttpServerOptions = {}) {
  const server = http.createServer({ maxHeaderSize: options.maxHeaderSize }, handler)
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout
  return listen(server, 'http')
}

export interface Certificate {
  key: string
  cert: string
}

/** A self-signed certificate for 127.0.0.1 / localhost, made now (valid from yesterday unless `expired`). */
export async function makeCertificate(
  options: { expired?: boolean; commonName?: string; altNames?: string[] } = {},
): Promise<Certificate> {
  const day = 24 * 3600 * 1000
  const now = Date.now()
  const notBeforeDate = new Date(options.expired ? now - 30 * day : now - day)
  const notAfterDate = new Date(options.expired ? now - 2 * day : now + 30 * day)
  const altNames = options.altNames ?? ['localhost', '127.0.0.1']
  const pems = await generate([{ name: 'commonName', value: options.commonName ?? 'localhost' }], {
    keyType: 'ec',
    notBeforeDate,
    notAfterDate,
    extensions: [
      {
        name: 'subjectAltName',
        altNames: altNames.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      },
    ],
  } as Parameters<typeof generate>[1])
  return { key: pems.private, cert: pems.cert }
}

export async function startHttpsServer(handler: Handler = echo, certificate?: Certificate) {
  const { key, cert } = certificate ?? (await makeCertificate())
  const server = https.createServer({ key, cert }, handler)
  const started = await listen(server, 'https')
  return { ...started, cert }
}

/** HTTP/2 over TLS (ALPN h2, with HTTP/1.1 fallback). Handler gets the compat req/res. */
export async function startH2Server(handler: Handler = echo, certificate?: Certificate) {
  const { key, cert } = certificate ?? (await makeCertificate())
  const server = http2.createSecureServer({ key, cert, allowHTTP1: true }, handler as never)
  const started = await listen(server, 'https')
  return { ...started, cert }
}
