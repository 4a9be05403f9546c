/**
 * The workspace calls through the host, as the renderer (IPC or WebSocket) makes them: a real
 * engine against a loopback server, collections in temp folders, history in a temp log.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  CallName,
  CallResult,
  CollectionView,
  EngineEvent,
  HistoryEntry,
  HistorySummary,
} from '../../electron/contract'
import { createEngine } from '../../electron/engine'
import type { EngineApi } from '../../electron/engine'
import { createHost, type Host } from '../../electron/host/host'
import { startHttpServer, type TestServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'

const tmp = tempDirs('host-ws')
const open: Array<{ host: Host; engine: EngineApi }> = []
const servers: TestServer[] = []
afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close()
    await engine.close()
  }
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

function start(historyFile: string | null = null) {
  const engine = createEngine()
  const host = createHost(engine, { historyFile })
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
  return { engine, host, call, fails }
}

describe('workspace calls', () => {
  it('create, save, resolve, rename and delete through the contract, and report outside edits', async () => {
    const { host, call, fails } = start()
    const dir = join(tmp(), 'api')
    const events: EngineEvent[] = []
    let wake: () => void = () => undefined
    host.onEvents((batch) => {
      events.push(...batch)
      if (batch.some((e) => e.type === 'workspace:changed' && e.paths.includes('from-editor.yml'))) wake()
    })

    // A folder that is not a collection is not opened (or watched): a slip to / or $HOME.
    expect((await fails('openCollection', { dir: tmp() })).message).toMatch(
      /has no opencollection\.yml; it is not an OpenCollection folder/,
    )
    expect((await fails('openCollection', { dir: 'relative/dir' })).message).toMatch(/absolute path/)
    // Not open yet: refused.
    expect((await fails('createItem', { dir, parent: '', kind: 'request', name: 'x' })).message).toMatch(
      /not an open collection/,
    )
    const created = await call<CollectionView>('newCollection', { dir, name: 'API' })
    expect(created.name).toBe('API')
    const { path } = await call<{ path: string }>('createItem', {
      dir,
      parent: '',
      kind: 'request',
      name: 'Get {{thing}}',
    })
    expect(path).toBe('Get {{thing}}.yml')
    await call('saveRequest', {
      dir,
      path,
      item: {
        info: { name: 'Get {{thing}}', type: 'http', seq: 1 },
        http: { method: 'GET', url: '{{base}}/x', headers: [{ name: 'X-K', value: '{{key}}' }] },
      },
    })
    await call('saveEnvironment', {
      dir,
      name: 'local',
      variables: [
        { name: 'base', value: 'http://127.0.0.1:1' },
        { name: 'key', value: 'secret-value', secret: true },
      ],
    })
    expect(readFileSync(join(dir, 'environments', 'local.yml'), 'utf8')).not.toContain('secret-value')
    const resolved = await call<{
      request: { url: string; headers: [string, string][] }
      unresolved: string[]
    }>('resolveRequest', { dir, path, environment: 'local' })
    expect(resolved.request.url).toBe('http://127.0.0.1:1/x')
    expect(resolved.request.headers).toEqual([['X-K', 'secret-value']])
    const view = await call<CollectionView>('openCollection', { dir })
    // The renderer never gets secret values, only whether one is set.
    expect(view.environments[0]?.variables).toEqual([
      { name: 'base', value: 'http://127.0.0.1:1', secret: false, disabled: false, hasValue: true },
      { name: 'key', value: null, secret: true, disabled: false, hasValue: true },
    ])
    expect(JSON.stringify(view)).not.toContain('secret-value')

    // A draft's own texts, resolved in its request's scope: the secret is substituted, never listed.
    const texts = await call<{ texts: string[]; unresolved: string[]; variables: unknown[] }>(
      'resolveVariables',
      { dir, path, environment: 'local', texts: ['{{base}}/y', '{{key}}', '{{nope}}'] },
    )
    expect(texts.texts).toEqual(['http://127.0.0.1:1/y', 'secret-value', '{{nope}}'])
    expect(texts.unresolved).toEqual(['nope'])
    expect(JSON.stringify(texts.variables)).not.toContain('secret-value')
    expect(
      (await fails('resolveVariables', { dir: tmp(), path: null, environment: null, texts: [] })).message,
    ).toMatch(/not an open collection/)

    // Paths from calls stay inside the collection.
    for (const bad of ['../x.yml', '/etc/passwd', 'a/../../x.yml', 'x\0.yml']) {
      const error = await fails('deleteItem', { dir, path: bad })
      expect(error.code).toBe('INVALID_OPTION')
      expect(error.message).toMatch(/^deleteItem: /)
    }
    expect((await fails('saveRequest', { dir, path: '../../evil.yml', item: {} })).message).toMatch(
      /leaves the collection/,
    )

    // An edit from outside (an editor, git pull) arrives as workspace:changed.
    const changed = new Promise<void>((done) => (wake = done))
    writeFileSync(
      join(dir, 'from-editor.yml'),
      'info:\n  name: From editor\n  type: http\nhttp:\n  method: GET\n  url: http://a\n',
    )
    await changed
    const change = events.find((e) => e.type === 'workspace:changed' && e.paths.includes('from-editor.yml'))
    expect(change).toMatchObject({ type: 'workspace:changed', dir })

    const renamed = await call<{ path: string }>('renameItem', { dir, path, name: 'Get thing' })
    expect(renamed.path).toBe('Get thing.yml')
    await call('deleteItem', { dir, path: renamed.path })
    const after = await call<CollectionView>('openCollection', { dir })
    expect(after.items.map((n) => n.name)).toEqual(['From editor'])
  })

  it('keeps history on disk across a restart: search, load, save into a collection, export HAR', async () => {
    const server = await startHttpServer()
    servers.push(server)
    const historyFile = join(tmp(), 'state', 'history.jsonl')
    const first = start(historyFile)
    await first.call('send', {
      request: { method: 'POST', url: `${server.url}/a?size=5`, headers: [['X-T', '1']], body: 'hello' },
      repeat: 2,
    })
    // The send call returns at once; wait for both results to be on disk.
    await waitFor(async () => (await first.call<{ total: number }>('searchHistory', {})).total === 2)
    await first.host.close()
    await first.engine.close()

    const second = start(historyFile)
    const found = await second.call<{ entries: HistorySummary[]; total: number }>('searchHistory', {
      text: '/a',
      status: '2xx',
    })
    expect(found.total).toBe(2)
    expect(found.entries.map((e) => [e.result.socket, e.result.reused])).toEqual([
      [1, true],
      [1, false],
    ])
    expect(
      (await second.call<{ entries: HistorySummary[] }>('searchHistory', { status: 404 })).entries,
    ).toEqual([])
    const entry = await second.call<HistoryEntry>('getHistoryEntry', { id: found.entries[1]?.id })
    expect(entry.request).toEqual({
      method: 'POST',
      url: `${server.url}/a?size=5`,
      headers: [['X-T', '1']],
      body: 'hello',
    })
    expect(entry.body?.data).toBe('xxxxx')
    expect(entry.connection?.id).toBe(1)

    const dir = join(tmp(), 'saved')
    await second.call('newCollection', { dir, name: 'Saved' })
    const saved = await second.call<{ path: string }>('saveHistoryEntry', {
      id: entry.id,
      dir,
      parent: '',
      name: 'Post a',
    })
    const resolved = await second.call<{ request: { method: string; url: string; body: string } }>(
      'resolveRequest',
      { dir, path: saved.path, environment: null },
    )
    expect([resolved.request.method, resolved.request.url, resolved.request.body]).toEqual([
      'POST',
      `${server.url}/a?size=5`,
      'hello',
    ])

    const har = JSON.parse((await second.call<{ har: string }>('exportHistory', {})).har)
    expect(
      har.log.entries.map((e: { connection: string; response: { status: number } }) => [
        e.connection,
        e.response.status,
      ]),
    ).toEqual([
      ['1', 200],
      ['1', 200],
    ])
  })

  it('keeps what was sent for a stale-socket retry too (the retry is a new request id)', async () => {
    const served = new WeakSet<object>()
    // Answers the first request on each socket; drops the socket when a second one arrives on it.
    const server = await startHttpServer((req, res) => {
      if (served.has(req.socket)) return void req.socket.destroy()
      served.add(req.socket)
      res.end('ok')
    })
    servers.push(server)
    const { call } = start(join(tmp(), 'history.jsonl'))
    // PUT is idempotent (retried once) and has a body, which the result alone does not hold.
    const request = {
      method: 'PUT',
      url: `${server.url}/again`,
      headers: [['X-Mark', 'kept']],
      body: 'payload',
    }
    await call('send', { request, repeat: 2 })
    await waitFor(async () => (await call<{ total: number }>('searchHistory', {})).total === 3)
    const { entries } = await call<{ entries: HistorySummary[] }>('searchHistory', {})
    // Newest first: the retry (new socket), the stale attempt, the first request.
    expect(entries.map((e) => [e.result.retryOf !== null, e.result.error?.code ?? null])).toEqual([
      [true, null],
      [false, 'STALE_SOCKET'],
      [false, null],
    ])
    for (const e of entries) expect(e.request.bodyBytes).toBe(7)
    const retry = await call<HistoryEntry>('getHistoryEntry', { id: entries[0]?.id })
    expect(retry.request).toEqual(request)
  })
})

async function waitFor(ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for history')
    await new Promise((r) => setTimeout(r, 10))
  }
}
