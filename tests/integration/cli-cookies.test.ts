import { execFile } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cli, tempDir, useCliHarness } from './cli.harness'
import { CURL, requireCurl } from '../helpers/curl'
import { setPath, startCookieServer, type CookieServer } from '../helpers/cookieServer'

useCliHarness()
let server: CookieServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})
beforeAll(requireCurl)

/** Real curl, argv as given (no shell), bounded in time. */
const curl = (...args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(CURL, ['-s', '-o', '/dev/null', ...args], { timeout: 10_000 }, (err, _o, stderr) =>
      err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(),
    ),
  )

const SET = ['a=1; Path=/', 'deep=2; Path=/deep', 'h=3; HttpOnly; Max-Age=600', 'd=4; Domain=127.0.0.1']
/** A Cookie header's pairs, sorted: RFC 6265 §5.4 leaves same-path order to creation time. */
const pairs = (header: string | null | undefined) => (header ?? '').split('; ').sort()

describe('sockeye -b / --cookie-jar (curl as the oracle)', () => {
  it("keeps no cookies without -b or --cookie-jar (curl's rule)", async () => {
    server = await startCookieServer()
    const r = await cli([server.url + setPath('a=1'), server.url + '/next'])
    expect(r.code).toBe(0)
    expect(server.seen.map((s) => s.cookie)).toEqual([null, null])
    expect(r.stdout).not.toContain('cookies:')
  })

  it('--cookie-jar keeps a jar across the run, says so per request, and writes a file curl -b reads', async () => {
    server = await startCookieServer()
    const dir = await tempDir()
    const file = join(dir, 'jar.txt')
    const r = await cli(['--cookie-jar', file, server.url + setPath(...SET), server.url + '/deep/x'])
    expect(r.code).toBe(0)
    expect(r.lines[0]).toMatch(/cookies: sent 0, set 4$/)
    expect(r.lines[1]).toMatch(/cookies: sent 4, set 0$/)
    const sockeyeSent = server.seen[1]!.cookie
    expect(sockeyeSent?.startsWith('deep=2; ')).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toMatch(/^# Netscape HTTP Cookie File\n/)
    await curl('-b', file, server.url + '/deep/x')
    const curlSent = server.seen[2]!.cookie
    expect(pairs(curlSent)).toEqual(pairs(sockeyeSent))
    expect(pairs(curlSent)).toEqual(['a=1', 'd=4', 'deep=2', 'h=3'])
  })

  it('-b FILE reads what curl -c wrote: the server sees what curl itself sends', async () => {
    server = await startCookieServer()
    const dir = await tempDir()
    const file = join(dir, 'curl.txt')
    await curl('-c', file, server.url + setPath(...SET))
    await curl('-b', file, server.url + '/deep/y')
    const r = await cli(['-b', file, server.url + '/deep/y'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const [, byCurl, bySockeye] = server.seen.map((s) => s.cookie)
    expect(pairs(bySockeye)).toEqual(pairs(byCurl))
    expect(bySockeye?.startsWith('deep=2; ')).toBe(true)
  })

  it('-b FILE -c FILE: a missing file is an empty jar, written after the run (round trip)', async () => {
    server = await startCookieServer()
    const file = join(await tempDir(), 'both.txt')
    expect(
      (await cli(['-b', file, '--cookie-jar', file, server.url + setPath('s=1; Max-Age=600')])).code,
    ).toBe(0)
    expect((await cli(['-b', file, '--cookie-jar', file, server.url + setPath('t=2')])).code).toBe(0)
    await cli(['-b', file, server.url + '/check'])
    expect(server.seen.map((s) => s.cookie)).toEqual([null, 's=1', 's=1; t=2'])
  })

  it("-b 'a=1; b=2' is sent as written, next to the jar's cookies", async () => {
    server = await startCookieServer()
    const r = await cli(['-b', 'a=1; b=2', server.url + setPath('j=9'), server.url + '/again'])
    expect(r.code).toBe(0)
    expect(server.seen.map((s) => s.cookie)).toEqual(['a=1; b=2', 'a=1; b=2; j=9'])
  })

  it('--json and --har carry the cookies sent and set (HAR 1.2 request/response cookies)', async () => {
    server = await startCookieServer()
    const har = join(await tempDir(), 'run.har')
    const r = await cli([
      '--json',
      '--har',
      har,
      '-b',
      'mine=1',
      server.url + setPath('ok=1', 'far=2; Domain=example.com'),
      server.url + '/again',
    ])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { requests: Array<{ cookies?: { sent: unknown[]; set: unknown[] } }> }
    expect(doc.requests[0]!.cookies?.set).toMatchObject([
      { name: 'ok', accepted: true },
      { name: 'far', accepted: false },
    ])
    expect(doc.requests[1]!.cookies?.sent).toMatchObject([
      { name: 'mine', from: 'header' },
      { name: 'ok', from: 'jar', domain: '127.0.0.1', path: '/' },
    ])
    const entries = JSON.parse(readFileSync(har, 'utf8')).log.entries
    expect(entries[0].response.cookies).toMatchObject([
      { name: 'ok', value: '1', comment: 'stored in the cookie jar' },
      { name: 'far', value: '2', domain: 'example.com' },
    ])
    expect(entries[0].response.cookies[1].comment).toMatch(
      /^rejected by the cookie jar: Cookie not in this host's domain/,
    )
    expect(entries[1].request.cookies).toEqual([
      { name: 'mine', value: '1' },
      { name: 'ok', value: '1', domain: '127.0.0.1', path: '/', comment: 'from the cookie jar' },
    ])
  })

  it('refuses a FIFO or device as --cookie-jar before sending, and an endless -b file', async () => {
    server = await startCookieServer()
    const r = await cli(['--cookie-jar', '/dev/null', server.url + '/x'])
    expect(r.code).toBe(2)
    expect(r.errors).toEqual([
      expect.stringMatching(/^sockeye: --cookie-jar \/dev\/null is a device; refusing/),
    ])
    const endless = await cli(['-b', '/dev/zero', server.url + '/x'])
    expect(endless.code).toBe(2)
    expect(endless.errors).toEqual([expect.stringMatching(/--cookie \/dev\/zero is larger than 16 MiB/)])
    expect(server.seen).toEqual([])
  })

  it('skips lines of a -b file that are not cookies, with one note', async () => {
    server = await startCookieServer()
    const file = join(await tempDir(), 'odd.txt')
    writeFileSync(file, '# comment\nnot a cookie line\n127.0.0.1\tFALSE\t/\tFALSE\t0\tk\tv\n')
    const r = await cli(['-b', file, server.url + '/x'])
    expect(r.errors).toEqual([
      `sockeye: --cookie ${file}: skipped 1 line(s) that are not Netscape cookie lines`,
    ])
    expect(server.seen[0]!.cookie).toBe('k=v')
  })
})
