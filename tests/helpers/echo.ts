/**
 * A loopback server that records each request as it arrived: method, request target, raw header
 * pairs in order (Node's `rawHeaders`, names as sent) and the body bytes. The oracle for "curl and
 * Sockeye send the same request".
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Recorded {
  method: string
  target: string
  headers: Array<[string, string]>
  body: Buffer
}

export interface EchoServer {
  url: string
  requests: Recorded[]
  close(): Promise<void>
}

export async function startEchoServer(): Promise<EchoServer> {
  const requests: Recorded[] = []
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers: Array<[string, string]> = []
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? ''])
      }
      requests.push({ method: req.method ?? '', target: req.url ?? '', headers, body: Buffer.concat(chunks) })
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('ok\n')
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
