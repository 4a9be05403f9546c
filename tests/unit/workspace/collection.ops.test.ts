import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRequest } from '@usebruno/filestore'
import {
  createItem,
  deleteItem,
  duplicateItem,
  moveItem,
  prepareRequest,
  readCollection,
  renameItem,
  requestsInOrder,
  saveEnvironment,
  saveRequest,
  watchCollection,
  writeCollection,
} from '../../../electron/workspace/collection'
import { tempDirs } from '../../helpers/tmp'

const tmp = tempDirs('ops')

async function collection() {
  const dir = tmp()
  await writeCollection(dir, { info: { name: 'Ops' }, items: [] })
  return dir
}

const names = async (dir: string) =>
  (await readCollection(dir)).items.map((n) => `${n.kind}:${n.path}:${n.name}`)

describe('collection operations', () => {
  it('create, rename, move, duplicate and delete requests and folders', async () => {
    const dir = await collection()
    const folder = await createItem(dir, '', 'folder', 'Users')
    const request = await createItem(dir, '', 'request', 'List users')
    expect([folder, request]).toEqual(['Users', 'List users.yml'])
    expect(await names(dir)).toEqual(['folder:Users:Users', 'request:List users.yml:List users'])

    const renamed = await renameItem(dir, request, 'All users')
    expect(renamed).toBe('All users.yml')
    const moved = await moveItem(dir, renamed, folder)
    expect(moved).toBe('Users/All users.yml')
    const copy = await duplicateItem(dir, moved)
    expect(copy).toBe('Users/All users copy.yml')
    const folderCopy = await duplicateItem(dir, folder)
    expect(folderCopy).toBe('Users copy')
    expect(readdirSync(join(dir, folderCopy)).sort()).toEqual([
      'All users copy.yml',
      'All users.yml',
      'folder.yml',
    ])
    const renamedFolder = await renameItem(dir, folder, 'People')
    expect(renamedFolder).toBe('People')

    const loaded = await readCollection(dir)
    expect(loaded.problems).toEqual([])
    const people = loaded.items.find((n) => n.path === 'People')
    expect(people?.kind === 'folder' && people.items.map((n) => n.name)).toEqual([
      'All users',
      'All users copy',
    ])

    await deleteItem(dir, 'People/All users copy.yml')
    await deleteItem(dir, folderCopy)
    expect(await names(dir)).toEqual(['folder:People:People'])
  })

  it('refuses paths outside the collection, through symlinks, or onto its own files', async () => {
    const dir = await collection()
    const outside = tmp()
    mkdirSync(join(outside, 'victim'))
    symlinkSync(outside, join(dir, 'link'))
    await expect(createItem(dir, '../', 'request', 'x')).rejects.toThrow(/leaves the collection/)
    await expect(createItem(dir, 'link/victim', 'request', 'x')).rejects.toThrow(/symbolic link/)
    await expect(deleteItem(dir, '')).rejects.toThrow(/not a request or folder/)
    await expect(deleteItem(dir, 'opencollection.yml')).rejects.toThrow(/not a request or folder/)
    await expect(deleteItem(dir, '/etc/passwd')).rejects.toThrow(/absolute/)
    await expect(saveRequest(dir, '../evil.yml', {})).rejects.toThrow(/leaves the collection/)
    await expect(saveRequest(dir, 'link/victim/x.yml', {})).rejects.toThrow(/symbolic link/)
    await expect(moveItem(dir, 'nope.yml', '')).rejects.toThrow(/no request or folder/)
    const f = await createItem(dir, '', 'folder', 'F')
    await expect(moveItem(dir, f, f)).rejects.toThrow(/into itself/)
    expect(readdirSync(outside)).toEqual(['victim'])
    expect(readdirSync(join(outside, 'victim'))).toEqual([])
  })

  it('keeps the http keys a saved document leaves out, and null removes one', async () => {
    const dir = await collection()
    writeFileSync(
      join(dir, 'r.yml'),
      'info:\n  name: R\n  type: http\n  seq: 1\nhttp:\n  method: GET\n  url: http://a\n  auth: inherit\n  body:\n    type: text\n    data: old\n  x-tool: 1\n',
    )
    await saveRequest(dir, 'r.yml', { http: { url: 'http://b', body: null } })
    const [node] = (await readCollection(dir)).items
    expect(node?.kind === 'request' ? (node.item as { http?: unknown }).http : null).toEqual({
      method: 'GET',
      url: 'http://b',
      auth: 'inherit',
      'x-tool': 1,
    })
  })

  it('keeps the settings keys a saved document leaves out (encodeUrl, another tool’s), and null removes one', async () => {
    const dir = await collection()
    writeFileSync(
      join(dir, 'r.yml'),
      'info:\n  name: R\n  type: http\n  seq: 1\nhttp:\n  url: http://a\nsettings:\n  encodeUrl: false\n  timeout: 5\n  x-tool: 1\n',
    )
    await saveRequest(dir, 'r.yml', { settings: { followRedirects: true, maxRedirects: 2, timeout: null } })
    const [node] = (await readCollection(dir)).items
    expect(node?.kind === 'request' ? (node.item as { settings?: unknown }).settings : null).toEqual({
      encodeUrl: false,
      followRedirects: true,
      maxRedirects: 2,
      'x-tool': 1,
    })
    // What the composer saved is what `sockeye run` (and Send from the tree) follows.
    const loaded = await readCollection(dir)
    expect(prepareRequest(loaded, requestsInOrder(loaded.items)[0]!).spec.redirects).toEqual({
      follow: true,
      max: 2,
    })
  })

  it('saves a request keeping the keys it does not edit (scripts, docs, another tool’s keys)', async () => {
    const dir = await collection()
    writeFileSync(
      join(dir, 'r.yml'),
      'info:\n  name: R\n  type: http\n  seq: 1\nhttp:\n  method: GET\n  url: http://a\nruntime:\n  scripts:\n    - type: before-request\n      code: "bru.setVar(1)"\ndocs: keep me\nx-other-tool:\n  flag: true\n',
    )
    await saveRequest(dir, 'r.yml', {
      info: { name: 'R', type: 'http', seq: 1 },
      http: { method: 'POST', url: 'http://b', body: { type: 'text', data: 'hi' } },
    })
    const text = readFileSync(join(dir, 'r.yml'), 'utf8')
    expect(text).toContain('docs: keep me')
    expect(text).toContain('x-other-tool:')
    expect(text).toContain('bru.setVar(1)')
    // Bruno still reads it, with the new method, URL and body.
    const bruno = parseRequest(text, { format: 'yml' })
    expect([bruno.request.method, bruno.request.url, bruno.request.body.text]).toEqual([
      'POST',
      'http://b',
      'hi',
    ])
    // Stable key order: the known blocks first, in Bruno's order.
    expect(
      text
        .split('\n')
        .filter((l) => /^\S/.test(l))
        .map((l) => l.split(':')[0]),
    ).toEqual(['info', 'http', 'runtime', 'docs', 'x-other-tool'])
  })

  it('saves an environment with secret values in the local file only', async () => {
    const dir = await collection()
    const path = await saveEnvironment(
      dir,
      {
        name: 'prod',
        variables: [
          { name: 'base', value: 'https://x' },
          { secret: true, name: 'key' },
        ],
      },
      { key: 'hunter2' },
    )
    expect(path).toBe('environments/prod.yml')
    expect(readFileSync(join(dir, path), 'utf8')).not.toContain('hunter2')
    expect(readFileSync(join(dir, '.sockeye', 'secrets.json'), 'utf8')).toContain('hunter2')
    // Saving again updates the same file.
    expect(await saveEnvironment(dir, { name: 'prod', variables: [] }, {})).toBe(path)
  })
})

