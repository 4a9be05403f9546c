import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallOutput, CallResult, CookieEntry } from '../../electron/contract'
import { createEngine, type EngineApi } from '../../electron/engine'
import { createHost, type Host } from '../../electron/host/host'
import { get } from '../helpers/engine'
import { setPath, startCookieServer, type CookieServer } from '../helpers/cookieServer'
import { tempDirs } from '../helpers/tmp'

const dirs = tempDirs('jar')
const open: Array<{ host: Host; engine: EngineApi }> = []
let server: CookieServer | null = null
afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close()
    await engine.close()
  }
  await server?.close()
  server = null
})

function start(path: string | null) {
  const engine = createEngine()
  const host = createHost(engine, { cookieJarPath: path })
  open.push({ host, engine })
  return { engine, host }
}

async function call<T>(host: Host, name: string, input: unknown): Promise<T> {
  const result = (await host.call(name, input)) as CallResult<T>
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

async function stop(entry: { host: Host; engine: EngineApi }) {
  open.splice(open.indexOf(entry), 1)
  await entry.host.close()
  await entry.engine.close()
}

describe('host cookie jar', () => {
  it('is on by default, keeps what a response set, and survives a host restart in a 0600 file', async () => {
    server = await startCookieServer()
    const path = join(dirs(), 'cookies.json')
    const first = start(path)
    await first.engine.send(get(server.url + setPath('sid=abc; Path=/; Max-Age=3600', 'tmp=1')))
    const listed = await call<CallOutput<'listCookies'>>(first.host, 'listCookies', {})
    expect(listed.enabled).toBe(true)
    expect(listed.cookies.map((c) => c.name).sort()).toEqual(['sid', 'tmp'])
    await stop(first)
    expect(statSync(path).mode & 0o777).toBe(0o600)

    const second = start(path)
    const again = await call<CallOutput<'listCookies'>>(second.host, 'listCookies', {})
    expect(again.cookies.map((c) => c.name).sort()).toEqual(['sid', 'tmp'])
    await second.engine.send(get(server.url + '/after-restart'))
    expect(server.seen.at(-1)!.cookie).toBe('sid=abc; tmp=1')
  })

  it('turned off stays off after a restart: the server sees no Cookie header', async () => {
    server = await startCookieServer()
    const path = join(dirs(), 'cookies.json')
    const first = start(path)
    await first.engine.send(get(server.url + setPath('a=1')))
    await call(first.host, 'setCookiesEnabled', { enabled: false })
    await first.engine.send(get(server.url + '/off'))
    await stop(first)
    const second = start(path)
    expect((await call<CallOutput<'listCookies'>>(second.host, 'listCookies', {})).enabled).toBe(false)
    await second.engine.send(get(server.url + '/still-off'))
    await call(second.host, 'setCookiesEnabled', { enabled: true })
    await second.engine.send(get(server.url + '/on'))
    expect(server.seen.map((s) => s.cookie)).toEqual([null, null, null, 'a=1'])
  })

  it('adds, edits (renaming), deletes and clears through the contract; the server is the judge', async () => {
    server = await startCookieServer()
    const { host, engine } = start(null)
    const added = await call<{ cookie: CookieEntry }>(host, 'setCookie', {
      cookie: { name: 'k', value: 'v1', domain: '127.0.0.1' },
    })
    expect(added.cookie).toMatchObject({ name: 'k', value: 'v1', path: '/', expires: null, hostOnly: true })
    await engine.send(get(server.url + '/1'))
    await call(host, 'setCookie', {
      cookie: { name: 'k2', value: 'v2', domain: '127.0.0.1' },
      replace: { name: 'k', domain: '127.0.0.1', path: '/' },
    })
    await engine.send(get(server.url + '/2'))
    expect(await call(host, 'deleteCookie', { name: 'k2', domain: '127.0.0.1', path: '/' })).toEqual({
      deleted: true,
    })
    await engine.send(get(server.url + '/3'))
    await call(host, 'setCookie', { cookie: { name: 'x', value: '1', domain: '127.0.0.1' } })
    await call(host, 'setCookie', { cookie: { name: 'y', value: '1', domain: '127.0.0.1' } })
    expect(await call(host, 'clearCookies', {})).toEqual({ deleted: 2 })
    await engine.send(get(server.url + '/4'))
    expect(server.seen.map((s) => s.cookie)).toEqual(['k=v1', 'k2=v2', null, null])
  })

  it('refuses bad cookies with one line, sizes before contents', async () => {
    const { host } = start(null)
    const bad = async (cookie: unknown) => {
      const r = await host.call('setCookie', { cookie })
      expect(r.ok).toBe(false)
      return r.ok ? '' : r.error.message
    }
    expect(await bad({ name: 'a b', value: '1', domain: 'x' })).toMatch(
      /^setCookie: cookie\.name: name must be a token/,
    )
    expect(await bad({ name: 'a', value: 'x;y', domain: 'x' })).toMatch(/value must not hold/)
    expect(await bad({ name: 'a', value: 'x'.repeat(5000), domain: 'x' })).toMatch(/cookie\.value: .*4096/)
    expect(await bad({ name: 'a', value: '1', domain: 'x', path: 'nope' })).toMatch(/path must start with \//)
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1]))
    expect(await bad({ name: 'a', value: '1', domain: 'x', ...many })).toBe(
      'setCookie: cookie: at most 9 fields',
    )
  })

  it('a damaged or oversized jar file is an empty jar, not a crash', async () => {
    const path = join(dirs(), 'cookies.json')
    writeFileSync(path, '{"version":1,"enabled":true,"jar":{"cookies":[{"key":')
    const { host } = start(path)
    expect(await call(host, 'listCookies', {})).toEqual({ enabled: true, cookies: [] })
  })
})
