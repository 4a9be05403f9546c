/**
 * importInto through the host, as the import dialog calls it: a folder the user names becomes a
 * collection (or an existing one gets the items added); nothing there is ever replaced.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, CollectionView } from '../../electron/contract'
import { LIMITS } from '../../electron/contract/limits'
import { createEngine } from '../../electron/engine'
import type { EngineApi } from '../../electron/engine'
import { createHost, type Host } from '../../electron/host/host'
import { tempDirs } from '../helpers/tmp'

const tmp = tempDirs('host-import')
const open: Array<{ host: Host; engine: EngineApi }> = []
afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close()
    await engine.close()
  }
})

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
    return result.error
  }
  return { call, fails }
}

const postman = JSON.stringify({
  info: { name: 'Shop', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    { name: 'Users', item: [{ name: 'List', request: { method: 'GET', url: 'http://127.0.0.1:9/u' } }] },
    { name: 'Health', request: { method: 'HEAD', url: 'http://127.0.0.1:9/h' } },
  ],
})

describe('importInto', () => {
  it('writes a new collection, then adds to it without replacing a file', async () => {
    const { call } = start()
    const dir = join(tmp(), 'shop')
    const first = await call<{ format: string; dir: string; items: number; warnings: string[] }>(
      'importInto',
      { text: postman, name: 'shop.json', dir },
    )
    expect([first.format, first.dir, first.items]).toEqual(['postman', dir, 2])
    const health = readFileSync(join(dir, 'Health.yml'), 'utf8')
    const view = await call<CollectionView>('openCollection', { dir })
    expect(view.name).toBe('Shop')
    expect(view.items.map((n) => n.name)).toEqual(['Users', 'Health'])

    await call('importInto', { text: `curl -X POST http://127.0.0.1:9/h`, name: 'paste', dir })
    expect(readFileSync(join(dir, 'Health.yml'), 'utf8')).toBe(health)
    const again = await call<CollectionView>('openCollection', { dir })
    expect(again.items).toHaveLength(3)
  })

  it('refuses with one line: relative, non-empty folders, unknown formats, oversized text', async () => {
    const { fails } = start()
    expect((await fails('importInto', { text: postman, name: 'x', dir: 'rel/dir' })).message).toMatch(
      /give the collection folder as an absolute path/,
    )
    const busy = tmp()
    writeFileSync(join(busy, 'mine.txt'), 'mine')
    const refused = await fails('importInto', { text: postman, name: 'x', dir: busy })
    expect(refused.message).toMatch(
      /is not empty and holds no opencollection\.yml; name a new or empty folder/,
    )
    expect(readdirSync(busy)).toEqual(['mine.txt'])
    const unknown = await fails('importInto', { text: 'hello: 1', name: 'notes.yml', dir: join(busy, 'n') })
    expect(unknown.message).toMatch(/^importInto: notes\.yml is not a format Sockeye imports; it reads cURL/)
    expect(unknown.message).not.toContain('\n')
    expect(readdirSync(busy)).toEqual(['mine.txt'])
    const big = await fails('importInto', { text: 'x'.repeat(LIMITS.importBytes + 1), name: 'x', dir: busy })
    expect(big.phase).toBe('input')
  })
})
