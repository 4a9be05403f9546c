/**
 * `sockeye import`, `export --curl`, `open` and `-d @file`/`-d @-`, in-process against loopback
 * servers and real curl. Round trips: curl → collection on disk → curl; engine HAR → open → HAR.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../electron/contract/limits'
import { runCollection } from '../../electron/cli/collection'
import { runFormats } from '../../electron/cli/formats'
import { main } from '../../electron/cli/run'
import { createEngine } from '../../electron/engine'
import { buildHar } from '../../electron/engine/har'
import { readCollection, requestsInOrder, writeCollection } from '../../electron/workspace/collection'
import { openHar } from '../../electron/workspace/import/recording'
import { startEchoServer, type Recorded } from '../helpers/echo'
import { boundaryOf, defined, requireCurl, runCurl } from '../helpers/curl'
import { closeAfterEach } from '../helpers/engine'
import { startHttpServer, startHttpsServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'

const temp = tempDirs('formats')
const t = closeAfterEach()

async function sockeye(argv: string[], stdin?: Readable) {
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    ...(stdin ? { stdin } : {}),
  }
  const code =
    argv[0] === 'import' || argv[0] === 'export' || argv[0] === 'open'
      ? await runFormats(argv, io)
      : await main(argv, io)
  return { code, stdout, stderr, errors: stderr.split('\n').filter(Boolean) }
}

describe('sockeye import / export --curl', () => {
  it('a curl command imported, saved, loaded and exported makes curl send the same request', async () => {
    requireCurl()
    const echo = await startEchoServer()
    try {
      const dir = temp()
      const command = `curl -X PUT '${echo.url}/items/1?x=a%20b' -H 'X-Trace: 7' -H 'Content-Type: application/json' -u 'al:pw' --data-raw '{"n": "{{constructor.constructor(1)()}}"}'`
      writeFileSync(join(dir, 'cmd.sh'), command)
      const imported = await sockeye(['import', join(dir, 'cmd.sh'), '--into', join(dir, 'col')])
      expect(imported.code).toBe(0)
      expect(imported.stdout).toMatch(/^imported 1 request from .*cmd\.sh \(curl\) into /)
      const exported = await sockeye(['export', join(dir, 'col'), '--curl'])
      expect(exported.code).toBe(0)
      const lines = exported.stdout.trim().split('\n')
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatch(/^# .*\.yml$/)
      await runCurl(command, dir)
      await runCurl(lines[1] ?? '', dir)
      const [original, copied] = echo.requests as [Recorded, Recorded]
      expect(copied.method).toBe(original.method)
      expect(copied.target).toBe(original.target)
      expect(defined(copied, original)).toEqual(defined(original, copied))
      expect(copied.body.toString()).toBe(original.body.toString())
    } finally {
      await echo.close()
    }
  })

  const RUN_COMMANDS = [
    (u: string) =>
      `curl -X POST '${u}/run?q=1' -H 'X-A: 1' -H 'X-A: 2' -A 'agent/1' -b 'c=1' -u 'al:pw' --data-urlencode 'msg=hello world' -d 'n=2'`,
    (u: string) => `curl --json '{"a": [1, 2]}' --oauth2-bearer t0k '${u}/json'`,
    (u: string) => `curl -F 'a=b' -F 'c=d;type=text/plain' '${u}/form'`,
  ]
  it.each(RUN_COMMANDS.map((make, i) => [i, make] as const))(
    'curl command %i imported and run with sockeye run sends what curl sends',
    async (_, make) => {
      requireCurl()
      const echo = await startEchoServer()
      try {
        const dir = temp()
        const command = make(echo.url)
        writeFileSync(join(dir, 'cmd.sh'), command)
        expect((await sockeye(['import', join(dir, 'cmd.sh'), '--into', join(dir, 'col')])).code).toBe(0)
        const run = await runCollection([join(dir, 'col')], {
          stdout: { write: () => true },
          stderr: { write: () => true },
          env: {},
        })
        expect(run).toBe(0)
        await runCurl(command, dir)
        const [ours, curl] = echo.requests as [Recorded, Recorded]
        expect(ours.method).toBe(curl.method)
        expect(ours.target).toBe(curl.target)
        // Multipart boundaries are random on both sides: compare with curl's put for Sockeye's.
        const from = boundaryOf(curl)
        const to = boundaryOf(ours)
        const swap = (text: string) => (from && to ? text.replaceAll(from, to) : text)
        expect(ours.body.toString()).toBe(swap(curl.body.toString()))
        // Boundaries differ in length too: each Content-Length must be its own body's, then it is left out.
        const length = (r: Recorded) => r.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1]
        for (const r of [ours, curl]) expect(length(r)).toBe(String(r.body.length))
        const rest = (list: Array<[string, string]>) => list.filter(([n]) => n !== 'content-length')
        expect(rest(defined(ours, curl))).toEqual(rest(defined(curl, ours)).map(([n, v]) => [n, swap(v)]))
      } finally {
        await echo.close()
      }
    },
  )

  it('imports a Postman collection into folders and exports one command per request', async () => {
    const dir = temp()
    const postman = {
      info: { name: 'P', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [
        { name: 'F', item: [{ name: 'one', request: { method: 'GET', url: 'http://127.0.0.1:1/one' } }] },
        { name: 'two', request: { method: 'DELETE', url: 'http://127.0.0.1:1/two' } },
      ],
    }
    writeFileSync(join(dir, 'p.json'), JSON.stringify(postman))
    expect((await sockeye(['import', join(dir, 'p.json'), '--into', join(dir, 'col')])).code).toBe(0)
    const loaded = await readCollection(join(dir, 'col'))
    expect(loaded.problems).toEqual([])
    expect(requestsInOrder(loaded.items).map((n) => n.path)).toEqual(['F/one.yml', 'two.yml'])
    const out = await sockeye(['export', join(dir, 'col'), '--curl'])
    expect(out.stdout).toBe(
      '# F/one.yml\ncurl http://127.0.0.1:1/one\n# two.yml\ncurl -X DELETE http://127.0.0.1:1/two\n',
    )
  })

  it('resolves variables with --env, keeps them as written without', async () => {
    const dir = temp()
    await writeCollection(join(dir, 'col'), {
      info: { name: 'V' },
      request: { variables: [{ name: 'path', value: '/items' }] },
      items: [
        {
          info: { name: 'list', type: 'http' },
          http: { method: 'GET', url: '{{base}}{{path}}', headers: [{ name: 'X-Env', value: '{{who}}' }] },
        },
      ],
      config: {
        environments: [
          {
            name: 'local',
            variables: [
              { name: 'base', value: 'http://127.0.0.1:8080' },
              { name: 'who', value: 'me' },
            ],
          },
        ],
      },
    })
    const raw = await sockeye(['export', join(dir, 'col'), '--curl'])
    expect(raw.stdout).toBe("# list.yml\ncurl --globoff '{{base}}{{path}}' -H 'X-Env: {{who}}'\n")
    const resolved = await sockeye(['export', join(dir, 'col'), '--curl', '--env', 'local'])
    expect(resolved.stdout).toBe("# list.yml\ncurl http://127.0.0.1:8080/items -H 'X-Env: me'\n")
    expect((await sockeye(['export', join(dir, 'col'), '--curl', '--env', 'prod'])).errors).toEqual([
      'sockeye: --env prod: no such environment (known: local)',
    ])
  })

  it('export --env keeps file parts and file bodies as files, paths resolved: curl sends what sockeye run sends', async () => {
    requireCurl()
    const echo = await startEchoServer()
    try {
      const dir = temp()
      const col = join(dir, 'col')
      await writeCollection(col, {
        info: { name: 'F' },
        items: [
          {
            info: { name: 'form', type: 'http' },
            http: {
              method: 'POST',
              url: `${echo.url}/form`,
              body: {
                type: 'multipart-form',
                data: [
                  { name: 'who', type: 'text', value: '{{who}}' },
                  { name: 'pic', type: 'file', value: 'files/{{pic}}', contentType: 'image/png' },
                ],
              },
            },
          },
          {
            info: { name: 'blob', type: 'http' },
            http: {
              method: 'PUT',
              url: `${echo.url}/blob`,
              body: {
                type: 'file',
                data: [
                  { filePath: 'files/{{pic}}', contentType: 'application/octet-stream', selected: true },
                ],
              },
            },
          },
        ],
        config: {
          environments: [
            {
              name: 'local',
              variables: [
                { name: 'who', value: 'me' },
                { name: 'pic', value: 'a.png' },
              ],
            },
            { name: 'away', variables: [{ name: 'pic', value: '../../outside' }] },
            { name: 'link', variables: [{ name: 'pic', value: 'link.png' }] },
            { name: 'pipe', variables: [{ name: 'pic', value: 'pipe' }] },
            { name: 'big', variables: [{ name: 'pic', value: 'big.bin' }] },
          ],
        },
      })
      mkdirSync(join(col, 'files'))
      writeFileSync(join(col, 'files', 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0x0a]))
      const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} }
      expect(await runCollection([col, '--env', 'local'], io)).toBe(0)
      const exported = await sockeye(['export', col, '--curl', '--env', 'local'])
      expect(exported.errors).toEqual([])
      const commands = exported.stdout.split('\n').filter((line) => line.startsWith('curl '))
      expect(commands).toHaveLength(2)
      expect(commands[0]).toContain('pic=@"files/a.png";type=image/png')
      for (const command of commands) await runCurl(command, col)
      const [oursForm, oursBlob, curlForm, curlBlob] = echo.requests as Recorded[]
      for (const [ours, curl] of [
        [oursForm!, curlForm!],
        [oursBlob!, curlBlob!],
      ] as const) {
        expect(curl.method).toBe(ours.method)
        expect(curl.target).toBe(ours.target)
        const from = boundaryOf(curl)
        const to = boundaryOf(ours)
        const swap = (text: string) => (from && to ? text.replaceAll(from, to) : text)
        expect(swap(curl.body.toString('latin1'))).toBe(ours.body.toString('latin1'))
      }
      expect(oursBlob!.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0x0a]))
      // A path that leaves the folder is refused for that request, in one line, as sockeye run refuses it.
      const hostile = await sockeye(['export', col, '--curl', '--env', 'away'])
      expect(hostile.code).toBe(1)
      expect(hostile.errors).toHaveLength(2)
      for (const line of hostile.errors)
        expect(line).toMatch(
          /^sockeye: (form|blob)\.yml: .*files\/\.\.\/\.\.\/outside.*; no command printed$/,
        )
      expect(hostile.stdout).toBe('')
      // Checked without reading the files (the command reads them), with sockeye run's refusals:
      // a symlink out of the folder, a FIFO (which a read would wait on), a file past the limit.
      writeFileSync(join(dir, 'outside.png'), 'private')
      symlinkSync(join(dir, 'outside.png'), join(col, 'files', 'link.png'))
      execFileSync('mkfifo', [join(col, 'files', 'pipe')])
      writeFileSync(join(col, 'files', 'big.bin'), '')
      truncateSync(join(col, 'files', 'big.bin'), LIMITS.bodyFileBytes + 1)
      const why: Record<string, RegExp> = {
        link: /file "files\/link\.png" is outside the collection folder /,
        pipe: /file "files\/pipe" is not a regular file; name a file, not a directory or device/,
        big: /file "files\/big\.bin" takes the request's files past the body limit of 10 MiB/,
      }
      for (const [env, reason] of Object.entries(why)) {
        const refused = await sockeye(['export', col, '--curl', '--env', env])
        expect(refused.code, env).toBe(1)
        expect(refused.stdout, env).toBe('')
        // (readCollection names the link and the FIFO too: it reads no request through either.)
        expect(
          refused.errors.filter((line) => line.endsWith('; no command printed')),
          env,
        ).toEqual([
          expect.stringMatching(
            new RegExp(`^sockeye: form\\.yml: form part 'pic': ${reason.source}.*; no command printed$`),
          ),
          expect.stringMatching(
            new RegExp(`^sockeye: blob\\.yml: body file: ${reason.source}.*; no command printed$`),
          ),
        ])
      }
    } finally {
      await echo.close()
    }
  })

  it('names the formats it knows when a file is none of them', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'x.json'), '{"hello": "world"}')
    const out = await sockeye(['import', join(dir, 'x.json'), '--into', join(dir, 'col')])
    expect(out.code).toBe(1)
    expect(out.errors).toEqual([
      `sockeye: ${join(dir, 'x.json')} is not a format Sockeye imports; it reads cURL commands, Postman collections v2.0/v2.1, Insomnia v4 exports, OpenAPI 3 (JSON or YAML), HAR 1.2, OpenCollection YAML`,
    ])
    expect(existsSync(join(dir, 'col'))).toBe(false)
  })

  it('writes nothing for a file that holds no requests', async () => {
    const dir = temp()
    const empty = {
      info: { name: 'E', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: { not: 'a list' },
    }
    writeFileSync(join(dir, 'e.json'), JSON.stringify(empty))
    const out = await sockeye(['import', join(dir, 'e.json'), '--into', join(dir, 'col')])
    expect(out.code).toBe(1)
    expect(out.errors).toEqual([
      `sockeye: ${join(dir, 'e.json')} (postman) holds no requests; nothing written to ${join(dir, 'col')}`,
    ])
    expect(existsSync(join(dir, 'col'))).toBe(false)
  })

  it('drops malformed OpenCollection items with one line each and imports the rest', async () => {
    const dir = temp()
    writeFileSync(
      join(dir, 'oc.yml'),
      'opencollection: 1.0.0\ninfo: {name: x}\nitems:\n  - info: {name: ok, type: http}\n    http: {method: GET, url: "http://127.0.0.1:1/"}\n  - 7\n  - null\n  - info: {name: f, type: folder}\n    items: 5\n',
    )
    const out = await sockeye(['import', join(dir, 'oc.yml'), '--into', join(dir, 'col')])
    expect(out.errors).toEqual([
      'sockeye: import: the collection item 2 is not an object; dropped',
      'sockeye: import: the collection item 3 is not an object; dropped',
      'sockeye: import: folder f: items is not a list; dropped',
    ])
    expect(out.code).toBe(0)
    expect(requestsInOrder((await readCollection(join(dir, 'col'))).items).map((n) => n.name)).toEqual(['ok'])
  })

  it('asks for --into and for --curl in one line each', async () => {
    expect((await sockeye(['import', 'x.json'])).errors).toEqual([
      'sockeye: import: --into <folder> is required (where the collection is written)',
    ])
    expect((await sockeye(['export', 'col'])).errors).toEqual([
      'sockeye: export: give the format: --curl (one curl command per request)',
    ])
  })
})

describe('sockeye open <file.har>', () => {
  async function recordHar(dir: string) {
    t.server = await startHttpServer()
    t.engine = createEngine({ defaults: { connections: 2 } })
    const url = t.server.url
    await t.engine.send({ method: 'GET', url: `${url}/a`, headers: [], body: null })
    await t.engine.send({
      method: 'POST',
      url: `${url}/b`,
      headers: [['Content-Type', 'text/plain']],
      body: 'hi',
    })
    // Two at once: the second needs a socket of its own.
    await Promise.all([
      t.engine.send({ method: 'GET', url: `${url}/c`, headers: [], body: null }),
      t.engine.send({ method: 'GET', url: `${url}/d`, headers: [], body: null }),
    ])
    const har = t.engine.toHar()
    const path = join(dir, 'run.har')
    writeFileSync(path, JSON.stringify(har))
    return { har, path, live: t.engine.results(), connections: t.engine.connections() }
  }

  it('prints the recorded story in the live run text shape', async () => {
    const dir = temp()
    const { path, live } = await recordHar(dir)
    const out = await sockeye(['open', path])
    expect(out.code).toBe(0)
    const lines = out.stdout.split('\n')
    expect(lines[0]).toMatch(/^#1 +GET +http:\/\/127\.0\.0\.1:\d+\/a +200 .* socket #1 new \(first\)/)
    expect(lines[1]).toMatch(/^#2 +POST .* socket #1 reused \(2nd request\)/)
    expect(out.stdout).toContain('Number of connections: 2')
    expect(out.stdout).toContain('Number of requests: 4')
    const secondSocket = live.find((r) => r.socket === 2)
    expect(out.stdout).toMatch(new RegExp(`#${secondSocket?.id} .* socket #2 new \\(all sockets busy\\)`))
  })

  it('prints --json with the live run shape: requests[].socket are connections[].id', async () => {
    const dir = temp()
    const { path, live } = await recordHar(dir)
    const out = await sockeye(['open', path, '--json'])
    const doc = JSON.parse(out.stdout) as { requests: typeof live; connections: Array<{ id: number }> }
    // A HAR lists entries by start time, a live run by completion: compare by request id.
    const story = (list: typeof live) =>
      [...list].sort((x, y) => x.id - y.id).map((r) => [r.id, r.socket, r.reused, r.nth, r.reason])
    expect(story(doc.requests)).toEqual(story(live))
    expect(doc.connections.map((c) => c.id).sort()).toEqual([1, 2])
  })

  it('writes back the HAR it opened unchanged (export → open → export)', async () => {
    const dir = temp()
    const { har } = await recordHar(dir)
    const recording = openHar(JSON.parse(JSON.stringify(har)))
    expect(buildHar(recording.inputs, recording.connections)).toEqual(har)
  })

  it('writes back TLS details, binary bodies and failed requests unchanged', async () => {
    const https = await startHttpsServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'set-cookie': 'a=1; Path=/; HttpOnly',
      })
      res.end(Buffer.from([0, 1, 2, 0xff]))
    })
    t.server = https
    t.engine = createEngine({ defaults: { rejectUnauthorized: false } })
    await t.engine.send({
      method: 'GET',
      url: `${https.url}/bin`,
      headers: [['Cookie', 'x=1; y=2']],
      body: null,
    })
    const body = Buffer.from([0xff, 0, 0x80]).toString('base64')
    await t.engine.send({ method: 'PUT', url: `${https.url}/put`, headers: [], body, bodyEncoding: 'base64' })
    const failed = await t.engine.send({
      method: 'GET',
      url: 'http://127.0.0.1:1/refused',
      headers: [],
      body: null,
    })
    expect(failed.error?.code).toBe('CONNECTION_REFUSED')
    const har = JSON.parse(JSON.stringify(t.engine.toHar())) as {
      log: { entries: Array<{ _socket?: { tls?: unknown } }> }
    }
    expect(har.log.entries[0]?._socket?.tls).toBeDefined()
    const recording = openHar(har)
    expect(recording.requests.map((r) => r.error?.code ?? null)).toEqual([null, null, 'CONNECTION_REFUSED'])
    expect(JSON.parse(JSON.stringify(buildHar(recording.inputs, recording.connections)))).toEqual(har)
  })

  it('maps Chrome connection ids to sockets in order of first use', async () => {
    const dir = temp()
    const entry = (url: string, connection: string, start: number, time = 10) => ({
      startedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, start)).toISOString(),
      time,
      request: {
        method: 'GET',
        url,
        httpVersion: 'http/2.0',
        headers: [{ name: ':authority', value: 'x' }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: '',
        httpVersion: 'http/2.0',
        headers: [],
        cookies: [],
        content: { size: 5, mimeType: 'text/html' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 5,
        _transferSize: 80,
      },
      cache: {},
      timings: { blocked: 1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 5, receive: 1 },
      serverIPAddress: '127.0.0.1',
      connection,
      _priority: 'High',
      _resourceType: 'document',
    })
    const chrome = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: [{ id: 'page_1', title: 'x', startedDateTime: '2026-01-01T00:00:00.000Z', pageTimings: {} }],
        entries: [
          entry('https://127.0.0.1:8443/', '9001', 0),
          entry('https://127.0.0.1:8443/app.js', '9001', 20),
          entry('https://127.0.0.1:8443/a.css', '9002', 21),
          entry('http://127.0.0.1:8080/other', '9003', 40),
        ],
      },
    }
    const path = join(dir, 'chrome.har')
    writeFileSync(path, JSON.stringify(chrome))
    const out = await sockeye(['open', path, '--json'])
    const doc = JSON.parse(out.stdout) as {
      requests: Array<{ socket: number; reused: boolean; nth: number; httpVersion: string }>
      connections: Array<{ id: number; recorded: string; protocol: string; origin: string }>
    }
    expect(doc.requests.map((r) => [r.socket, r.reused, r.nth])).toEqual([
      [1, false, 1],
      [1, true, 2],
      [2, false, 1],
      [3, false, 1],
    ])
    expect(doc.requests[0]?.httpVersion).toBe('2')
    expect(doc.connections.map((c) => [c.id, c.recorded, c.protocol])).toEqual([
      [1, '9001', 'h2'],
      [2, '9002', 'h2'],
      [3, '9003', 'h2'],
    ])
    const text = await sockeye(['open', path])
    expect(text.stdout).toContain('socket #1  h2  127.0.0.1:8443  2 requests  last used at 30 ms')
  })

  it('says why a recorded socket was opened only from what the HAR shows', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString()
    const entry = (
      path: string,
      connection: string,
      start: number,
      headers: Array<{ name: string; value: string }> = [],
    ) => ({
      startedDateTime: at(start),
      time: 10,
      request: { method: 'GET', url: `http://127.0.0.1:8080${path}`, headers: [] },
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers, content: { size: 0 } },
      timings: { send: 1, wait: 8, receive: 1 },
      connection,
    })
    const recording = openHar({
      log: {
        entries: [
          entry('/a', '1', 0, [{ name: 'Connection', value: 'close' }]),
          entry('/b', '2', 100),
          entry('/c', '3', 105),
          entry('/d', '4', 300),
        ],
      },
    })
    expect(recording.requests.map((r) => [r.socket, r.reason])).toEqual([
      [1, 'first'],
      [2, 'server-closed'],
      [3, 'all-busy'],
      [4, null],
    ])
  })
})

describe('-d @file and -d @-', () => {
  it('refuses -d @/dev/zero after reading the limit plus one byte', async () => {
    const before = process.memoryUsage().rss
    const out = await sockeye(['-d', '@/dev/zero', 'http://127.0.0.1:1/'])
    expect(out.code).toBe(2)
    expect(out.errors).toEqual([
      'sockeye: --data @/dev/zero is more than 10485760 bytes; the limit is 10485760 (10 MiB)',
    ])
    // Bounded: the read stops at 10 MiB + 1 (a generous margin for the rest of the process).
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
  })

  it('sends standard input with -d @-', async () => {
    t.server = await startHttpServer()
    const out = await sockeye(
      ['-d', '@-', `${t.server.url}/in`, '--json'],
      Readable.from([Buffer.from('from '), Buffer.from('stdin')]),
    )
    expect(out.code).toBe(0)
    const doc = JSON.parse(out.stdout) as { requests: Array<{ method: string; requestBodyBytes: number }> }
    expect(doc.requests[0]?.method).toBe('POST')
    expect(doc.requests[0]?.requestBodyBytes).toBe(10)
  })

  it('refuses standard input past the limit', async () => {
    const big = Readable.from(
      (function* () {
        for (let i = 0; i < 11; i++) yield Buffer.alloc(1024 * 1024, 0x61)
      })(),
    )
    const out = await sockeye(['-d', '@-', 'http://127.0.0.1:1/'], big)
    expect(out.code).toBe(2)
    expect(out.errors[0]).toMatch(/^sockeye: --data @- is more than 10485760 bytes/)
  })
})

describe('nothing is written outside the target folder', () => {
  it('keeps hostile Postman names inside --into', async () => {
    const dir = temp()
    const postman = {
      info: {
        name: '../../escape',
        schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
      },
      item: [
        { name: '../../../evil', item: [{ name: '/etc/passwd', request: 'http://127.0.0.1:1/' }] },
        { name: 'CON', request: 'http://127.0.0.1:1/' },
        { name: 'nul\u0000byte', request: 'http://127.0.0.1:1/' },
      ],
    }
    writeFileSync(join(dir, 'p.json'), JSON.stringify(postman))
    const out = await sockeye(['import', join(dir, 'p.json'), '--into', join(dir, 'col')])
    expect(out.code).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['col', 'p.json'])
    const loaded = await readCollection(join(dir, 'col'))
    expect(requestsInOrder(loaded.items)).toHaveLength(3)
  })
})
