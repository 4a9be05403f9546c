/**
 * `sockeye run <folder>`: a collection written by Bruno's own YAML writer runs in collection
 * order on the engine, and the loopback server's own view (what arrived, on how many sockets) is
 * the judge.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  stringifyCollection,
  stringifyEnvironment,
  stringifyFolder,
  stringifyRequest,
} from '@usebruno/filestore'
import { runCollection } from '../../electron/cli/collection'
import { brunoRequest, yml } from '../helpers/bruno'
import { tempDirs } from '../helpers/tmp'
import { server, useCliHarness } from './cli.harness'

useCliHarness()
const tmp = tempDirs('run')

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  port: number
}

async function recordingServer() {
  const seen: Seen[] = []
  const s = await server((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        port: req.socket.remotePort ?? 0,
      })
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('ok')
    })
  })
  return { s, seen }
}

async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCollection(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  })
  return { code, stdout, stderr, errors: stderr.split('\n').filter(Boolean) }
}

/** A Bruno-written collection: two top-level requests and a folder with one, an environment with a secret. */
function brunoCollection(dir: string, base: string) {
  writeFileSync(join(dir, 'opencollection.yml'), stringifyCollection({} as never, { name: 'Run me' }, yml))
  writeFileSync(
    join(dir, 'first.yml'),
    stringifyRequest(
      brunoRequest('First', 1, {
        url: '{{base}}/one?x=1',
        headers: [{ name: 'X-Env', value: '{{who}}', enabled: true }],
      }),
      yml,
    ),
  )
  writeFileSync(
    join(dir, 'second.yml'),
    stringifyRequest(
      brunoRequest('Second', 2, {
        method: 'POST',
        url: '{{base}}/two',
        body: { mode: 'json', json: '{"who":"{{who}}"}' },
        auth: { mode: 'bearer', bearer: { token: '{{token}}' } },
      }),
      yml,
    ),
  )
  mkdirSync(join(dir, 'later'))
  writeFileSync(
    join(dir, 'later', 'folder.yml'),
    stringifyFolder({ meta: { name: 'Later', seq: 3 }, request: { auth: { mode: 'none' } } } as never, yml),
  )
  writeFileSync(
    join(dir, 'later', 'third.yml'),
    stringifyRequest(brunoRequest('Third', 1, { method: 'DELETE', url: '{{base}}/three' }), yml),
  )
  mkdirSync(join(dir, 'environments'))
  writeFileSync(
    join(dir, 'environments', 'local.yml'),
    stringifyEnvironment(
      {
        name: 'local',
        variables: [
          { name: 'base', value: base, enabled: true, secret: false, type: 'text' },
          { name: 'who', value: 'bruno', enabled: true, secret: false, type: 'text' },
          { name: 'token', value: '', enabled: true, secret: true, type: 'text' },
        ],
      } as never,
      yml,
    ),
  )
  mkdirSync(join(dir, '.sockeye'))
  writeFileSync(join(dir, '.sockeye', 'secrets.json'), JSON.stringify({ local: { token: 'T0K' } }))
}

