/**
 * A collection request's files sent through the host (the composer's path: `send` with `files`,
 * `checkFiles`), against what `sockeye run` sends for the same request file. A loopback server
 * records the bytes that arrive; the two bodies must be equal once each boundary is named the
 * same (both are random, curl-shaped).
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenCollection } from '@opencollection/types'
import type { HttpRequest } from '@opencollection/types/requests/http'
import type { CallName, CallResult, EngineEvent } from '../../electron/contract'
import { LIMITS } from '../../electron/contract/limits'
import { runCollection } from '../../electron/cli/collection'
import { createEngine, type EngineApi } from '../../electron/engine'
import { createHost, type Host } from '../../electron/host/host'
import { writeCollection } from '../../electron/workspace/collection'
import { startHttpServer, type TestServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'

const tmp = tempDirs('host-files')
const sh = promisify(execFile)
const open: Array<{ host: Host; engine: EngineApi }> = []
const servers: TestServer[] = []
afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close()
    await engine.close()
  }
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

interface Seen {
  url: string
  type: string
  body: Buffer
}

async function recorder() {
  const seen: Seen[] = []
  const s = await startHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        type: String(req.headers['content-type']),
        body: Buffer.concat(chunks),
      })
      res.end('ok')
    })
  })
  servers.push(s)
  return { url: s.url, seen }
}

function start() {
  const engine = createEngine()
  const host = createHost(engine, { historyFile: null })
  open.push({ host, engine })
  const call = async <T>(name: CallName, input: unknown): Promise<T> => {
    const result = (await host.call(name, input)) as CallResult<T>
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
    return result.value
  }
  const fails = async (name: CallName, input: unknown) => {
    const result = await host.call(name, input)
    if (result.ok) throw new Error(`${name} should have failed`)
    return result.error.message
  }
  /** Resolves when every request of a send has ended. */
  const ended = (count: number) =>
    new Promise<void>((resolve) => {
      let n = 0
      host.onEvents((batch: EngineEvent[]) => {
        for (const e of batch) if (e.type === 'request:completed' || e.type === 'request:failed') n++
        if (n >= count) resolve()
      })
    })
  return { call, fails, ended }
}

/** Not UTF-8 (base64 on the contract), with NUL, CR LF and dashes inside. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x2d, 0x2d])

async function collection(base: string) {
  const dir = tmp()
  mkdirSync(join(dir, 'files'))
  writeFileSync(join(dir, 'files', 'pic.png'), PNG)
  writeFileSync(join(dir, 'files', 'notes.txt'), 'plain notes\n')
  const upload: HttpRequest = {
    info: { name: 'Upload', type: 'http', seq: 1 },
    http: {
      method: 'POST',
      url: `${base}/upload`,
      body: {
        type: 'multipart-form',
        data: [
          { name: 'title', type: 'text', value: '{{title}}' },
          { name: 'picture', type: 'file', value: ['{{folder}}/pic.png'], contentType: 'image/png' },
          { name: 'notes', type: 'file', value: ['files/notes.txt'] },
        ],
      },
    },
  }
  const blob: HttpRequest = {
    info: { name: 'Blob', type: 'http', seq: 2 },
    http: {
      method: 'PUT',
      url: `${base}/blob`,
      body: {
        type: 'file',
        data: [{ filePath: '{{folder}}/pic.png', contentType: 'application/x-blob', selected: true }],
      },
    },
  }
  await writeCollection(dir, {
    info: { name: 'Files' },
    request: { variables: [{ name: 'title', value: 'a "quoted" title' }] },
    items: [upload, blob],
    config: { environments: [{ name: 'local', variables: [{ name: 'folder', value: 'files' }] }] },
  } as OpenCollection)
  return dir
}

/** Upload.yml's body as the composer sends it with the local environment: its texts resolved, files by path. */
const uploadFiles = (dir: string) => ({
  dir,
  body: {
    type: 'multipart-form',
    data: [
      { name: 'title', type: 'text', value: 'a "quoted" title' },
      { name: 'picture', type: 'file', value: 'files/pic.png', contentType: 'image/png' },
      { name: 'notes', type: 'file', value: 'files/notes.txt' },
    ],
  },
})

const boundaryOf = (type: string) => /boundary=(.+)$/.exec(type)?.[1] ?? 'none'
/** The body with its own boundary renamed, so two random boundaries compare equal. */
const named = (s: Seen) => s.body.toString('latin1').split(boundaryOf(s.type)).join('BOUNDARY')

