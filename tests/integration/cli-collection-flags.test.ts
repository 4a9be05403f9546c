/**
 * `sockeye run <folder>` takes `-L/--max-redirs` and `-b/--cookie-jar` with the meaning they have for
 * `sockeye <url>`. The loopback server's own log (paths, Cookie headers) is the judge of every hop and
 * of what the jar sent.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenCollection } from '@opencollection/types'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { runCollection } from '../../electron/cli/collection'
import { writeCollection } from '../../electron/workspace/collection'
import { startRedirectServer, type RedirectServer } from '../helpers/redirects'
import { tempDirs } from '../helpers/tmp'
import { useCliHarness } from './cli.harness'

useCliHarness()
const tmp = tempDirs('run-flags')
const servers: RedirectServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** `/login` answers 302 → `/home` with `Set-Cookie: sid=42`; every other path 200. */
async function loginServer() {
  const s = await startRedirectServer({
    '/login': (_req, res) => {
      res.setHeader('set-cookie', 'sid=42; Path=/')
      return [302, '/home']
    },
  })
  servers.push(s)
  return s
}

const request = (name: string, seq: number, url: string, settings?: HttpRequest['settings']) =>
  ({
    info: { name, type: 'http', seq },
    http: { method: 'GET', url },
    ...(settings ? { settings } : {}),
  }) as HttpRequest

/** A collection: Login (→ 302 with a cookie), then Next. */
async function collection(base: string, settings?: HttpRequest['settings']) {
  const dir = tmp()
  const doc = {
    opencollection: '1.0.0',
    info: { name: 'Flags' },
    items: [request('Login', 1, `${base}/login`, settings), request('Next', 2, `${base}/next`)],
  } as OpenCollection
  await writeCollection(dir, doc)
  return dir
}

async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCollection(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  })
  return {
    code,
    lines: stdout.split('\n').filter((l) => l.startsWith('#')),
    errors: stderr.split('\n').filter(Boolean),
  }
}

const cookies = (s: RedirectServer) => s.log.map((r) => `${r.path} ${r.headers.cookie ?? '-'}`)

describe('sockeye run <folder> -L / --max-redirs', () => {
  it('follows nothing without -L when the file does not ask: the 302 is the answer', async () => {
    const s = await loginServer()
    const r = await run([await collection(s.url)])
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(s.log.map((x) => x.path)).toEqual(['/login', '/next'])
  })

  it('-L follows the hop: the server sees /home between the two requests', async () => {
    const s = await loginServer()
    const r = await run(['-L', await collection(s.url)])
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(s.log.map((x) => x.path)).toEqual(['/login', '/home', '/next'])
    expect(r.lines[1]).toMatch(/\/home +200 .*↳ hop 1 of #1$/)
  })

  it("without -L the file's settings.followRedirects decides; -L overrides its maxRedirects", async () => {
    const s = await loginServer()
    const r = await run([await collection(s.url, { followRedirects: true, maxRedirects: 0 })])
    // max 0: the file asks to follow, but no hop is allowed.
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/TOO_MANY_REDIRECTS/)
    expect(s.log.map((x) => x.path)).toEqual(['/login', '/next'])
    s.log.length = 0
    const again = await run(['-L', '--max-redirs', '1', await collection(s.url, { followRedirects: false })])
    expect(again.errors).toEqual([])
    expect(s.log.map((x) => x.path)).toEqual(['/login', '/home', '/next'])
  })

  it('refuses --max-redirs without -L, and a count out of range, in one line, sending nothing', async () => {
    const s = await loginServer()
    const dir = await collection(s.url)
    const alone = await run(['--max-redirs', '3', dir])
    expect(alone.code).toBe(2)
    expect(alone.errors).toEqual(['sockeye: --max-redirs needs -L (--location) to follow redirects'])
    const big = await run(['-L', '--max-redirs', '51', dir])
    expect(big.code).toBe(2)
    expect(big.errors).toEqual(["sockeye: --max-redirs must be an integer from 0 to 50 (got '51')"])
    expect(s.log).toEqual([])
  })
})

describe('sockeye run <folder> -b / --cookie-jar', () => {
  it('keeps no cookies without -b or --cookie-jar', async () => {
    const s = await loginServer()
    await run(['-L', await collection(s.url)])
    expect(cookies(s)).toEqual(['/login -', '/home -', '/next -'])
  })

  it('--cookie-jar keeps the 302 cookie for the hop and the next request, and writes it to the file', async () => {
    const s = await loginServer()
    const file = join(tmp(), 'jar.txt')
    const r = await run(['-L', '--cookie-jar', file, await collection(s.url)])
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(cookies(s)).toEqual(['/login -', '/home sid=42', '/next sid=42'])
    expect(r.lines[0]).toMatch(/cookies: sent 0, set 1$/)
    expect(r.lines[2]).toMatch(/cookies: sent 1, set 0$/)
    const text = readFileSync(file, 'utf8')
    expect(text).toMatch(/^# Netscape HTTP Cookie File\n/)
    expect(text).toMatch(/^127\.0\.0\.1\tFALSE\t\/\tFALSE\t0\tsid\t42$/m)
  })

  it("-b FILE reads a jar back and -b 'a=1' is sent as written on every request", async () => {
    const s = await loginServer()
    const file = join(tmp(), 'jar.txt')
    await run(['--cookie-jar', file, await collection(s.url)])
    s.log.length = 0
    const r = await run(['-b', file, '-b', 'x=1', await collection(s.url)])
    expect(r.errors).toEqual([])
    expect(cookies(s)).toEqual(['/login x=1; sid=42', '/next x=1; sid=42'])
  })

  it('refuses an empty --cookie-jar and a directory as the jar, sending nothing', async () => {
    const s = await loginServer()
    const dir = await collection(s.url)
    const empty = await run(['--cookie-jar=', dir])
    expect(empty.code).toBe(2)
    expect(empty.errors).toEqual(['sockeye: --cookie-jar needs a file name'])
    const folder = await run(['--cookie-jar', tmp(), dir])
    expect(folder.code).toBe(2)
    expect(folder.errors).toHaveLength(1)
    expect(folder.errors[0]).toMatch(/^sockeye: --cookie-jar /)
    expect(s.log).toEqual([])
  })
})
