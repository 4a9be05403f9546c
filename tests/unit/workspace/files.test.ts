/**
 * The one reader of a request's collection files (workspace/collection/files.ts), used by
 * `sockeye run` and by the host for the composer: readRequestFiles reads, checkFiles reports the
 * same refusals without reading. Real files, symlinks and a real FIFO in a temp folder.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { open, type FileHandle } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { checkFiles, readRequestFiles, type Resolve } from '../../../electron/workspace/collection/files'
import { tempDirs } from '../../helpers/tmp'

const tmp = tempDirs('files')

const withPart = (...paths: string[]): HttpRequest => ({
  info: { name: 'x', type: 'http' },
  http: {
    method: 'POST',
    url: 'http://127.0.0.1:1/',
    body: { type: 'multipart-form', data: [{ name: 'f', type: 'file', value: paths }] },
  },
})

/** A plain lookup of `{{name}}` in a table, as substitute() does. */
const table =
  (values: Record<string, string>): Resolve =>
  (text) => {
    const unresolved: string[] = []
    const out = text.replace(/\{\{([^{}]*)\}\}/g, (whole, name: string) => {
      if (Object.hasOwn(values, name)) return values[name]!
      unresolved.push(name)
      return whole
    })
    return { text: out, unresolved }
  }

function folder() {
  const dir = tmp()
  const outside = tmp()
  writeFileSync(join(outside, 'secret.txt'), 'private')
  mkdirSync(join(dir, 'files'))
  writeFileSync(join(dir, 'files', 'a.txt'), 'alpha')
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'out.txt'))
  symlinkSync(join(dir, 'files', 'a.txt'), join(dir, 'in.txt'))
  execFileSync('mkfifo', [join(dir, 'pipe')])
  writeFileSync(join(dir, 'big.bin'), '')
  truncateSync(join(dir, 'big.bin'), 2048)
  return { dir, outside }
}

