/**
 * Real curl as the oracle of the redirect rules: the same request, sent by Sockeye's engine with
 * follow on and by real curl running Sockeye's "Copy as cURL" command (`-L --max-redirs N`), reaches
 * the loopback servers as the same hops (method, path, body, Content-Type, credentials), per the
 * servers' own logs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestSpec } from '../../electron/contract'
import { createEngine } from '../../electron/engine'
import { specToCurl } from '../../electron/workspace/export/curl'
import { requireCurl, runCurl } from '../helpers/curl'
import { startRedirectServer, type Received, type RedirectServer } from '../helpers/redirects'

let main: RedirectServer
let other: RedirectServer
let dir: string

beforeAll(async () => {
  requireCurl()
  other = await startRedirectServer({})
  main = await startRedirectServer({
    '/s307': () => [307, '/s302'],
    '/s302': () => [302, '/s303'],
    '/s303': () => [303, '/end'],
    '/cross': () => [308, `${other.url}/land`],
  })
  dir = mkdtempSync(join(tmpdir(), 'sockeye-redirect-curl-'))
})
afterAll(async () => {
  await main?.close()
  await other?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** What each hop looked like on the wire, in order, across both servers. */
const hops = (log: Received[]) =>
  log.map((h) => ({
    method: h.method,
    path: h.path,
    body: h.body,
    type: h.headers['content-type'] ?? null,
    authorization: h.headers.authorization ?? null,
    cookie: h.headers.cookie ?? null,
  }))

async function bothSend(spec: RequestSpec) {
  const engine = createEngine()
  const from = [main.log.length, other.log.length]
  await engine.send(spec)
  await engine.close()
  const sockeye = hops([...main.log.slice(from[0]), ...other.log.slice(from[1])])
  const mid = [main.log.length, other.log.length]
  await runCurl(`${specToCurl(spec)} -o /dev/null -s`, dir)
  const curl = hops([...main.log.slice(mid[0]), ...other.log.slice(mid[1])])
  return { sockeye, curl }
}

describe('Sockeye follows redirects as curl -L does', () => {
  it('307 keeps POST and body, 302 after POST and 303 become GET without body', async () => {
    const spec: RequestSpec = {
      method: 'POST',
      url: `${main.url}/s307`,
      headers: [['Content-Type', 'text/plain']],
      body: 'payload',
      redirects: { follow: true, max: 5 },
    }
    expect(specToCurl(spec)).toContain(' -L --max-redirs 5')
    const { sockeye, curl } = await bothSend(spec)
    expect(sockeye.map((h) => `${h.method} ${h.path} ${h.body}`)).toEqual([
      'POST /s307 payload',
      'POST /s302 payload',
      'GET /s303 ',
      'GET /end ',
    ])
    // One known difference: curl sends every -H header to every hop, so its GETs still carry the
    // POST's Content-Type; Sockeye drops it with the body, as Fetch and browsers do.
    expect(sockeye.map((h) => h.type)).toEqual(['text/plain', 'text/plain', null, null])
    expect(curl.map((h) => h.type)).toEqual(['text/plain', 'text/plain', 'text/plain', 'text/plain'])
    const untyped = (list: typeof sockeye) => list.map((h) => ({ ...h, type: undefined }))
    expect(untyped(sockeye)).toEqual(untyped(curl))
  })

  it('drops Authorization and Cookie on a hop to another port, as curl does', async () => {
    const spec: RequestSpec = {
      method: 'GET',
      url: `${main.url}/cross`,
      headers: [
        ['Authorization', 'Bearer t'],
        ['Cookie', 'a=1'],
      ],
      body: null,
      redirects: { follow: true, max: 5 },
    }
    const { sockeye, curl } = await bothSend(spec)
    expect(sockeye.map((h) => [h.path, h.authorization, h.cookie])).toEqual([
      ['/cross', 'Bearer t', 'a=1'],
      ['/land', null, null],
    ])
    expect(sockeye).toEqual(curl)
  })
})
