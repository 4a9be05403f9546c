import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpServer, type TestServer } from '../helpers/servers'

const root = resolve(__dirname, '../..')

/** Run a sockeye script (the repo's bin by default) to completion; `ms` is the wall time to exit. */
function sockeye(args: string[], script = resolve(root, 'bin/sockeye.js')) {
  const started = performance.now()
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((done) => {
    execFile(process.execPath, [script, ...args], { cwd: root, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0
      done({ code: typeof code === 'number' ? code : null, stdout, stderr, ms: performance.now() - started })
    })
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

  it('on SIGINT closes the engine, prints the summary so far and exits 130', async () => {
    requireBuild()
    let child: ReturnType<typeof spawn> | null = null
    // This server never answers; it interrupts the CLI once the request has arrived.
    const hanging = await startHttpServer(() => child?.kill('SIGINT'))
    try {
      child = spawn(process.execPath, ['bin/sockeye.js', `${hanging.url}/hang`], { cwd: root })
      let stdout = ''
      let stderr = ''
      child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
      const [code] = await once(child, 'exit')
      expect(code).toBe(130)
      expect(stdout).toContain(`${hanging.origin}\n  Number of connections: 1\n  Number of requests: 1`)
      expect(stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^#1 GET .*\/hang failed: /)])
    } finally {
      child?.kill('SIGKILL')
      await hanging.close()
    }
  })

  it('explains a busy --port for serve in one line and exits 1', async () => {
    requireBuild()
    const r = await sockeye(['serve', '--port', String(server.port)])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `sockeye: serve: port ${server.port} is already in use; pick another with --port, or omit it\n`,
    )
  })

  it('says to build first when out/ is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sockeye-bin-'))
    try {
      await mkdir(join(dir, 'bin'))
      await copyFile(resolve(root, 'bin/sockeye.js'), join(dir, 'bin/sockeye.js'))
      const r = await sockeye(['http://127.0.0.1:1/'], join(dir, 'bin/sockeye.js'))
      expect(r.code).toBe(2)
      expect(r.stderr).toBe('sockeye: not built yet; run `npm run build` first\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
