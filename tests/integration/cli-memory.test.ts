import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpServer, type TestServer } from '../helpers/servers'

const root = resolve(__dirname, '../..')
const TIME = '/usr/bin/time'

/** Peak RSS (KiB, from GNU time's %M) and the JSON report of one whole sockeye process. */
function measured(args: string[]) {
  return new Promise<{ code: number | null; peakKiB: number; stdout: string }>((done, fail) => {
    execFile(
      TIME,
      ['-f', 'peak-rss-kib=%M', process.execPath, resolve(root, 'bin/sockeye.js'), ...args],
      { cwd: root, maxBuffer: 512 * 1024 * 1024, timeout: 240_000 },
      (err, stdout, stderr) => {
        const peak = /peak-rss-kib=(\d+)/.exec(stderr)
        if (!peak) return fail(new Error(`no peak RSS from ${TIME}: ${err?.message ?? stderr.slice(-300)}`))
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, peakKiB: Number(peak[1]), stdout })
      },
    )
  })
}

describe('sockeye memory', () => {
  let server: TestServer
  beforeAll(async () => {
    if (!existsSync(resolve(root, 'out/main/cli.js'))) throw new Error('run npm run build first')
    if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to measure peak RSS`)
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ok":true,"msg":"hello from the loopback server"}\n')
    })
  })
  afterAll(() => server.close())

  // Issue 7: `-n 100000 -c 10 --json` peaked at 540 MiB (one 150 MB JSON string on top of the records).
  it('sends 100,000 requests with --json under 300 MiB peak RSS, every one in the report', async () => {
    const r = await measured(['-n', '100000', '-c', '10', '--json', `${server.url}/`])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as { requests: Array<{ id: number; status: number }> }
    expect(report.requests).toHaveLength(100_000)
    expect(report.requests.every((q) => q.status === 200)).toBe(true)
    expect(r.peakKiB / 1024).toBeLessThan(300)
  }, 240_000)

  // Built as one HAR object and one string, 100,000 requests peaked at 1,010 MiB RSS; streamed, 224 MiB.
  it('writes a HAR of 50,000 requests, bodies included, under 300 MiB peak RSS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sockeye-har-'))
    try {
      const har = join(dir, 'run.har')
      const r = await measured(['-n', '50000', '-c', '10', '--har', har, `${server.url}/`])
      expect(r.code).toBe(0)
      const doc = JSON.parse(await readFile(har, 'utf8')) as {
        log: { entries: Array<{ response: { content: { text?: string } } }> }
      }
      expect(doc.log.entries).toHaveLength(50_000)
      expect(doc.log.entries.at(-1)?.response.content.text).toContain('hello from the loopback server')
      expect(r.peakKiB / 1024).toBeLessThan(300)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