describe('collection files through the host', () => {
  it('sends the bytes `sockeye run` sends for a multipart form and a file body', async () => {
    const { url, seen } = await recorder()
    const dir = await collection(url)
    const quiet = { write: () => undefined }
    expect(await runCollection([dir, '--env', 'local'], { stdout: quiet, stderr: quiet, env: {} })).toBe(0)
    const [runForm, runBlob] = seen.splice(0)

    const { call, ended } = start()
    await call('openCollection', { dir })
    // What the composer sends: its texts resolved (resolveVariables), the files named as resolved.
    const done = ended(2)
    await call('send', {
      request: { method: 'POST', url: `${url}/upload`, headers: [], body: null },
      files: uploadFiles(dir),
    })
    await call('send', {
      request: { method: 'PUT', url: `${url}/blob`, headers: [], body: null },
      files: { dir, body: { type: 'file', filePath: 'files/pic.png', contentType: 'application/x-blob' } },
    })
    await done
    const [form, blob] = seen
    expect(form!.type).toMatch(/^multipart\/form-data; boundary=-{24}[0-9a-f]{16}$/)
    expect(boundaryOf(form!.type)).not.toBe(boundaryOf(runForm!.type))
    expect(named(form!)).toBe(named(runForm!))
    expect(form!.body.includes(PNG)).toBe(true)
    expect(blob!.type).toBe(runBlob!.type)
    expect(blob!.body).toEqual(runBlob!.body)
    expect(blob!.body).toEqual(PNG)
  })

  it('resolveRequest (Copy as cURL from the tree) carries the files `sockeye run` sends', async () => {
    const { url, seen } = await recorder()
    const dir = await collection(url)
    const quiet = { write: () => undefined }
    expect(await runCollection([dir, '--env', 'local'], { stdout: quiet, stderr: quiet, env: {} })).toBe(0)
    const { call } = start()
    await call('openCollection', { dir })
    const out = await call<{
      request: { headers: string[][]; body: string; bodyEncoding: string }
      notes: string[]
    }>('resolveRequest', { dir, path: 'Upload.yml', environment: 'local' })
    expect(out.notes).toEqual([])
    const type = out.request.headers.find(([n]) => n!.toLowerCase() === 'content-type')![1]!
    const body = Buffer.from(out.request.body, out.request.bodyEncoding === 'base64' ? 'base64' : 'utf8')
    expect(named({ url: '', type, body })).toBe(named(seen[0]!))
    // Without the environment the path's variable is undefined: named, and the file left out.
    const bare = await call<{ unresolved: string[] }>('resolveRequest', {
      dir,
      path: 'Upload.yml',
      environment: null,
    })
    expect(bare.unresolved).toEqual(['folder'])
  })

  it("copyCurl with a Send's files: the tree's command, and real curl sends the bytes the Send sent", async () => {
    const { url, seen } = await recorder()
    const dir = await collection(url)
    const { call, fails, ended } = start()
    await call('openCollection', { dir })
    // What the composer sent for Upload.yml with the local environment (its list row keeps this).
    const request = { method: 'POST', url: `${url}/upload`, headers: [], body: null }
    const files = uploadFiles(dir)
    const done = ended(1)
    await call('send', { request, files })
    await done
    const row = (await call<{ command: string }>('copyCurl', { request, files })).command
    const tree = await call<{ request: unknown }>('resolveRequest', {
      dir,
      path: 'Upload.yml',
      environment: 'local',
    })
    const fromTree = (await call<{ command: string }>('copyCurl', { request: tree.request })).command
    // Each has its own random boundary: named the same, the two commands are one.
    const unnamed = (command: string) =>
      command.split(/boundary=(-{24}[0-9a-f]{16})/.exec(command)?.[1] ?? 'none').join('BOUNDARY')
    expect(unnamed(row)).toBe(unnamed(fromTree))
    expect(row).toMatch(/^printf '.+' \| curl /s)
    await sh('bash', ['-c', `${row} -s -o /dev/null`], { timeout: 10_000 })
    expect(seen).toHaveLength(2)
    // The same bytes but for the boundary (the host draws a new one for each body it builds).
    const [sent, curled] = seen
    expect(curled!.type).toMatch(/^multipart\/form-data; boundary=-{24}[0-9a-f]{16}$/)
    expect(named(curled!)).toBe(named(sent!))
    expect(curled!.body.includes(PNG)).toBe(true)

    // A file body: --data-binary of the same bytes.
    const blob = { method: 'PUT', url: `${url}/blob`, headers: [], body: null }
    const body = { dir, body: { type: 'file', filePath: 'files/pic.png', contentType: 'application/x-blob' } }
    const command = (await call<{ command: string }>('copyCurl', { request: blob, files: body })).command
    await sh('bash', ['-c', `${command} -s -o /dev/null`], { timeout: 10_000 })
    expect(seen[2]).toEqual({ url: '/blob', type: 'application/x-blob', body: PNG })

    // A file that is gone since: refused in one line, nothing copied.
    rmSync(join(dir, 'files', 'pic.png'))
    expect(await fails('copyCurl', { request: blob, files: body })).toMatch(
      /^body file: file "files\/pic\.png" does not exist in .+; nothing was copied$/,
    )
  })

  it("keeps the user's Content-Type for a file body and replaces a multipart one without a boundary", async () => {
    const { url, seen } = await recorder()
    const dir = await collection(url)
    const { call, ended } = start()
    await call('openCollection', { dir })
    const done = ended(2)
    await call('send', {
      request: { method: 'PUT', url: `${url}/a`, headers: [['Content-Type', 'image/png']], body: null },
      files: { dir, body: { type: 'file', filePath: 'files/pic.png', contentType: 'application/x-blob' } },
    })
    await call('send', {
      request: {
        method: 'POST',
        url: `${url}/b`,
        headers: [['Content-Type', 'multipart/form-data']],
        body: null,
      },
      files: {
        dir,
        body: { type: 'multipart-form', data: [{ name: 'n', type: 'file', value: 'files/notes.txt' }] },
      },
    })
    await done
    expect(seen.map((s) => s.type)).toEqual([
      'image/png',
      expect.stringMatching(/^multipart\/form-data; boundary=/),
    ])
  })

  it('refuses a symlink out, a FIFO, ../ and a file past the body limit in one line, sending nothing', async () => {
    const { url, seen } = await recorder()
    const dir = await collection(url)
    const outside = tmp()
    writeFileSync(join(outside, 'secret.txt'), 'private')
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'))
    execFileSync('mkfifo', [join(dir, 'pipe')])
    writeFileSync(join(dir, 'big.bin'), '')
    truncateSync(join(dir, 'big.bin'), LIMITS.bodyFileBytes + 1)
    const { call, fails } = start()
    await call('openCollection', { dir })
    const send = (filePath: string) =>
      fails('send', {
        request: { method: 'PUT', url: `${url}/x`, headers: [], body: null },
        files: { dir, body: { type: 'file', filePath, contentType: '' } },
      })
    expect(await send('link.txt')).toMatch(
      /^body file: file "link\.txt" is outside the collection folder .+; nothing was sent$/,
    )
    expect(await send('pipe')).toMatch(
      /^body file: file "pipe" is not a regular file; name a file, not a directory or device; nothing was sent$/,
    )
    expect(await send('../secret.txt')).toMatch(
      /^body file: path '\.\.\/secret\.txt' leaves the collection; .+; nothing was sent$/,
    )
    expect(await send('big.bin')).toMatch(
      /^body file: file "big\.bin" takes the request's files past the body limit of 10 MiB; send a smaller file; nothing was sent$/,
    )
    // A folder that is not open is refused before any path is looked at.
    expect(
      await fails('send', {
        request: { method: 'PUT', url: `${url}/x`, headers: [], body: null },
        files: { dir: outside, body: { type: 'file', filePath: 'secret.txt', contentType: '' } },
      }),
    ).toMatch(/is not an open collection; open it first/)
    expect(seen).toEqual([])
  })

  it('checkFiles gives sizes and problems with the variables of the request and environment', async () => {
    const { url } = await recorder()
    const dir = await collection(url)
    execFileSync('mkfifo', [join(dir, 'pipe')])
    const { call } = start()
    await call('openCollection', { dir })
    const files = ['{{folder}}/pic.png', 'files/notes.txt', 'pipe', '{{nope}}/x']
    const env = await call<{ files: unknown[] }>('checkFiles', {
      dir,
      path: 'Upload.yml',
      environment: 'local',
      files,
    })
    expect(env.files).toEqual([
      { written: '{{folder}}/pic.png', path: 'files/pic.png', size: PNG.length, problem: null },
      { written: 'files/notes.txt', path: 'files/notes.txt', size: 12, problem: null },
      { written: 'pipe', path: 'pipe', size: null, problem: expect.stringMatching(/^is not a regular file/) },
      {
        written: '{{nope}}/x',
        path: '{{nope}}/x',
        size: null,
        problem: expect.stringMatching(/^holds \{\{nope\}\}, not defined/),
      },
    ])
    const bare = await call<{ files: Array<{ problem: string | null }> }>('checkFiles', {
      dir,
      path: 'Upload.yml',
      environment: null,
      files: files.slice(0, 1),
    })
    expect(bare.files[0]!.problem).toMatch(/^holds \{\{folder\}\}/)
  })

  it('validates the lists before their contents', async () => {
    const { url } = await recorder()
    const dir = await collection(url)
    const { call, fails } = start()
    await call('openCollection', { dir })
    const many = Array.from({ length: 201 }, () => ({ name: 'n', type: 'file', value: 'x' }))
    expect(
      await fails('send', {
        request: { method: 'POST', url, headers: [], body: null },
        files: { dir, body: { type: 'multipart-form', data: many } },
      }),
    ).toMatch(/at most 200 form parts/)
    expect(
      await fails('checkFiles', { dir, path: null, environment: null, files: Array(201).fill('x') }),
    ).toMatch(/at most 200 files/)
    const long = 'x'.repeat(LIMITS.bodyChars / 2 + 1)
    expect(
      await fails('send', {
        request: { method: 'POST', url, headers: [], body: null },
        files: {
          dir,
          body: {
            type: 'multipart-form',
            data: [
              { name: 'a', type: 'text', value: long },
              { name: 'b', type: 'text', value: long },
            ],
          },
        },
      }),
    ).toMatch(/form's texts are longer than/)
  })
})
