import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startRedirectServer, type RedirectServer } from '../helpers/redirects'
import { cli, tempDir, useCliHarness } from './cli.harness'

useCliHarness()

describe('sockeye -L (follow redirects)', () => {
  const servers: RedirectServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  const start = async (routes: Parameters<typeof startRedirectServer>[0]) => {
    const s = await startRedirectServer(routes)
    servers.push(s)
    return s
  }
  const chain = () => start({ '/a': () => [301, '/b'], '/b': () => [302, '/c'] })

  it('prints each hop as its own line with its socket, marked as a hop of the first request', async () => {
    const s = await chain()
    const r = await cli(['-L', `${s.url}/a`])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.lines[0]).toMatch(/^#1 +GET +http:\S+\/a +301 .*socket #1 new \(first\) .* → #2$/)
    expect(r.lines[1]).toMatch(
      /^#2 +GET +http:\S+\/b +302 .*socket #1 reused \(2nd request\) .* ↳ hop 1 of #1 {2}→ #3$/,
    )
    expect(r.lines[2]).toMatch(
      /^#3 +GET +http:\S+\/c +200 .*socket #1 reused \(3rd request\) .* ↳ hop 2 of #1$/,
    )
    // The server saw three requests on one connection, as the lines say.
    expect(s.log.map((h) => h.path)).toEqual(['/a', '/b', '/c'])
    expect(new Set(s.log.map((h) => h.port)).size).toBe(1)
    expect(r.stdout).toContain('Number of connections: 1\n  Number of requests: 3\n')
  })

  it('follows nothing without -L: the 301 is the answer', async () => {
    const s = await chain()
    const r = await cli([`${s.url}/a`])
    expect(r.code).toBe(0)
    expect(r.lines[0]).toMatch(/ 301 /)
    expect(r.lines[0]).not.toContain('→')
    expect(s.log).toHaveLength(1)
  })

  it('stops a loop at --max-redirs with TOO_MANY_REDIRECTS and exit status 1', async () => {
    const s = await start({ '/loop': () => [302, '/loop'] })
    const r = await cli(['-L', '--max-redirs', '2', `${s.url}/loop`])
    expect(r.code).toBe(1)
    expect(s.log).toHaveLength(3)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(
      /^#3 GET \S+\/loop failed: TOO_MANY_REDIRECTS \(receive\): stopped after 2 redirects \(max 2\)/,
    )
    expect(r.errors[0]).toContain('↳ hop 2 of #1')
  })

  it('refuses --max-redirs without -L, and a count out of range, naming the fix', async () => {
    const s = await chain()
    const alone = await cli(['--max-redirs', '3', `${s.url}/a`])
    expect([alone.code, alone.stderr]).toEqual([
      2,
      'sockeye: --max-redirs needs -L (--location) to follow redirects\n',
    ])
    const big = await cli(['-L', '--max-redirs', '51', `${s.url}/a`])
    expect([big.code, big.stderr]).toEqual([
      2,
      "sockeye: --max-redirs must be an integer from 0 to 50 (got '51')\n",
    ])
    expect(s.log).toHaveLength(0)
  })

  it('carries the links in --json and --har (each hop its own HAR entry with _redirectOf)', async () => {
    const s = await chain()
    const json = await cli(['-L', '--json', `${s.url}/a`])
    const doc = JSON.parse(json.stdout)
    expect(
      doc.requests.map((q: { redirect: unknown; redirectedTo: unknown }) => [q.redirect, q.redirectedTo]),
    ).toEqual([
      [null, 2],
      [{ from: 1, hop: 1, head: 1 }, 3],
      [{ from: 2, hop: 2, head: 1 }, null],
    ])
    const dir = await tempDir()
    const file = join(dir, 'chain.har')
    const har = await cli(['-L', '--har', file, `${s.url}/a`])
    expect(har.code).toBe(0)
    const entries = JSON.parse(await readFile(file, 'utf8')).log.entries
    expect(entries).toHaveLength(3)
    expect(
      entries.map((e: { _redirectOf?: number; _redirectHop?: number }) => [e._redirectOf, e._redirectHop]),
    ).toEqual([
      [undefined, undefined],
      [1, 1],
      [2, 2],
    ])
    expect(entries.map((e: { response: { redirectURL: string } }) => e.response.redirectURL)).toEqual([
      '/b',
      '/c',
      '',
    ])
    expect(entries.map((e: { connection: string }) => e.connection)).toEqual(['1', '1', '1'])
  })
})
