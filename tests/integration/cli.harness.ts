/**
 * Runs the CLI in-process (no spawn) against loopback servers the test starts; every server and
 * temporary directory is closed or removed after each test.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { main } from '../../electron/cli/run'
import { echo, startHttpServer, type Handler, type TestServer } from '../helpers/servers'

/** Run `sockeye argv…` and capture what it writes. */
export async function cli(argv: string[], signal?: AbortSignal) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    signal,
  })
  return { code, stdout, stderr, lines: stdout.split('\n'), errors: stderr.split('\n').filter(Boolean) }
}

const servers: TestServer[] = []
const dirs: string[] = []

/** Register cleanup for the calling test file. */
export function useCliHarness(): void {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
  })
}

/** Keep a server started elsewhere (https, h2) until the end of the test. */
export function closeAfterTest<T extends TestServer>(server: T): T {
  servers.push(server)
  return server
}

/** A loopback HTTP/1.1 server closed after the test. */
export async function server(handler?: Handler, options?: Parameters<typeof startHttpServer>[1]) {
  return closeAfterTest(await startHttpServer(handler, options))
}

/** A temporary directory removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sockeye-cli-'))
  dirs.push(dir)
  return dir
}

/** Answers the first request on each socket; drops the socket when a second one arrives on it. */
const served = new WeakSet<object>()
export const closeReusedSockets: Handler = (req, res) => {
  if (served.has(req.socket)) {
    req.socket.destroy()
    return
  }
  served.add(req.socket)
  echo(req, res)
}
