/** Real curl (/usr/bin/curl) for oracle tests: a command line run by bash, as a user pastes it. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReadFile } from '../../electron/workspace/import/curl-data'
import { expect } from 'vitest'
import type { EchoServer, Recorded } from './echo'

export const CURL = '/usr/bin/curl'

/**
 * Real curl is the oracle: without it these tests fail with one line rather than skip (a skipped
 * oracle would let any import pass).
 */
export function requireCurl(): void {
  if (!existsSync(CURL))
    throw new Error(`${CURL} is missing: apt-get install curl (the cURL oracle tests need it)`)
}

/** Run `command` (a shell line starting with `curl`) in `cwd`; resolves when curl exits 0. */
export function runCurl(command: string, cwd: string, stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      '/bin/bash',
      ['-c', command],
      { cwd, timeout: 10_000, env: { PATH: '/usr/bin:/bin' } },
      (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve()),
    )
    child.stdin?.end(stdin ?? '')
  })
}

/** File reads relative to the test's directory, as curl resolves `@file`. */
export function readIn(dir: string): ReadFile {
  return (path) => {
    try {
      return readFileSync(join(dir, path))
    } catch {
      return null
    }
  }
}

/** Headers that belong to the transport, not to the command: Host, and curl's h2c upgrade offer. */
const TRANSPORT = new Set(['host', 'connection', 'upgrade', 'http2-settings'])

/**
 * The headers a command defines, for comparing curl's request with Sockeye's: names lower-cased,
 * sorted by name (order is not compared: curl puts its own before -H ones), transport headers out,
 * and curl's own defaults (User-Agent: curl/…, Accept: *\/*) out when the other side lacks them;
 * so is undici's `Content-Length: 0` on a bodiless PUT/POST/PATCH (RFC 9110 §8.6 asks user agents to
 * send it; curl does not).
 */
export function defined(request: Recorded, other: Recorded): Array<[string, string]> {
  const names = new Set(other.headers.map(([n]) => n.toLowerCase()))
  return request.headers
    .map(([n, v]) => [n.toLowerCase(), v] as [string, string])
    .filter(([n]) => !TRANSPORT.has(n))
    .filter(([n, v]) => !(n === 'user-agent' && /^curl\//.test(v) && !names.has(n)))
    .filter(([n, v]) => !(n === 'accept' && v === '*/*' && !names.has(n)))
    .filter(([n, v]) => !(n === 'content-length' && v === '0' && !names.has(n)))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** The multipart boundary of a recorded request, if any. */
export function boundaryOf(request: Recorded): string | null {
  const type = request.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? ''
  return /boundary=([^;]+)/.exec(type)?.[1] ?? null
}

/** Run `command` with real curl and return the one request the echo server recorded for it. */
export async function curlSends(server: EchoServer, command: string, cwd: string): Promise<Recorded> {
  const before = server.requests.length
  await runCurl(command, cwd)
  expect(server.requests.length).toBe(before + 1)
  return server.requests[before] as Recorded
}
