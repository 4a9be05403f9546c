import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type EngineApi } from '../../electron/engine'
import { freePort, requireBinary, startProcess, workDir, type ServerProcess } from './harness/process'
import { lines } from './harness/truth'

/*
 * Followed redirects judged by nginx's own access log: nginx answers `return 302 /b;`, and its
 * `$connection` (its connection serial) and `$connection_requests` (its count of requests on that
 * connection) say which connection carried each hop. Sockeye must report the same socket for every
 * hop, reused, and name the client port nginx logged.
 */
const LINE = /^(\d+) (\d+) (\d+) (\d+) "(\S+) (\S+) (\S+)"$/

describe('redirects against nginx', () => {
  let nginx: ServerProcess
  let origin = ''
  let log = ''
  let engine: EngineApi

  beforeAll(async () => {
    const bin = requireBinary('nginx')
    const dir = workDir('nginx-redirect')
    mkdirSync(join(dir, 'tmp'))
    const port = await freePort()
    log = join(dir, 'access.log')
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
      master_process on;
      worker_processes 1;
      user root;
      pid ${dir}/nginx.pid;
      error_log ${dir}/error.log warn;
      events { worker_connections 64; }
      http {
        default_type text/plain;
        log_format truth '$remote_port $connection $connection_requests $status "$request"';
        access_log ${log} truth;
        client_body_temp_path ${dir}/tmp/body;
        proxy_temp_path ${dir}/tmp/proxy;
        fastcgi_temp_path ${dir}/tmp/fastcgi;
        uwsgi_temp_path ${dir}/tmp/uwsgi;
        scgi_temp_path ${dir}/tmp/scgi;
        keepalive_timeout 60s;
        server {
          listen 127.0.0.1:${port};
          location = /a { return 302 /b; }
          location = /b { return 303 /c; }
          location = /c { return 200 "landed\\n"; }
          location = /loop { return 302 /loop; }
        }
      }\n`,
    )
    nginx = await startProcess({
      name: 'nginx',
      command: bin,
      args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
      dir,
      ports: [port],
    })
    origin = `http://127.0.0.1:${port}`
  })
  afterAll(async () => {
    await engine?.close()
    await nginx?.stop()
  })

  /** nginx's log lines, once it has written at least `count` (waiting at most 3 s). */
  async function hits(count: number) {
    const deadline = Date.now() + 3000
    for (;;) {
      const all = lines(log).flatMap((l) => {
        const m = LINE.exec(l)
        return m
          ? [{ port: +m[1]!, connection: m[2]!, nth: +m[3]!, status: +m[4]!, method: m[5]!, path: m[6]! }]
          : []
      })
      if (all.length >= count || Date.now() > deadline) return all
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  it('sends every hop of a 302 → 303 → 200 chain on the one keep-alive connection nginx logged', async () => {
    engine = createEngine()
    const final = await engine.send({
      method: 'POST',
      url: `${origin}/a`,
      headers: [['content-type', 'text/plain']],
      body: 'x',
      redirects: { follow: true, max: 10 },
    })
    expect(final.status).toBe(200)
    const seen = await hits(3)
    expect(seen.map((h) => `${h.method} ${h.path} ${h.status}`)).toEqual([
      'POST /a 302',
      'GET /b 303',
      'GET /c 200',
    ])
    // nginx: one connection, its 1st, 2nd and 3rd request.
    expect(new Set(seen.map((h) => h.connection)).size).toBe(1)
    expect(seen.map((h) => h.nth)).toEqual([1, 2, 3])
    // Sockeye: the same, with the client port nginx logged.
    const results = engine.results()
    expect(results.map((r) => [r.socket, r.reused, r.nth])).toEqual([
      [1, false, 1],
      [1, true, 2],
      [1, true, 3],
    ])
    const socket = engine.connections().find((c) => c.id === 1)
    expect(socket?.localPort).toBe(seen[0]!.port)
    expect(results.map((r) => r.redirect?.hop ?? 0)).toEqual([0, 1, 2])
  })

  it('stops a loop after max hops with TOO_MANY_REDIRECTS: nginx logged max + 1 requests', async () => {
    const before = (await hits(0)).length
    const final = await engine.send({
      method: 'GET',
      url: `${origin}/loop`,
      headers: [],
      body: null,
      redirects: { follow: true, max: 4 },
    })
    expect(final.error?.code).toBe('TOO_MANY_REDIRECTS')
    const seen = (await hits(before + 5)).slice(before)
    expect(seen.map((h) => h.path)).toEqual(Array(5).fill('/loop'))
    // Still the connection the first test used: it stayed open and idle between the two sends.
    expect(new Set(seen.map((h) => h.connection)).size).toBe(1)
    expect(seen.map((h) => h.nth)).toEqual([4, 5, 6, 7, 8])
  })
})
