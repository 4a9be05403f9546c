/**
 * Hostile and broken files: each gets one line naming the file (and line), the rest of the
 * collection still loads, nothing is evaluated, nothing is written outside the folder.
 */
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { insideRoot, readCollection, safeStem, writeCollection } from '../../../electron/workspace/collection'
import { tempDirs } from '../../helpers/tmp'

const tmp = tempDirs('hostile')
const good = 'info:\n  name: Good\n  type: http\n  seq: 1\nhttp:\n  method: GET\n  url: http://127.0.0.1/\n'

function folderWith(files: Record<string, string | Buffer>): string {
  const dir = tmp()
  writeFileSync(join(dir, 'opencollection.yml'), 'opencollection: 1.0.0\ninfo:\n  name: H\n')
  writeFileSync(join(dir, 'good.yml'), good)
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

describe('a malformed file', () => {
  it('gets one line naming the file and its line; the rest loads', async () => {
    const dir = folderWith({
      'broken.yml': 'info:\n  name: B\n  type: http\nhttp:\n  method: [GET\n  url: x\n',
    })
    const loaded = await readCollection(dir)
    expect(loaded.items.map((n) => n.name)).toEqual(['Good'])
    expect(loaded.problems).toHaveLength(1)
    expect(loaded.problems[0]).toMatchObject({ file: 'broken.yml', line: expect.any(Number) })
    expect(loaded.problems[0]?.line).toBeGreaterThanOrEqual(5)
    expect(loaded.problems[0]?.message).not.toContain('\n')
  })

  it('names the line of the first invalid UTF-8 byte', async () => {
    const dir = folderWith({
      'latin1.yml': Buffer.concat([
        Buffer.from('info:\n  name: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
    })
    const loaded = await readCollection(dir)
    expect(loaded.problems).toEqual([
      { file: 'latin1.yml', line: 2, message: expect.stringContaining('not valid UTF-8') },
    ])
    expect(loaded.items).toHaveLength(1)
  })

  it('refuses a 50 MB file without reading it', async () => {
    const dir = folderWith({})
    writeFileSync(join(dir, 'huge.yml'), '')
    truncateSync(join(dir, 'huge.yml'), 50 * 1024 * 1024)
    const loaded = await readCollection(dir)
    expect(loaded.problems).toEqual([
      { file: 'huge.yml', line: null, message: expect.stringMatching(/50\.0 MiB; the limit is 16\.0 MiB/) },
    ])
    expect(loaded.items).toHaveLength(1)
  })

  it('stops a YAML alias bomb (billion laughs) at the alias limit', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const cur = String.fromCharCode(97 + i)
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const dir = folderWith({ 'bomb.yml': `${levels.join('\n')}\ninfo:\n  type: http\n` })
    const started = performance.now()
    const loaded = await readCollection(dir)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(loaded.problems).toEqual([
      { file: 'bomb.yml', line: expect.any(Number), message: expect.stringMatching(/alias/i) },
    ])
    expect(loaded.items).toHaveLength(1)
  })

  it('keeps template-injection payloads as inert text', async () => {
    const payload = "{{constructor.constructor('return process')().exit(7)}}"
    const dir = folderWith({
      'inject.yml': `info:\n  name: "${payload}"\n  type: http\nhttp:\n  method: GET\n  url: "http://127.0.0.1/{{process.mainModule.require('child_process')}}"\n`,
    })
    const loaded = await readCollection(dir)
    const node = loaded.items.find((n) => n.path === 'inject.yml')
    expect(node?.name).toBe(payload)
    expect(node?.kind === 'request' && (node.item as HttpRequest).http?.url).toContain('{{process.mainModule')
  })

  it('skips a symlink (it could pull a file from outside) and a FIFO (reading it would hang)', async () => {
    const dir = folderWith({})
    const outside = tmp()
    writeFileSync(join(outside, 'secret.yml'), good.replace('Good', 'Outside'))
    symlinkSync(join(outside, 'secret.yml'), join(dir, 'link.yml'))
    symlinkSync(outside, join(dir, 'linkdir'))
    execFileSync('mkfifo', [join(dir, 'pipe.yml')])
    const loaded = await readCollection(dir)
    expect(loaded.items.map((n) => n.name)).toEqual(['Good'])
    expect(loaded.problems.map((p) => p.file).sort()).toEqual(['link.yml', 'linkdir', 'pipe.yml'])
  })
})

describe('a folder far too big to be a collection', () => {
  it('stops walking after 2,000 folders with one line', async () => {
    const dir = folderWith({})
    for (let i = 0; i < 2_005; i++) mkdirSync(join(dir, `d${String(i).padStart(4, '0')}`))
    const loaded = await readCollection(dir)
    expect(loaded.problems).toEqual([
      { file: 'd2000', line: null, message: 'more than 2000 folders; the rest are not loaded' },
    ])
    expect(loaded.items.filter((n) => n.kind === 'folder')).toHaveLength(2_000)
  })
})

describe('names that are not safe file names', () => {
  it('map to safe stems', () => {
    expect(safeStem('../../etc/passwd')).toBe('_..-..-etc-passwd')
    expect(safeStem('/abs/path')).toBe('-abs-path')
    expect(safeStem('CON')).toBe('_CON')
    expect(safeStem('lpt1.txt')).toBe('_lpt1.txt')
    expect(safeStem('a\0b\u0007c')).toBe('a-b-c')
    expect(safeStem('..')).toBe('untitled')
    expect(safeStem('trailing. . ')).toBe('trailing')
    expect(safeStem('.git')).toBe('_.git')
    expect(safeStem('folder')).toBe('_folder')
    expect(safeStem('C:\\Windows')).toBe('C--Windows')
    expect(safeStem('x'.repeat(500)).length).toBeLessThanOrEqual(120)
  })

  it('can never write outside the collection', async () => {
    const parent = tmp()
    const dir = join(parent, 'col')
    await writeCollection(dir, {
      info: { name: '../escape' },
      items: [
        {
          info: { name: '../../outside', type: 'folder' },
          items: [{ info: { name: '../x', type: 'http' }, http: { method: 'GET', url: 'http://a' } }],
        },
        { info: { name: '/etc/cron.d/evil', type: 'http' }, http: { method: 'GET', url: 'http://a' } },
        { info: { name: 'NUL', type: 'http' }, http: { method: 'GET', url: 'http://a' } },
        { info: { name: 'same', type: 'http' }, http: { method: 'GET', url: 'http://1' } },
        { info: { name: 'SAME', type: 'http' }, http: { method: 'GET', url: 'http://2' } },
      ],
      config: { environments: [{ name: '../../env', variables: [] }] },
    })
    expect(readdirSync(parent)).toEqual(['col'])
    expect(readdirSync(dir).sort()).toEqual(
      [
        '.gitignore',
        '-etc-cron.d-evil.yml',
        '_..-..-outside',
        'SAME (2).yml',
        '_NUL.yml',
        'environments',
        'opencollection.yml',
        'same.yml',
      ].sort(),
    )
    expect(readdirSync(join(dir, 'environments'))).toEqual(['_..-..-env.yml'])
    const loaded = await readCollection(dir)
    expect(loaded.problems).toEqual([])
    expect(loaded.items.map((n) => n.name)).toEqual([
      '../../outside',
      '/etc/cron.d/evil',
      'NUL',
      'same',
      'SAME',
    ])
  })

  it('refuses paths that leave the root, are absolute, hold NUL or name a device', () => {
    const root = tmp()
    for (const bad of [
      '../x.yml',
      'a/../../x',
      '/etc/passwd',
      'C:\\x',
      '\\\\server\\share',
      'a\0b',
      'sub/CON.yml',
      'aux',
    ]) {
      expect(() => insideRoot(root, bad), bad).toThrow(/leaves|absolute|NUL|device/)
    }
    expect(insideRoot(root, 'a/b.yml')).toBe(join(root, 'a', 'b.yml'))
    expect(insideRoot(root, 'a\\b.yml')).toBe(join(root, 'a', 'b.yml'))
  })

  it('writing into an existing collection adds beside it and replaces nothing', async () => {
    const dir = tmp()
    const item = (url: string) => ({
      info: { name: 'Get', type: 'http' as const },
      http: { method: 'GET', url },
    })
    await writeCollection(dir, {
      info: { name: 'Mine' },
      request: { variables: [{ name: 'v', value: '1' }] },
      items: [item('http://first')],
      config: { environments: [{ name: 'local', variables: [{ name: 'a', value: 'first' }] }] },
    })
    const second = await writeCollection(dir, {
      info: { name: 'Imported' },
      items: [item('http://second')],
      config: { environments: [{ name: 'local', variables: [{ name: 'a', value: 'second' }] }] },
    })
    expect(second.files).toEqual(['Get (2).yml', 'environments/local (2).yml'])
    const loaded = await readCollection(dir)
    expect(loaded.root.info?.name).toBe('Mine')
    expect(loaded.root.request?.variables).toEqual([{ name: 'v', value: '1' }])
    expect(
      loaded.items.map((n) => (n.kind === 'request' ? (n.item as HttpRequest).http?.url : null)),
    ).toEqual(['http://first', 'http://second'])
    expect(loaded.environments.map((e) => [e.path, e.environment.name])).toEqual([
      ['environments/local.yml', 'local'],
      ['environments/local (2).yml', 'local (2)'],
    ])
  })

  it('writes nothing but its own folder even when the folder is new', async () => {
    const parent = tmp()
    mkdirSync(join(parent, 'x'))
    await writeCollection(join(parent, 'x'), { info: { name: 'n' }, items: [] })
    expect(existsSync(join(parent, 'x', 'opencollection.yml'))).toBe(true)
    expect(readFileSync(join(parent, 'x', '.gitignore'), 'utf8')).toContain('.sockeye/')
    expect(readdirSync(parent)).toEqual(['x'])
  })
})
