import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useComposerStore } from '../../renderer/src/stores/composer'
import { kv, parseQuery, withParams } from '../../renderer/src/stores/urlParams'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { resetUiState, uiStorage } from '../../renderer/src/stores/uiState'

class MemoryStorage {
  data = new Map<string, string>()
  getItem = (k: string) => this.data.get(k) ?? null
  setItem = (k: string, v: string) => void this.data.set(k, v)
}

let storage: MemoryStorage
beforeEach(() => {
  storage = new MemoryStorage()
  ;(globalThis as { localStorage?: unknown }).localStorage = storage
  resetUiState()
  setActivePinia(createPinia())
})
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage
  setApi(null)
})

describe('composer URL ↔ params', () => {
  it('fills the params table from the URL query', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:8080/search?q=python&v=1.0')
    expect(composer.params.map((p) => [p.name, p.value])).toEqual([
      ['q', 'python'],
      ['v', '1.0'],
    ])
  })

  it('rewrites the URL query when a param is edited', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:8080/search?q=python&v=1.0#top')
    composer.setParams(composer.params.map((p) => (p.name === 'q' ? { ...p, value: 'php' } : p)))
    expect(composer.url).toBe('http://127.0.0.1:8080/search?q=php&v=1.0#top')
  })

  it('keeps a disabled param in the table but out of the URL', () => {
    const composer = useComposerStore()
    composer.setUrl('http://h:1/?a=1&b=2')
    composer.setParams(composer.params.map((p) => (p.name === 'a' ? { ...p, enabled: false } : p)))
    expect(composer.url).toBe('http://h:1/?b=2')
    composer.setUrl('http://h:1/?b=3')
    expect(composer.params.map((p) => [p.name, p.value, p.enabled])).toEqual([
      ['b', '3', true],
      ['a', '1', false],
    ])
  })

  it('decodes percent-escapes and plus signs in params and encodes them back', () => {
    expect(parseQuery('q=a+b%26c&empty')).toEqual([
      ['q', 'a b&c'],
      ['empty', ''],
    ])
    expect(withParams('http://h:1/p', [kv('q', 'a b&c'), kv('t', '1:2')])).toBe(
      'http://h:1/p?q=a%20b%26c&t=1:2',
    )
  })

  it('keeps a malformed escape as typed instead of throwing', () => {
    expect(parseQuery('q=%E0%A4%A')).toEqual([['q', '%E0%A4%A']])
  })
})

describe('composer request', () => {
  it('adds a JSON content type to a JSON body', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/')
    composer.method = 'post'
    composer.bodyMode = 'json'
    composer.body = '{"a":1}'
    const built = composer.toSpec()
    expect(built.ok && built.spec).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: [['content-type', 'application/json']],
    })
  })

  it('refuses to send invalid JSON with a one-line reason', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/')
    composer.bodyMode = 'json'
    composer.body = '{a:1}'
    const built = composer.toSpec()
    expect(built.ok).toBe(false)
    expect(!built.ok && built.message).toMatch(/^Body is not valid JSON: [^\n]+$/)
  })

  it('sends form fields url-encoded', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/')
    composer.bodyMode = 'form'
    composer.form = [kv('name', 'a b'), kv('x', '&', false)]
    const built = composer.toSpec()
    expect(built.ok && built.spec.body).toBe('name=a+b')
  })

  it('sends repeat and concurrency with the fresh-connection flag', async () => {
    const seen: unknown[] = []
    setApi({
      send: async (input: unknown) => {
        seen.push(input)
        return { requestIds: [1, 2, 3] }
      },
    } as unknown as RendererApi)
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/')
    composer.repeat = 3
    composer.concurrency = 2
    composer.fresh = true
    expect(await composer.send()).toEqual([1, 2, 3])
    expect(seen[0]).toMatchObject({
      repeat: 3,
      concurrency: 2,
      request: { fresh: true, url: 'http://127.0.0.1:1/' },
    })
  })

  it('remembers the composed request across reloads', () => {
    const first = useComposerStore()
    first.setUrl('http://127.0.0.1:9/x?q=1')
    first.method = 'PUT'
    first.headers = [kv('x-a', '1')]
    first.repeat = 5
    setActivePinia(createPinia())
    const second = useComposerStore()
    expect([second.method, second.url, second.repeat]).toEqual(['PUT', 'http://127.0.0.1:9/x?q=1', 5])
    expect(second.headers.map((h) => [h.name, h.value])).toEqual([['x-a', '1']])
    expect(second.params.map((p) => p.name)).toEqual(['q'])
  })

  it('starts clean when the saved state is corrupt', () => {
    uiStorage().setItem('sockeye.composer.v1', '{not json')
    const composer = useComposerStore()
    expect([composer.method, composer.url, composer.repeat]).toEqual(['GET', '', 1])
  })
})

describe('composer tabs', () => {
  it('keeps each tab’s fields when switching between tabs', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/first')
    const first = composer.activeTab
    composer.openTab()
    expect(composer.url).toBe('')
    composer.setUrl('http://127.0.0.1:1/second?x=1')
    composer.method = 'DELETE'
    composer.switchTab(first)
    expect([composer.method, composer.url]).toEqual(['GET', 'http://127.0.0.1:1/first'])
    expect(composer.tabList.map((t) => t.label)).toEqual(['GET /first', 'DELETE /second?x=1'])
  })

  it('restores every tab after a reload, without auth secrets', () => {
    const first = useComposerStore()
    first.setUrl('http://127.0.0.1:1/a')
    first.auth = { ...first.auth, kind: 'bearer', token: 'top-secret' }
    first.openTab()
    first.setUrl('http://127.0.0.1:1/b')
    // Drafts are kept in the host's UI state (uiStorage), never in the page's localStorage.
    const saved = uiStorage().getItem('sockeye.composer.v1')
    expect(saved).toContain('http://127.0.0.1:1/a')
    expect(saved).not.toContain('top-secret')
    expect(storage.data.size).toBe(0)
    setActivePinia(createPinia())
    const second = useComposerStore()
    expect(second.tabList.map((t) => t.label)).toEqual(['GET /a', 'GET /b'])
    expect(second.url).toBe('http://127.0.0.1:1/b')
    second.switchTab(second.tabs[0]!.id)
    expect([second.auth.kind, second.auth.token]).toEqual(['bearer', ''])
  })

  it('closing the active tab shows its neighbour; closing the last one leaves a blank draft', () => {
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:1/a')
    composer.openTab()
    composer.setUrl('http://127.0.0.1:1/b')
    composer.closeTab(composer.activeTab)
    expect(composer.url).toBe('http://127.0.0.1:1/a')
    composer.closeTab(composer.activeTab)
    expect([composer.tabs.length, composer.url]).toEqual([1, ''])
  })
})