describe('readRequestFiles', () => {
  it('reads a file and a symlink that stays inside, keyed by the resolved path', async () => {
    const { dir } = folder()
    const read = await readRequestFiles(dir, withPart('{{where}}/a.txt', 'in.txt'), {
      resolve: table({ where: 'files' }),
    })
    expect(read.ok && [...read.files]).toEqual([
      ['files/a.txt', Buffer.from('alpha')],
      ['in.txt', Buffer.from('alpha')],
    ])
  })

  it('refuses ../, an absolute path, a symlink out, a FIFO, a directory, past the limit: one line each', async () => {
    const { dir, outside } = folder()
    const cases: Array<[string, RegExp]> = [
      [
        '../secret.txt',
        /^form part 'f': path '\.\.\/secret\.txt' leaves the collection; put the file inside/,
      ],
      [join(outside, 'secret.txt'), /^form part 'f': path '.+' is absolute; give one relative/],
      ['out.txt', /^form part 'f': file "out\.txt" is outside the collection folder /],
      ['pipe', /^form part 'f': file "pipe" is not a regular file; name a file, not a directory or device$/],
      ['files', /^form part 'f': file "files" is not a regular file/],
      ['nope.txt', /^form part 'f': file "nope\.txt" does not exist in /],
      [
        'big.bin',
        /^form part 'f': file "big\.bin" takes the request's files past the body limit of 0\.0009765625 MiB/,
      ],
    ]
    for (const [path, why] of cases) {
      const read = await readRequestFiles(dir, withPart(path), { limit: 1024 })
      expect(read.ok, path).toBe(false)
      expect(!read.ok && read.message, path).toMatch(why)
    }
  })

  it('counts every file of a request against one limit', async () => {
    const { dir } = folder()
    // 5 bytes each: two fit in 10, the third does not.
    writeFileSync(join(dir, 'b.txt'), 'bravo')
    writeFileSync(join(dir, 'c.txt'), 'charl')
    const two = await readRequestFiles(dir, withPart('files/a.txt', 'b.txt'), { limit: 10 })
    expect(two.ok).toBe(true)
    const three = await readRequestFiles(dir, withPart('files/a.txt', 'b.txt', 'c.txt'), { limit: 10 })
    expect(!three.ok && three.message).toMatch(/file "c\.txt" takes the request's files past the body limit/)
  })

  it('does not look up a path whose variable is undefined, nor one a variable sends outside', async () => {
    const { dir } = folder()
    const skipped = await readRequestFiles(dir, withPart('{{nope}}/a.txt'), { resolve: table({}) })
    expect(skipped.ok && skipped.files.size).toBe(0)
    const out = await readRequestFiles(dir, withPart('{{up}}/secret.txt'), { resolve: table({ up: '..' }) })
    expect(!out.ok && out.message).toMatch(/path '\.\.\/secret\.txt' leaves the collection/)
  })
})

describe('readRequestFiles with contents: false', () => {
  it('makes the same refusals and counts sizes against one limit, reading no byte', async () => {
    const { dir, outside } = folder()
    writeFileSync(join(dir, 'b.txt'), 'bravo')
    // Every handle shares FileHandle's prototype: its read is what reading content goes through.
    const probe = await open(join(dir, 'b.txt'))
    const read = vi.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'read')
    await probe.close()
    try {
      const paths = [
        '../secret.txt',
        join(outside, 'secret.txt'),
        'out.txt',
        'pipe',
        'files',
        'nope.txt',
        'big.bin',
      ]
      for (const path of paths) {
        const checked = await readRequestFiles(dir, withPart(path), { limit: 1024, contents: false })
        const reading = await readRequestFiles(dir, withPart(path), { limit: 1024 })
        expect(checked, path).toEqual(reading)
        expect(checked.ok, path).toBe(false)
      }
      read.mockClear()
      const two = await readRequestFiles(dir, withPart('{{where}}/a.txt', 'in.txt', 'b.txt'), {
        resolve: table({ where: 'files' }),
        limit: 15,
        contents: false,
      })
      expect(two.ok && [...two.files]).toEqual([
        ['files/a.txt', Buffer.alloc(0)],
        ['in.txt', Buffer.alloc(0)],
        ['b.txt', Buffer.alloc(0)],
      ])
      const over = await readRequestFiles(dir, withPart('files/a.txt', 'in.txt', 'b.txt'), {
        limit: 14,
        contents: false,
      })
      expect(!over.ok && over.message).toMatch(/file "b\.txt" takes the request's files past the body limit/)
      expect(read).not.toHaveBeenCalled()
      // The probe sees a read when there is one.
      expect(await readRequestFiles(dir, withPart('b.txt'))).toEqual({
        ok: true,
        files: new Map([['b.txt', Buffer.from('bravo')]]),
      })
      expect(read).toHaveBeenCalled()
    } finally {
      read.mockRestore()
    }
  })
})

describe('checkFiles', () => {
  it('gives each path its size or the reason it would be refused, reading no content', async () => {
    const { dir } = folder()
    const checks = await checkFiles(
      dir,
      ['{{where}}/a.txt', 'pipe', 'out.txt', '../x', '{{nope}}.txt', '', 'big.bin'],
      { resolve: table({ where: 'files' }), limit: 1024 },
    )
    expect(checks.map((c) => [c.written, c.path, c.size])).toEqual([
      ['{{where}}/a.txt', 'files/a.txt', 5],
      ['pipe', 'pipe', null],
      ['out.txt', 'out.txt', null],
      ['../x', '../x', null],
      ['{{nope}}.txt', '{{nope}}.txt', null],
      ['', '', null],
      ['big.bin', 'big.bin', 2048],
    ])
    expect(checks.map((c) => c.problem)).toEqual([
      null,
      'is not a regular file; name a file, not a directory or device',
      expect.stringMatching(/^is outside the collection folder .+; put it inside/),
      expect.stringMatching(/^path '\.\.\/x' leaves the collection/),
      'holds {{nope}}, not defined here; define it in the environment, a folder or the collection',
      'no file named; name a file in the collection folder',
      expect.stringMatching(/^takes the request's files past the body limit/),
    ])
  })
})
