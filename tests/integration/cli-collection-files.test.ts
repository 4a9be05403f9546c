/**
 * `sockeye run <folder>` sends multipart file parts and file bodies from the collection folder.
 * The loopback server parses what arrived with a WHATWG multipart parser (undici's, behind
 * `Response.formData()`), and its bytes are the judge: the file's content and its filename.
 * Paths that leave the folder, or name something that is not a regular file, or more than the
 * body limit, are refused in one line before anything is sent.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { OpenCollection } from '@opencollection/types'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { runCollection } from '../../electron/cli/collection'
import { LIMITS } from '../../electron/contract/limits'
import { writeCollection } from '../../electron/workspace/collection'
import { tempDirs } from '../helpers/tmp'
import { server, useCliHarness } from './cli.harness'

useCliHarness()
const tmp = tempDirs('run-files')

interface Seen {
  method: string
  url: string
  type: string
  body: Buffer
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
        type: String(req.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks),
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
  return { code, stdout, errors: stderr.split('\n').filter(Boolean) }
}

/** Not UTF-8 (so it travels as base64), with a NUL and CR LF inside. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x2d, 0x2d])

const upload = (base: string, path: string): HttpRequest => ({
  info: { name: 'Upload', type: 'http', seq: 1 },
  http: {
    method: 'POST',
    url: `${base}/upload`,
    body: {
      type: 'multipart-form',
      data: [
        { name: 'title', type: 'text', value: '{{title}}' },
        { name: 'picture', type: 'file', value: [path], contentType: 'image/png' },
      ],
    },
  },
})

async function collection(
  dir: string,
  items: HttpRequest[],
  env: Array<{ name: string; value: string }> = [],
): Promise<void> {
  const doc: OpenCollection = {
    info: { name: 'Files' },
    request: { variables: [{ name: 'title', value: 'a "quoted" title' }] },
    items,
    ...(env.length ? { config: { environments: [{ name: 'local', variables: env }] } } : {}),
  } as OpenCollection
  await writeCollection(dir, doc)
}

describe('sockeye run <folder> with files', () => {
  it('sends a multipart file part and a file body, read from the collection folder', async () => {
    const { s, seen } = await recordingServer()
    const dir = tmp()
    mkdirSync(join(dir, 'files'))
    writeFileSync(join(dir, 'files', 'pic.png'), PNG)
    writeFileSync(join(dir, 'files', 'blob.bin'), Buffer.concat([PNG, Buffer.from('tail')]))
    await collection(dir, [
      upload(s.url, 'files/pic.png'),
      {
        info: { name: 'Blob', type: 'http', seq: 2 },
        http: {
          method: 'PUT',
          url: `${s.url}/blob`,
          body: {
            type: 'file',
            data: [{ filePath: './files/blob.bin', contentType: 'application/x-blob', selected: true }],
          },
        },
      },
    ])
    const r = await run([dir])
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(seen.map((x) => `${x.method} ${x.url}`)).toEqual(['POST /upload', 'PUT /blob'])

    const form = await new Response(seen[0]!.body, { headers: { 'content-type': seen[0]!.type } }).formData()
    expect(form.get('title')).toBe('a "quoted" title')
    const file = form.get('picture') as File
    expect(file.name).toBe('pic.png')
    expect(file.type).toBe('image/png')
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG)
    // The raw bytes too: the filename parameter as written, the file's bytes unchanged on the wire.
    expect(seen[0]!.body.toString('latin1')).toContain(
      'Content-Disposition: form-data; name="picture"; filename="pic.png"\r\nContent-Type: image/png\r\n\r\n',
    )
    expect(seen[0]!.body.includes(PNG)).toBe(true)

    expect(seen[1]!.type).toBe('application/x-blob')
    expect(seen[1]!.body).toEqual(Buffer.concat([PNG, Buffer.from('tail')]))
  })

  it('refuses a path that leaves the folder, by ../ or by a symlink, and sends nothing', async () => {
    const { s, seen } = await recordingServer()
    const outside = tmp()
    writeFileSync(join(outside, 'secret.txt'), 'private')
    for (const [path, why] of [
      [
        '../secret.txt',
        /form part 'picture': path '\.\.\/secret\.txt' leaves the collection; put the file inside the collection folder; nothing was sent$/,
      ],
      [
        join(outside, 'secret.txt'),
        /form part 'picture': path '.+secret\.txt' is absolute; give one relative to the collection; put the file inside the collection folder; nothing was sent$/,
      ],
      [
        'link.txt',
        /form part 'picture': file "link\.txt" is outside the collection folder .+; put it inside and name it relative to the folder; nothing was sent$/,
      ],
    ] as const) {
      const dir = tmp()
      symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'))
      await collection(dir, [upload(s.url, path)])
      const r = await run([dir])
      expect(r.code, path).toBe(2)
      // The reader's own line about the link (it never loads one as a request), then the refusal.
      expect(r.errors, path).toEqual([
        'sockeye: link.txt: symbolic link not followed (collections hold their own files)',
        expect.stringMatching(/^sockeye: Upload\.yml: /),
      ])
      expect(r.errors[1], path).toMatch(why)
    }
    expect(seen).toEqual([])
  })

  it('refuses a FIFO, a directory, a missing file and one past the body limit, at once', async () => {
    const { s, seen } = await recordingServer()
    for (const [path, why] of [
      [
        'pipe',
        /file "pipe" is not a regular file; name a file, not a directory or device; nothing was sent$/,
      ],
      ['sub', /file "sub" is not a regular file; name a file, not a directory or device; nothing was sent$/],
      ['gone.png', /file "gone\.png" does not exist in .+; nothing was sent$/],
      [
        'big.bin',
        /file "big\.bin" takes the request's files past the body limit of 10 MiB; send a smaller file; nothing was sent$/,
      ],
    ] as const) {
      const dir = tmp()
      execFileSync('mkfifo', [join(dir, 'pipe')])
      mkdirSync(join(dir, 'sub'))
      // Sparse: 10 MiB + 1 byte without writing them.
      writeFileSync(join(dir, 'big.bin'), '')
      truncateSync(join(dir, 'big.bin'), LIMITS.bodyFileBytes + 1)
      await collection(dir, [upload(s.url, path)])
      const r = await run([dir])
      expect(r.code, path).toBe(2)
      expect(r.errors, path).toEqual([expect.stringMatching(why)])
    }
    expect(seen).toEqual([])
  })

  it('substitutes {{variables}} in file paths (plain lookup) and reports an undefined one', async () => {
    const { s, seen } = await recordingServer()
    const dir = tmp()
    mkdirSync(join(dir, 'files'))
    writeFileSync(join(dir, 'files', 'pic.png'), PNG)
    writeFileSync(join(dir, 'files', 'blob.bin'), 'blob')
    const blob: HttpRequest = {
      info: { name: 'Blob', type: 'http', seq: 2 },
      http: {
        method: 'PUT',
        url: `${s.url}/blob`,
        body: { type: 'file', data: [{ filePath: '{{folder}}/blob.bin', contentType: '', selected: true }] },
      },
    }
    const env = [
      { name: 'folder', value: 'files' },
      { name: 'pic', value: 'pic' },
    ]
    await collection(dir, [upload(s.url, '{{folder}}/{{pic}}.png'), blob], env)
    const r = await run([dir, '--env', 'local'])
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const form = await new Response(seen[0]!.body, { headers: { 'content-type': seen[0]!.type } }).formData()
    const file = form.get('picture') as File
    expect(file.name).toBe('pic.png')
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG)
    expect(seen[1]!.body.toString()).toBe('blob')

    // Without --env the names are undefined: reported like any unresolved variable, nothing sent.
    seen.length = 0
    const bare = await run([dir])
    expect(bare.code).toBe(2)
    expect(bare.errors).toEqual([
      'sockeye: Upload.yml: {{folder}}, {{pic}} not defined in the collection or its folders (no --env given); nothing was sent',
    ])
    // A value is looked up, never evaluated, and what it names passes the same checks.
    const hostile = tmp()
    writeFileSync(join(hostile, 'x.png'), PNG)
    await collection(hostile, [upload(s.url, '{{folder}}/x.png')], [{ name: 'folder', value: '..' }])
    const out = await run([hostile, '--env', 'local'])
    expect(out.code).toBe(2)
    expect(out.errors[0]).toMatch(/form part 'picture': path '\.\.\/x\.png' leaves the collection/)
    await collection(hostile, [upload(s.url, "{{constructor.constructor('return 1')()}}")])
    const inert = await run([hostile])
    expect(inert.code).toBe(2)
    expect(inert.errors[0]).toMatch(/\{\{constructor\.constructor\('return 1'\)\(\)\}\} not defined/)
    expect(seen).toEqual([])
  })
})
