import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpServer, type TestServer } from '../helpers/servers'

const root = resolve(__dirname, '../..')

function sockeye(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now()
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['bin/sockeye.js', ...args],
      { cwd: root, timeout: 15_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? null) : 0
        done({
          code: typeof code === 'number' ? code : null,
          stdout,
          stderr,
          ms: performance.now() - started,
        })
      },
    )
  })
}

function requireBuild(): void {
  if (!existsSync(resolve(root, 'out/main/cli.js'))) {
    throw new Error('out/main/cli.js is missing: run npm run build first')
  }
}

describe('the built sockeye command', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startHttpServer()
  })
  afterAll(() => server.close())

  it('prints a JSON report from bin/sockeye.js and exits on its own', async () => {
    requireBuild()
    const r = await sockeye(['--json', `${server.url}/?q=python&v=1.0`])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.requests).toEqual([
      expect.objectContaining({ status: 200, socket: 1, reused: false, reason: 'first' }),
    ])
    expect(doc.connections).toEqual([expect.objectContaining({ id: 1, origin: server.origin })])
    // No socket or timer may keep the process alive after the report (the engine closed its pools).
    expect(r.ms).toBeLessThan(5000)
  })

  it('serves browser mode on a tokenised loopback URL until SIGINT, then exits 0', async () => {
    requireBuild()
    const child = spawn(process.execPath, ['bin/sockeye.js', 'serve', '--port', '0'], { cwd: root })
    try {
      let out = ''
      child.stdout.setEncoding('utf8')
      const url = await new Promise<string>((found, failed) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk
          const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)
          if (match) found(match[0])
        })
        child.once('exit', (code) =>
          failed(new Error(`sockeye serve exited ${code} before printing its URL`)),
        )
      })
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      await page.arrayBuffer()
      const exited = once(child, 'exit')
      child.kill('SIGINT')
      const [code] = await exited
      expect(code).toBe(0)
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
})