describe('sockeye run <folder>', () => {
  it('runs a Bruno-written collection in order, on one reused socket, with the environment applied', async () => {
    const { s, seen } = await recordingServer()
    const dir = tmp()
    brunoCollection(dir, s.url)
    const r = await run([dir, '--env', 'local'])
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(seen.map((x) => `${x.method} ${x.url}`)).toEqual(['GET /one?x=1', 'POST /two', 'DELETE /three'])
    expect(seen[0]?.headers['x-env']).toBe('bruno')
    expect(seen[1]?.headers.authorization).toBe('Bearer T0K')
    expect(seen[1]?.headers['content-type']).toBe('application/json')
    expect(seen[1]?.body).toBe('{"who":"bruno"}')
    // The server saw one connection carry all three; the report says the same.
    expect(new Set(seen.map((x) => x.port)).size).toBe(1)
    expect(s.connections()).toBe(1)
    expect(r.stdout).toMatch(/#1 +GET .*socket #1 new/)
    expect(r.stdout).toMatch(/#3 +DELETE .*socket #1 reused \(3rd request\)/)
    expect(r.stdout).toContain('Number of connections: 1')
  })

  it('--fresh --json --har: one socket per request, JSON report and HAR agree with the server', async () => {
    const { s, seen } = await recordingServer()
    const dir = tmp()
    brunoCollection(dir, s.url)
    const har = join(tmp(), 'run.har')
    const r = await run([dir, '--env=local', '--fresh', '--json', '--har', har])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { requests: { socket: number; reused: boolean }[] }
    expect(doc.requests.map((q) => [q.socket, q.reused])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ])
    expect(new Set(seen.map((x) => x.port)).size).toBe(3)
    expect(
      JSON.parse(readFileSync(har, 'utf8')).log.entries.map((e: { connection: string }) => e.connection),
    ).toEqual(['1', '2', '3'])
  })

  it('refuses before sending when a variable is unresolved, naming it and the file', async () => {
    const { s } = await recordingServer()
    const dir = tmp()
    brunoCollection(dir, s.url)
    const r = await run([dir])
    expect(r.code).toBe(2)
    expect(r.errors).toEqual([
      'sockeye: first.yml: {{base}}, {{who}} not defined in the collection or its folders (no --env given); nothing was sent',
    ])
    expect(s.connections()).toBe(0)
  })

  it('names the known environments for an unknown --env, and says what a missing folder is', async () => {
    const dir = tmp()
    brunoCollection(dir, 'http://127.0.0.1:9')
    expect((await run([dir, '--env', 'prod'])).errors).toEqual([
      'sockeye: --env prod: no such environment (known: local)',
    ])
    const missing = await run([join(dir, 'nope')])
    expect(missing.code).toBe(2)
    expect(missing.errors).toEqual([
      expect.stringMatching(/^sockeye: FILE_NOT_FOUND: run .*nope: .*no such folder$/),
    ])
  })

  it('runs the rest when one file is malformed, after one line naming it', async () => {
    const { s, seen } = await recordingServer()
    const dir = tmp()
    brunoCollection(dir, s.url)
    writeFileSync(join(dir, 'broken.yml'), 'info: [\n')
    const r = await run([dir, '--env', 'local'])
    expect(r.code).toBe(0)
    expect(r.errors).toEqual([expect.stringMatching(/^sockeye: broken\.yml:\d+: /)])
    expect(seen).toHaveLength(3)
  })

  it('is dispatched by the built bin/sockeye.js (sockeye run <folder>)', async () => {
    const root = resolve(__dirname, '../..')
    if (!existsSync(join(root, 'out/main/cli.js')))
      throw new Error('out/main/cli.js is missing: run npm run build first')
    const { s, seen } = await recordingServer()
    const dir = tmp()
    brunoCollection(dir, s.url)
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [join(root, 'bin/sockeye.js'), 'run', dir, '--env', 'local', '--json'],
        { timeout: 15_000 },
        (err, stdout, stderr) =>
          done({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout, stderr }),
      )
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { requests: unknown[] }).requests).toHaveLength(3)
    expect(seen.map((x) => x.method)).toEqual(['GET', 'POST', 'DELETE'])
  })

  it('applies extensions.sockeye from opencollection.yml: a fresh socket for one request, pool settings checked', async () => {
    const { s, seen } = await recordingServer()
    const dir = tmp()
    brunoCollection(dir, s.url)
    const head = readFileSync(join(dir, 'opencollection.yml'), 'utf8').replace(/^extensions:.*$/m, '')
    const sockeye = (pools: string) =>
      `${head}\nextensions:\n  sockeye:\n    requests:\n      second.yml:\n        fresh: true\n    pools:\n      ${JSON.stringify(s.origin)}:\n${pools}\n`
    writeFileSync(join(dir, 'opencollection.yml'), sockeye('        connections: 2'))
    const r = await run([dir, '--env', 'local'])
    expect(r.errors).toEqual([])
    expect(r.stdout).toMatch(/#2 +POST .*socket #2 new \(fresh/)
    expect(r.stdout).toMatch(/#3 +DELETE .*socket #2 reused/)
    expect(new Set(seen.map((x) => x.port)).size).toBe(2)

    writeFileSync(join(dir, 'opencollection.yml'), sockeye('        connections: lots'))
    const bad = await run([dir, '--env', 'local'])
    expect(bad.code).toBe(2)
    expect(bad.errors).toEqual([
      expect.stringMatching(
        /^sockeye: opencollection\.yml: extensions\.sockeye\.pools\['http:\/\/127\.0\.0\.1:\d+'\]: /,
      ),
    ])
  })
})
