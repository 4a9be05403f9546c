import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/run'
import { echo, startH2Server, startHttpsServer } from '../helpers/servers'
import { cli, closeAfterTest, server, tempDir, useCliHarness } from './cli.harness'

useCliHarness()

const REQUEST_KEYS = [
  'id',
  'method',
  'url',
  'status',
  'contentType',
  'bodyBytes',
  'socket',
  'reused',
  'reason',
]
const TIMING_KEYS = ['blocked', 'connect', 'dns', 'receive', 'send', 'ssl', 'wait']
const CONNECTION_KEYS = [
  'id',
  'origin',
  'protocol',
  'remoteAddress',
  'remotePort',
  'localPort',
  'tls',
  'requests',
]

describe('sockeye CLI against loopback servers', () => {
  it('sends both query-string GETs on one reused socket with a pool of one (the founding scenario)', async () => {
    const s = await server()
    const r = await cli(['--connections', '1', `${s.url}/?q=python&v=1.0`, `${s.url}/?q=php&v=1.0`])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.lines[0]).toMatch(
      /^#1 +GET +http:\/\/127\.0\.0\.1:\d+\/\?q=python&v=1\.0 +200 +application\/json +\d+ B/,
    )
    expect(r.lines[0]).toContain('socket #1 new (first)')
    expect(r.lines[1]).toMatch(/^#2 +GET +http:\/\/127\.0\.0\.1:\d+\/\?q=php&v=1\.0 +200 /)
    expect(r.lines[1]).toContain('socket #1 reused (2nd request)')
    expect(r.stdout).toContain(`${s.origin}\n  Number of connections: 1\n  Number of requests: 2\n`)
    // The client's idle timer beside the server's hint it was derived from (5 s − 1 s margin).
    expect(r.stdout).toMatch(
      / {2}socket #1 {2}http\/1\.1 {2}127\.0\.0\.1:\d+ ← :\d+ {2}2 requests {2}idle timer 4000 ms \(server Keep-Alive: timeout=5\) {2}open/,
    )
    expect(s.connections()).toBe(1)
  })

  it('prints one JSON document whose request sockets are its connection ids', async () => {
    const s = await server()
    const r = await cli(['--json', '--connections', '1', `${s.url}/a`, `${s.url}/b`])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(Object.keys(doc)).toEqual(['requests', 'connections', 'pools'])
    expect(doc.requests).toHaveLength(2)
    for (const req of doc.requests) {
      for (const key of REQUEST_KEYS) expect(req).toHaveProperty(key)
      expect(Object.keys(req.timings).sort()).toEqual(TIMING_KEYS)
      expect(req.error).toBeNull()
    }
    const ids = doc.connections.map((c: { id: number }) => c.id)
    expect(doc.requests.map((q: { socket: number }) => ids.includes(q.socket))).toEqual([true, true])
    expect(doc.requests.map((q: { reused: boolean }) => q.reused)).toEqual([false, true])
    const [conn] = doc.connections
    for (const key of CONNECTION_KEYS) expect(conn).toHaveProperty(key)
    expect(conn).toMatchObject({
      origin: s.origin,
      protocol: 'http/1.1',
      tls: null,
      requests: 2,
      closeReason: null,
    })
    expect(doc.pools).toEqual([
      // The one socket is idle when the report is made, so it counts as free.
      expect.objectContaining({ origin: s.origin, numConnections: 1, numRequests: 2, connected: 1, free: 1 }),
    ])
  })

  it('writes a HAR 1.2 file whose entries name their connection', async () => {
    const s = await server()
    const tmp = await tempDir()
    const file = join(tmp, 'run.har')
    const r = await cli(['--har', file, `${s.url}/one`, `${s.url}/two`])
    expect(r.code).toBe(0)
    const har = JSON.parse(await readFile(file, 'utf8'))
    expect(har.log.version).toBe('1.2')
    expect(har.log.entries.map((e: { request: { url: string } }) => e.request.url)).toEqual([
      `${s.url}/one`,
      `${s.url}/two`,
    ])
    expect(har.log.entries.map((e: { connection: string }) => e.connection)).toEqual(['1', '1'])
    expect(har.log.entries.every((e: { response: { status: number } }) => e.response.status === 200)).toBe(
      true,
    )
  })

  it('opens a new socket per request when the server answers Connection: close', async () => {
    const s = await server((req, res) => {
      res.setHeader('connection', 'close')
      echo(req, res)
    })
    const r = await cli([`${s.url}/1`, `${s.url}/2`])
    expect(r.code).toBe(0)
    expect(r.lines[0]).toContain('socket #1 new (first)')
    expect(r.lines[1]).toContain('socket #2 new (previous socket closed by the server)')
    expect(r.stdout).toContain('Number of connections: 2\n  Number of requests: 2')
    expect(r.stdout).toMatch(/socket #1 .* 1 request {2}idle timer \d+ ms {2}closed \(connection-close/)
    // The last socket too: the server closed it right after the response (the CLI waits for it).
    expect(r.stdout).toMatch(/socket #2 .* 1 request {2}idle timer \d+ ms {2}closed \(connection-close/)
  })

  it("writes each socket's final state into HAR _socket, the last one's close included", async () => {
    const s = await server((req, res) => {
      res.setHeader('connection', 'close')
      echo(req, res)
    })
    const file = join(await tempDir(), 'close.har')
    expect((await cli(['--har', file, `${s.url}/1`, `${s.url}/2`])).code).toBe(0)
    const har = JSON.parse(await readFile(file, 'utf8'))
    const states = har.log.entries.map(
      (e: { _socket: { closeReason: string | null } }) => e._socket.closeReason,
    )
    expect(states).toEqual(['connection-close', 'connection-close'])
  })

  it('opens a new socket after the server keep-alive timeout passes during --delay', async () => {
    // Node sends `Keep-Alive: timeout=1` and closes the idle socket after 1 s.
    const s = await server(echo, { keepAliveTimeout: 1000 })
    const r = await cli(['--delay', '1500', `${s.url}/1`, `${s.url}/2`])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.lines[1]).toMatch(/socket #2 new \(/)
    expect(r.stdout).toContain('Number of connections: 2')
    expect(s.connections()).toBe(2)
  })

  it('sends the URL list --repeat times in order, one at a time by default', async () => {
    const paths: string[] = []
    const s = await server((req, res) => {
      paths.push(req.url ?? '')
      echo(req, res)
    })
    const r = await cli(['-n', '3', `${s.url}/a`, `${s.url}/b`])
    expect(r.code).toBe(0)
    expect(paths).toEqual(['/a', '/b', '/a', '/b', '/a', '/b'])
    expect(r.stdout).toContain('Number of connections: 1\n  Number of requests: 6')
  })

  it('spreads concurrent requests over the allowed connections', async () => {
    const s = await server()
    const r = await cli(['--json', '-c', '4', '--connections', '2', '-n', '8', `${s.url}/`])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.requests).toHaveLength(8)
    expect(doc.connections).toHaveLength(2)
  })

  it('queues concurrent requests behind --connections 1', async () => {
    const s = await server()
    const r = await cli(['--json', '-c', '4', '--connections', '1', '-n', '4', `${s.url}/`])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.connections).toEqual([expect.objectContaining({ id: 1, requests: 4 })])
    expect(s.connections()).toBe(1)
  })

  it('opens a fresh socket for every request with --fresh', async () => {
    const s = await server()
    const r = await cli(['--fresh', `${s.url}/1`, `${s.url}/2`])
    expect(r.code).toBe(0)
    expect(r.lines[1]).toContain('socket #2 new (fresh requested)')
    expect(s.connections()).toBe(2)
  })

  it('exits 0 when every request got a response, whatever its status', async () => {
    const s = await server((_req, res) => {
      res.statusCode = 503
      res.end('busy')
    })
    const r = await cli([`${s.url}/`])
    expect(r.code).toBe(0)
    expect(r.lines[0]).toMatch(/ 503 /)
  })

  it('posts the contents of -d @file', async () => {
    let received = ''
    let method = ''
    const s = await server((req, res) => {
      method = req.method ?? ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (received += c))
      req.on('end', () => res.end('ok'))
    })
    const tmp = await tempDir()
    await writeFile(join(tmp, 'body.json'), '{"q":"python"}')
    const r = await cli(['-d', `@${join(tmp, 'body.json')}`, `${s.url}/`])
    expect(r.code).toBe(0)
    expect(method).toBe('POST')
    expect(received).toBe('{"q":"python"}')
  })

  it('accepts a self-signed certificate with --insecure and shows the TLS version', async () => {
    const s = closeAfterTest(await startHttpsServer())
    const r = await cli(['--insecure', `${s.url}/`])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/socket #1 {2}http\/1\.1 {2}TLSv1\.[23] {2}127\.0\.0\.1:\d+/)
  })

  it('on interrupt closes the engine, prints the summary so far and exits 130', async () => {
    const controller = new AbortController()
    // The server never answers: the run only ends because of the interrupt.
    const s = await server(() => controller.abort())
    const r = await cli([`${s.url}/hang`, `${s.url}/never-sent`], controller.signal)
    expect(r.code).toBe(130)
    expect(r.stdout).toContain('Number of connections: 1')
    expect(r.stdout).not.toContain('never-sent')
    expect(r.errors).toEqual([expect.stringMatching(/^#1 GET .*\/hang failed: /)])
  })

  it('carries five concurrent requests as streams of one h2 connection', async () => {
    const s = closeAfterTest(await startH2Server())
    const r = await cli(['--json', '--h2', '--insecure', '-c', '5', '-n', '5', `${s.url}/`])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.connections).toEqual([expect.objectContaining({ id: 1, protocol: 'h2', requests: 5 })])
    expect(doc.requests.map((q: { socket: number }) => q.socket)).toEqual([1, 1, 1, 1, 1])
  })

  it('speaks HTTP/1.1 to an h2-capable server with --http1.1', async () => {
    const s = closeAfterTest(await startH2Server())
    const r = await cli(['--json', '--http1.1', '--insecure', `${s.url}/`])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).connections).toEqual([expect.objectContaining({ protocol: 'http/1.1' })])
  })

  it('sends every -H header', async () => {
    let seen: Record<string, unknown> = {}
    const s = await server((req, res) => {
      seen = req.headers
      res.end()
    })
    const r = await cli(['-H', 'X-Trace: abc', '-H', 'Accept: text/plain', `${s.url}/`])
    expect(r.code).toBe(0)
    expect(seen).toMatchObject({ 'x-trace': 'abc', accept: 'text/plain' })
  })

  it('closes idle sockets after --keep-alive-timeout even without a server hint', async () => {
    // keepAliveTimeout 0: node sends no `Keep-Alive: timeout=` hint and never closes idle sockets.
    const s = await server(echo, { keepAliveTimeout: 0 })
    const r = await cli(['--keep-alive-timeout', '100', '--delay', '400', `${s.url}/1`, `${s.url}/2`])
    expect(r.code).toBe(0)
    expect(r.lines[1]).toContain('socket #2 new (keep-alive expired)')
    expect(r.stdout).toMatch(/socket #1 .*closed \(idle-timeout/)
  })

  it('colours a TTY unless NO_COLOR is set', async () => {
    const s = await server()
    const write = (sink: string[]) => (chunk: string) => sink.push(chunk)
    const tty: string[] = []
    const plain: string[] = []
    await main([`${s.url}/`], {
      stdout: { write: write(tty), isTTY: true },
      stderr: { write: () => true },
      env: {},
    })
    await main([`${s.url}/`], {
      stdout: { write: write(plain), isTTY: true },
      stderr: { write: () => true },
      env: { NO_COLOR: '1' },
    })
    expect(tty.join('')).toContain('\x1b[32m200\x1b[39m')
    expect(plain.join('')).not.toContain('\x1b[')
  })
})
