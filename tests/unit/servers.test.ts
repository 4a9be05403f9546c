import { afterEach, describe, expect, it } from 'vitest'
import { startH2Server, startHttpServer, startHttpsServer, type TestServer } from '../helpers/servers'
import http2 from 'node:http2'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

describe('test servers', () => {
  it('serves JSON echo over HTTP/1.1 on loopback', async () => {
    const s = await startHttpServer()
    servers.push(s)
    const res = await fetch(`${s.url}/a?q=1`)
    expect(await res.json()).toMatchObject({ method: 'GET', path: '/a', query: { q: '1' } })
  })

  it('serves HTTPS with a fresh self-signed certificate', async () => {
    const s = await startHttpsServer()
    servers.push(s)
    expect(s.cert).toContain('BEGIN CERTIFICATE')
    expect(s.url.startsWith('https://127.0.0.1:')).toBe(true)
  })

  it('negotiates h2 over TLS', async () => {
    const s = await startH2Server()
    servers.push(s)
    const session = http2.connect(s.url, { ca: s.cert })
    const status = await new Promise<number>((resolve, reject) => {
      const req = session.request({ ':path': '/' })
      req.on('response', (h) => resolve(Number(h[':status'])))
      req.on('error', reject)
      req.resume()
    })
    session.close()
    expect(status).toBe(200)
    expect(session.alpnProtocol).toBe('h2')
  })
})
