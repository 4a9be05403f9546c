/**
 * Runs the built Sockeye CLI as a user would (`node bin/sockeye.js --json …`) and the peers
 * (curl, urllib3) in child processes, each bounded in time.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { resolve } from 'node:path'
import type { ConnectionInfo, PoolStats, RequestResult } from '../../../electron/contract'

const root = resolve(__dirname, '../../..')

/** `sockeye --json` output. */
export interface Report {
  requests: RequestResult[]
  connections: ConnectionInfo[]
  pools: PoolStats[]
}

export interface CliRun {
  args: string[]
  code: number | null
  stdout: string
  stderr: string
  report: Report | null
}

function run(command: string, args: string[], timeout: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    execFile(command, args, { cwd: root, timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0
      done({ code: typeof code === 'number' ? code : null, stdout, stderr })
    })
  })
}

/**
 * `sockeye --json args…` (the built CLI: `npx electron-vite build` writes out/main/cli.js); with
 * `json` false, the human output (report null).
 */
export async function sockeye(args: string[], timeout = 30_000, json = true): Promise<CliRun> {
  if (!existsSync(resolve(root, 'out/main/cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npx electron-vite build` (or npm run build) first')
  }
  const full = json ? ['--json', ...args] : args
  const r = await run(process.execPath, [resolve(root, 'bin/sockeye.js'), ...full], timeout)
  return { args: full, ...r, report: parse(r.stdout) }
}

function parse(stdout: string): Report | null {
  try {
    return JSON.parse(stdout) as Report
  } catch {
    return null
  }
}

/** `curl -v` over `urls` in one invocation (curl's own reuse verdicts are in stderr). */
export function curl(args: string[]) {
  return run('curl', ['-sv', '-o', '/dev/null', ...args], 20_000)
}

/** nghttp (nghttp2's h2 client): `-n` discards bodies, `-m N` requests the URI N times at once. */
export function nghttp(args: string[]) {
  return run('nghttp', args, 20_000)
}

/** Debian's python3 (python3-urllib3 lives there, not in a pyenv interpreter). */
export const PYTHON = '/usr/bin/python3'

/** The seed scenario with urllib3: `HTTPConnectionPool(maxsize=1)`, the URLs in order. */
export function urllib3(origin: string, paths: string[]) {
  const script = [
    'import sys, urllib3',
    'u = urllib3.util.parse_url(sys.argv[1])',
    "cls = urllib3.HTTPSConnectionPool if u.scheme == 'https' else urllib3.HTTPConnectionPool",
    "kw = {'cert_reqs': 'CERT_NONE'} if u.scheme == 'https' else {}",
    'pool = cls(u.host, u.port, maxsize=1, block=True, **kw)',
    'for p in sys.argv[2:]:',
    '    r = pool.request("GET", p, retries=False)',
    '    print(r.status, len(r.data))',
    'print("connections", pool.num_connections, "requests", pool.num_requests)',
  ].join('\n')
  return run(PYTHON, ['-W', 'ignore', '-c', script, origin, ...paths], 20_000)
}

/**
 * One request outside Sockeye, after a scenario, on its own connection: once the server has logged
 * it, the lines of every request answered before it are there too (servers log after responding).
 */
export function mark(url: string): Promise<void> {
  return new Promise((done, fail) => {
    const get = url.startsWith('https:') ? https.get : http.get
    const req = get(
      url,
      { agent: false, rejectUnauthorized: false, headers: { connection: 'close' } },
      (res) => {
        res.resume()
        res.on('end', () => done())
      },
    )
    req.setTimeout(5000, () => req.destroy(new Error(`marker request to ${url} timed out`)))
    req.on('error', fail)
  })
}
