import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startHttpServer, startHttpsServer } from '../helpers/servers'
import { cli, closeAfterTest, closeReusedSockets, server, useCliHarness } from './cli.harness'

useCliHarness()

describe('sockeye CLI failures', () => {
  it('refuses a HAR path in a missing directory before sending anything', async () => {
    const s = await server()
    const r = await cli(['--har', '/nonexistent-sockeye-dir/x.har', `${s.url}/`])
    expect(r.code).toBe(2)
    expect(r.errors).toEqual([expect.stringMatching(/^sockeye: --har .*does not exist; create it first$/)])
    expect(s.connections()).toBe(0)
  })

  it('refuses a HAR path that is a directory before sending anything', async () => {
    const s = await server()
    const r = await cli(['--har', tmpdir(), `${s.url}/`])
    expect(r.code).toBe(2)
    expect(r.errors).toEqual([`sockeye: --har ${tmpdir()} is a directory; give a file name`])
    expect(s.connections()).toBe(0)
  })

  it('reports a missing -d @file as FILE_NOT_FOUND without sending', async () => {
    const s = await server()
    const r = await cli(['-d', '@/nonexistent-sockeye-body.json', `${s.url}/`])
    expect(r.code).toBe(2)
    expect(r.errors).toEqual([
      expect.stringMatching(/^sockeye: FILE_NOT_FOUND: --data @\/nonexistent-sockeye-body\.json/),
    ])
    expect(s.connections()).toBe(0)
  })

  it('exits 1 with one stderr line when the connection is refused', async () => {
    const closed = await startHttpServer()
    await closed.close()
    const r = await cli([`${closed.url}/`])
    expect(r.code).toBe(1)
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^#1 GET http:\/\/127\.0\.0\.1:\d+\/ failed: CONNECTION_REFUSED \(connect\): .+$/,
      ),
    ])
  })

  it('reports a refused connection in --json as an error value with a consistent socket', async () => {
    const closed = await startHttpServer()
    await closed.close()
    const r = await cli(['--json', `${closed.url}/`])
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    const [req] = doc.requests
    expect(req.status).toBeNull()
    expect(req.error).toEqual({ code: 'CONNECTION_REFUSED', phase: 'connect', message: expect.any(String) })
    const ids = doc.connections.map((c: { id: number }) => c.id)
    expect(req.socket === null || ids.includes(req.socket)).toBe(true)
    expect(doc.pools).toEqual([expect.objectContaining({ numConnections: 0, numRequests: 1 })])
  })

  it('exits 0 when a GET on a stale reused socket succeeds on its one retry', async () => {
    const s = await server(closeReusedSockets)
    const r = await cli([`${s.url}/1`, `${s.url}/2`])
    expect(r.code).toBe(0)
    expect(r.errors).toEqual([
      expect.stringMatching(/^#2 GET .*\/2 failed: STALE_SOCKET \(send\): .*retrying once on a fresh socket/),
    ])
    expect(r.stdout).toMatch(/#3 +GET +\S+\/2 +200 .*socket #2 new \(retry after a stale socket\)/)
  })

  it('exits 1 and never resends a POST that failed on a stale reused socket', async () => {
    let posts = 0
    const s = await server((req, res) => {
      if (req.method === 'POST') posts++
      closeReusedSockets(req, res)
    })
    const r = await cli(['-d', 'x', `${s.url}/1`, `${s.url}/2`])
    expect(r.code).toBe(1)
    expect(r.errors).toEqual([expect.stringMatching(/^#2 POST .*\/2 failed: /)])
    expect(posts).toBe(2)
  })

  it('rejects ftp:// as a usage error naming UNSUPPORTED_SCHEME', async () => {
    const r = await cli(['ftp://x'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.errors).toEqual([expect.stringMatching(/^sockeye: UNSUPPORTED_SCHEME: ftp:\/\/ .*'ftp:\/\/x'/)])
  })

  it('fails TLS verification of a self-signed certificate without --insecure', async () => {
    const s = closeAfterTest(await startHttpsServer())
    const r = await cli([`${s.url}/`])
    expect(r.code).toBe(1)
    expect(r.errors).toEqual([expect.stringMatching(/failed: TLS_SELF_SIGNED \(tls\): /)])
  })

  it('fails a request whose response headers do not arrive within --timeout', async () => {
    const s = await server(() => {})
    const r = await cli(['--timeout', '200', `${s.url}/slow`])
    expect(r.code).toBe(1)
    expect(r.errors).toEqual([expect.stringMatching(/\/slow failed: HEADERS_TIMEOUT \(wait\): /)])
  })
})

describe('sockeye input errors', () => {
  // URLs, methods and headers are checked by the engine's validator before anything is sent:
  // one line `sockeye: CODE: …` on stderr, nothing on stdout, exit 2, no connection made.
  const cases: Array<[(url: string) => string[], string]> = [
    [() => ['example.com'], 'INVALID_URL'],
    [() => ['http://'], 'MISSING_HOST'],
    [() => ['http://127.0.0.1:99999/'], 'INVALID_PORT'],
    [() => ['http://127.0.0.1:0/'], 'INVALID_PORT'],
    [(url) => ['-X', 'GE T', url], 'INVALID_METHOD'],
    [(url) => ['-H', 'Bad Name: v', url], 'INVALID_HEADER'],
    [(url) => ['-H', 'X-A: a\r\nInjected: 1', url], 'INVALID_HEADER'],
    [(url) => ['-H', 'Content-Length: 5', url], 'INVALID_HEADER'],
    [(url) => [url, 'gopher://old'], 'UNSUPPORTED_SCHEME'],
  ]

  for (const [argv, code] of cases) {
    it(`rejects ${JSON.stringify(argv('URL').join(' '))} with ${code} and exit 2`, async () => {
      const s = await server()
      const r = await cli(argv(`${s.url}/`))
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(new RegExp(`^sockeye: ${code}: [^\\n]+\\n$`))
      expect(s.connections()).toBe(0)
    })
  }
})