describe('extensions.sockeye.requests follows its requests', () => {
  it('is re-keyed on rename and move, and dropped on delete', async () => {
    const dir = tmp()
    await writeCollection(dir, {
      info: { name: 'X' },
      items: [
        {
          info: { name: 'F', type: 'folder' },
          items: [{ info: { name: 'r', type: 'http' }, http: { method: 'GET', url: 'http://a' } }],
        },
      ],
      extensions: { sockeye: { requests: { 'F/r.yml': { fresh: true }, 'other.yml': { fresh: true } } } },
    })
    const settings = async () =>
      ((await readCollection(dir)).root.extensions?.sockeye as { requests: object }).requests
    await renameItem(dir, 'F', 'G')
    expect(await settings()).toEqual({ 'other.yml': { fresh: true }, 'G/r.yml': { fresh: true } })
    await moveItem(dir, 'G/r.yml', '')
    expect(await settings()).toEqual({ 'other.yml': { fresh: true }, 'r.yml': { fresh: true } })
    await deleteItem(dir, 'r.yml')
    expect(await settings()).toEqual({ 'other.yml': { fresh: true } })
  })
})

describe('watching a collection', () => {
  it('reports changes made outside (an editor, git pull) as one batch of relative paths', async () => {
    const dir = await collection()
    const batches: string[][] = []
    let signal: () => void = () => undefined
    const watcher = watchCollection(dir, (paths) => {
      batches.push(paths)
      signal()
    })
    try {
      await watcher.ready
      const changed = new Promise<void>((done) => (signal = done))
      mkdirSync(join(dir, 'pulled'))
      writeFileSync(join(dir, 'pulled', 'a.yml'), 'info:\n  name: A\n  type: http\n')
      writeFileSync(join(dir, 'b.yml'), 'info:\n  name: B\n  type: http\n')
      writeFileSync(join(dir, 'notes.txt'), 'not a collection file')
      await changed
      const seen = batches.flat()
      expect(seen).toEqual(expect.arrayContaining(['b.yml', 'pulled']))
      expect(seen).not.toContain('notes.txt')
      expect(existsSync(join(dir, 'pulled', 'a.yml'))).toBe(true)
      expect((await names(dir)).sort()).toEqual(['folder:pulled:pulled', 'request:b.yml:B'])
    } finally {
      await watcher.close()
    }
  })

  it('reports a burst (200 files, as a git pull writes them) in a few batches, not 200 events', async () => {
    const dir = await collection()
    const batches: string[][] = []
    let wake: () => void = () => undefined
    const watcher = watchCollection(dir, (paths) => {
      batches.push(paths)
      if (new Set(batches.flat()).size >= 200) wake()
    })
    try {
      await watcher.ready
      const all = new Promise<void>((done) => (wake = done))
      for (let i = 0; i < 200; i++)
        writeFileSync(join(dir, `r${i}.yml`), `info:\n  name: R${i}\n  type: http\n`)
      await all
      expect(new Set(batches.flat()).size).toBe(200)
      // Gathered over the settle window: a handful of events, however the OS delivers them.
      expect(batches.length).toBeLessThanOrEqual(10)
    } finally {
      await watcher.close()
    }
  })
})
