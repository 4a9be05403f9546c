import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeHandle } from '../../electron/serve'
import { rawRequest, STATIC_DIR, type RawResponse } from './serve.client'

let server: ServeHandle
/** Every response in this file is also checked for CORS headers: browser mode must never send one. */
const get = async (
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> => {
  const res = await rawRequest(server.port, path, headers, method)
  expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
  return res
}

beforeAll(async () => {
  const started = performance.now()
  server = await startServe({ staticDir: STATIC_DIR, note: () => {} })
  console.info(`startServe() to listening: ${(performance.now() - started).toFixed(1)} ms`)
})
afterAll(async () => {
  await server.close()
})

describe('browser mode over HTTP', () => {
  it('prints a 127.0.0.1 URL carrying a 32-character token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('refuses the index page without a token', async () => {
    const res = await get('/')
    expect(res.status).toBe(401)
    expect(res.body).not.toContain('<html')
  })

  it('refuses the index page with a wrong token', async () => {
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A')
    expect((await get(`/?token=${wrong}`)).status).toBe(401)
  })

  it('serves the page with the CSP and hardening headers for the right token', async () => {
    const res = await get(`/?token=${server.token}`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('<div id="app">')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(res.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict; Path=\//)
  })

  it('accepts localhost:<port> as Host', async () => {
    expect((await get(`/?token=${server.token}`, { host: `localhost:${server.port}` })).status).toBe(200)
  })

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    const res = await get(`/?token=${server.token}`, { host: `attacker.example:${server.port}` })
    expect(res.status).toBe(403)
    expect(res.body).not.toContain('<html')
  })

  it('refuses a Host with another port', async () => {
    expect((await get(`/?token=${server.token}`, { host: '127.0.0.1:1' })).status).toBe(403)
  })

  it('refuses a foreign Origin even with the token', async () => {
    const res = await get(`/?token=${server.token}`, { origin: 'http://attacker.example' })
    expect(res.status).toBe(403)
  })

  it('refuses the opaque Origin null', async () => {
    expect((await get(`/?token=${server.token}`, { origin: 'null' })).status).toBe(403)
  })

  it('loads an asset with the cookie the page set, and refuses it without', async () => {
    const page = await get(`/?token=${server.token}`)
    // electron-vite builds with base './' (the desktop app loads the page from app://).
    const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1]
    expect(asset).toBeDefined()
    const cookie = page.headers['set-cookie']![0]!.split(';')[0]!
    expect((await get(asset!)).status).toBe(401)
    const ok = await get(asset!, { cookie })
    expect(ok.status).toBe(200)
    expect(ok.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it.each(['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/..%2fpackage.json'])(
    'refuses path traversal %s',
    async (path) => {
      const res = await get(`${path}?token=${server.token}`)
      expect(res.status).toBe(403)
      expect(res.body).not.toContain('"name"')
    },
  )

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(`/?token=${server.token}`, {}, 'POST')).status).toBe(405)
  })

  it('answers a CORS preflight without any Access-Control-Allow header', async () => {
    const res = await get(`/?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` }, 'OPTIONS')
    expect(res.status).toBe(405)
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
  })
})

describe('browser mode start-up errors', () => {
  it('says to build first when the UI directory has no index.html', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sockeye-serve-'))
    try {
      await expect(startServe({ staticDir: empty })).rejects.toThrow(
        /^the browser UI is not built .*run npm run build first$/,
      )
    } finally {
      await rm(empty, { recursive: true })
    }
  })

  it('refuses to bind anything but 127.0.0.1', async () => {
    await expect(startServe({ staticDir: STATIC_DIR, host: '0.0.0.0' })).rejects.toThrow(
      /binds 127\.0\.0\.1 only/,
    )
  })

  it('reports a port in use with its EADDRINUSE code', async () => {
    await expect(startServe({ staticDir: STATIC_DIR, port: server.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    })
  })
})
