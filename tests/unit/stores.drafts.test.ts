import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { CollectionTreeNode, CollectionView } from '../../renderer/src/api/contract'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { useCollectionsStore } from '../../renderer/src/stores/collections'
import { useComposerStore } from '../../renderer/src/stores/composer'
import { problemsOf } from '../../renderer/src/stores/draft'
import { fromSaved, toSaved } from '../../renderer/src/stores/draftState'
import { useDraftsStore } from '../../renderer/src/stores/drafts'
import {
  draftFromItem,
  fingerprint,
  itemFromDraft,
  textsOf,
  withTexts,
} from '../../renderer/src/stores/itemDraft'
import { kv, withParams } from '../../renderer/src/stores/urlParams'
import { resetUiState, uiStorage } from '../../renderer/src/stores/uiState'
import { REDIRECTS_DEFAULT } from '../../electron/contract/limits'
import { fakeApi as recordingApi, type Answers, type ApiCall } from '../helpers/fakeApi'

const DIR = '/c/shop'
const doc = () => ({
  info: { name: 'List', type: 'http', seq: 1 },
  http: {
    method: 'GET',
    url: '{{baseUrl}}/items?page={{page}}',
    params: [
      { name: 'page', value: '{{page}}', type: 'query' },
      { name: 'id', value: '7', type: 'path' },
    ],
    headers: [{ name: 'X-Key', value: '{{key}}', description: 'kept' }],
    auth: 'inherit',
    body: [{ title: 'one', selected: true, body: { type: 'json', data: '{"n":{{n}}}' } }],
    'x-tool': { keep: true },
  },
  docs: 'keep me',
})

function node(d: Record<string, unknown> = doc(), path = 'List.yml'): CollectionTreeNode {
  return { kind: 'request', path, name: 'List', seq: 1, type: 'http', doc: d, items: [] }
}
const view = (items: CollectionTreeNode[]): CollectionView => ({
  dir: DIR,
  name: 'Shop',
  root: {},
  items,
  environments: [],
  problems: [],
})

let calls: ApiCall[]
const fakeApi = (answers: Answers) => setApi(recordingApi(answers, (c) => calls.push(c)) as RendererApi)

beforeEach(() => {
  calls = []
  resetUiState()
  setActivePinia(createPinia())
})
afterEach(() => setApi(null))

describe('a collection request as a draft', () => {
  it('opens with its templates as written', () => {
    const d = draftFromItem(doc())
    expect(d.url).toBe('{{baseUrl}}/items?page={{page}}')
    expect(d.headers.map((h) => [h.name, h.value])).toEqual([['X-Key', '{{key}}']])
    expect([d.bodyMode, d.body]).toEqual(['json', '{"n":{{n}}}'])
    expect(d.auth.kind).toBe('none')
  })

  it('saves only what changed: an edited header keeps its description, the rest of http stays verbatim', () => {
    const d = draftFromItem(doc())
    d.headers = [...d.headers.map((h) => ({ ...h, value: '{{key2}}' })), kv('X-New', 'b')]
    const out = itemFromDraft(d, doc()) as { http: Record<string, unknown> }
    expect(out.http.headers).toEqual([
      { name: 'X-Key', value: '{{key2}}', description: 'kept' },
      { name: 'X-New', value: 'b' },
    ])
    const rest = { ...out.http, headers: undefined }
    expect(rest).toEqual({ ...doc().http, headers: undefined })
    expect(Object.keys(out)).toEqual(['http'])
  })

  it('writes Follow redirects to settings only when changed, keeping the settings keys it does not edit', () => {
    const withSettings = () => ({
      ...doc(),
      settings: { encodeUrl: false, timeout: 0, followRedirects: 'inherit', 'x-tool': 1 },
    })
    const d = draftFromItem(withSettings())
    // 'inherit' and absent are off, as `sockeye run` reads them; untouched, nothing is written.
    expect([d.follow, d.maxRedirects]).toEqual([false, REDIRECTS_DEFAULT])
    expect(Object.keys(itemFromDraft(d, withSettings()))).toEqual(['http'])
    d.follow = true
    d.maxRedirects = 4
    const out = itemFromDraft(d, withSettings()) as { http: Record<string, unknown>; settings: unknown }
    expect(out.settings).toEqual({
      encodeUrl: false,
      timeout: 0,
      followRedirects: true,
      maxRedirects: 4,
      'x-tool': 1,
    })
    expect(out.http).toEqual(doc().http)
    const back = draftFromItem({ ...withSettings(), settings: out.settings })
    expect([back.follow, back.maxRedirects]).toEqual([true, 4])
    expect(fingerprint(back)).toBe(fingerprint(d))
  })

  it('an edited URL rewrites the query params and keeps the path params', () => {
    const d = draftFromItem(doc())
    d.url = '{{baseUrl}}/items/:id?page=2&q={{q}}'
    const http = (itemFromDraft(d, doc()) as { http: Record<string, unknown> }).http
    expect(http.url).toBe('{{baseUrl}}/items/:id?page=2&q={{q}}')
    expect(http.params).toEqual([
      { name: 'page', value: '2', type: 'query' },
      { name: 'q', value: '{{q}}', type: 'query' },
      { name: 'id', value: '7', type: 'path' },
    ])
  })

  it('is not refused for a templated URL or JSON body before Send resolves them', () => {
    const d = draftFromItem(doc())
    expect(problemsOf(d)).toEqual({})
    d.url = 'not a url'
    expect(problemsOf(d).url).toMatch(/^Start the URL with http/)
  })

  it('editing a param keeps a {{variable}} in the URL as written (not %7B%7B)', () => {
    expect(withParams('{{base}}/x', [kv('q', '{{v}}'), kv('a b', 'c&d')])).toBe(
      '{{base}}/x?q={{v}}&a%20b=c%26d',
    )
  })

  it('tells unsaved changes by fingerprint', () => {
    const d = draftFromItem(doc())
    const base = fingerprint(d)
    expect(fingerprint(draftFromItem(doc()))).toBe(base)
    d.headers = [...d.headers, kv('A', '1')]
    expect(fingerprint(d)).not.toBe(base)
  })

  it('replaces texts in the order it lists them (for resolution on Send)', () => {
    const d = draftFromItem(doc())
    d.auth = { ...d.auth, kind: 'basic', user: '{{u}}', password: '{{p}}' }
    const texts = textsOf(d)
    const back = withTexts(
      d,
      texts.map((t) => t.replace(/\{\{(\w+)\}\}/g, (_, n: string) => n.toUpperCase())),
    )
    expect([back.url, back.headers[0]!.value, back.body, back.auth.user, back.auth.password]).toEqual([
      'BASEURL/items?page=PAGE',
      'KEY',
      '{"n":N}',
      'U',
      'P',
    ])
  })

  it('remembers its origin and templated auth across a reload, never a literal secret', () => {
    const d = draftFromItem(doc())
    d.origin = { dir: DIR, path: 'List.yml', name: 'List' }
    d.base = fingerprint(d)
    d.auth = { ...d.auth, kind: 'bearer', token: '{{token}}' }
    const saved = JSON.parse(JSON.stringify(toSaved(d)))
    expect(saved.auth.token).toBe('{{token}}')
    const back = fromSaved(saved)
    expect([back.origin, back.base, back.auth.token]).toEqual([d.origin, d.base, '{{token}}'])
    d.auth.token = 'literal-s3cret'
    expect(JSON.stringify(toSaved(d))).not.toContain('literal-s3cret')
  })
})

describe('drafts store', () => {
  it('opens a request in the blank tab with its origin, marks edits unsaved, saves back through saveRequest', async () => {
    fakeApi({ saveRequest: (i) => ({ path: i.path }) })
    const collections = useCollectionsStore()
    collections.view = view([node()])
    const composer = useComposerStore()
    const drafts = useDraftsStore()
    drafts.open(DIR, node())
    expect(composer.tabs).toHaveLength(1)
    expect([composer.url, composer.origin?.path, composer.dirty]).toEqual([
      '{{baseUrl}}/items?page={{page}}',
      'List.yml',
      false,
    ])
    composer.headers = [...composer.headers, kv('X-Edit', '1')]
    expect(composer.dirty).toBe(true)
    expect(composer.tabList[0]!.dirty).toBe(true)
    await drafts.save()
    expect(composer.dirty).toBe(false)
    const item = calls.find((c) => c.name === 'saveRequest')!.input.item as { http: { headers: unknown[] } }
    expect(item.http.headers).toContainEqual({ name: 'X-Edit', value: '1' })
    // Opening it again goes to its tab, it does not load over another one.
    composer.openTab()
    drafts.open(DIR, node())
    expect(composer.tabs).toHaveLength(2)
    expect(composer.origin?.path).toBe('List.yml')
  })

  it('follows the file on disk: a clean tab reloads, a tab with unsaved changes is asked', () => {
    const composer = useComposerStore()
    const drafts = useDraftsStore()
    drafts.open(DIR, node())
    const changed = doc()
    changed.http.url = '{{baseUrl}}/v2/items'
    drafts.reconcile(view([node(changed)]))
    // The file's query params come along when its URL has no query (Bruno keeps both).
    expect(composer.url).toBe('{{baseUrl}}/v2/items?page={{page}}')
    expect(composer.dirty).toBe(false)

    composer.setUrl('{{baseUrl}}/mine')
    const again = doc()
    again.http.url = '{{baseUrl}}/v3/items'
    drafts.reconcile(view([node(again)]))
    expect(composer.url).toBe('{{baseUrl}}/mine')
    expect(drafts.conflicts[composer.activeTab]).toBeDefined()
    drafts.settle(composer.activeTab, 'mine')
    expect(composer.url).toBe('{{baseUrl}}/mine')
    expect(composer.dirty).toBe(true)
  })

  it('a tab restored without its literal token (never remembered) gets it back from the file, still clean', () => {
    const withToken = { ...doc(), http: { ...doc().http, auth: { type: 'bearer', token: 'lit-123' } } }
    const composer = useComposerStore()
    const drafts = useDraftsStore()
    drafts.open(DIR, node(withToken))
    expect(composer.auth.token).toBe('lit-123')
    const remembered = JSON.parse(JSON.stringify(composer.saveState()))
    expect(JSON.stringify(remembered)).not.toContain('lit-123')
    composer.load(fromSaved(remembered))
    expect([composer.auth.token, composer.dirty]).toEqual(['', true])
    drafts.reconcile(view([node(withToken)]))
    expect([composer.auth.token, composer.dirty]).toEqual(['lit-123', false])
  })

  it('resolves on Send through the host, adds what the request inherits, and names what stayed unresolved', async () => {
    fakeApi({
      resolveVariables: (i) => ({
        texts: (i.texts as string[]).map((t) =>
          t.replace('{{baseUrl}}', 'http://127.0.0.1:9').replace('{{key}}', 'k1'),
        ),
        unresolved: ['page', 'n'],
        variables: [],
        inherited: [
          ['X-Key', 'inherited loses'],
          ['X-Team', 'a'],
        ],
      }),
    })
    useCollectionsStore().view = view([node()])
    useCollectionsStore().environment = 'local'
    const drafts = useDraftsStore()
    drafts.open(DIR, node())
    useComposerStore().bodyMode = 'raw'
    const prepared = await drafts.prepare()
    const call = calls.find((c) => c.name === 'resolveVariables')!.input
    expect([call.dir, call.path, call.environment]).toEqual([DIR, 'List.yml', 'local'])
    expect(prepared.unresolved).toEqual(['page', 'n'])
    expect(prepared.spec.url).toBe('http://127.0.0.1:9/items?page={{page}}')
    expect(prepared.spec.headers).toEqual([
      ['X-Key', 'k1'],
      ['content-type', 'text/plain'],
      ['X-Team', 'a'],
    ])
    // The draft itself still holds its templates.
    expect(useComposerStore().url).toBe('{{baseUrl}}/items?page={{page}}')
  })

  it('a draft from nowhere with no collection open: every {{name}} is unresolved, nothing is asked of the host', async () => {
    fakeApi({})
    const composer = useComposerStore()
    composer.setUrl('http://127.0.0.1:9/{{a}}')
    composer.headers = [kv('X', '{{b}}')]
    const prepared = await useDraftsStore().prepare()
    expect(prepared.unresolved).toEqual(['a', 'b'])
    expect(calls).toEqual([])
    expect(uiStorage().getItem('sockeye.composer.v1')).toContain('{{a}}')
  })
})

describe('collection file parts and file bodies in a draft', () => {
  const upload = () => ({
    info: { name: 'Upload', type: 'http', seq: 2 },
    http: {
      method: 'POST',
      url: 'http://127.0.0.1:9/up',
      body: {
        type: 'multipart-form',
        data: [
          { name: 'title', type: 'text', value: '{{title}}', contentType: 'text/x-title' },
          { name: 'pics', type: 'file', value: ['{{dir}}/a.png', 'b.png'], contentType: 'image/png' },
          { name: 'off', type: 'file', value: 'c.bin', disabled: true },
        ],
      },
    },
  })
  const blob = () => ({
    info: { name: 'Blob', type: 'http', seq: 3 },
    http: {
      method: 'PUT',
      url: 'http://127.0.0.1:9/blob',
      body: {
        type: 'file',
        data: [
          { filePath: 'other.bin', contentType: '', selected: false },
          { filePath: '{{dir}}/blob.bin', contentType: 'application/x-blob', selected: true },
        ],
      },
    },
  })

  it('opens each file part with its path and the file body with its file, and saves the references unchanged', () => {
    const d = draftFromItem(upload())
    expect(d.parts.map((p) => [p.name, p.path, p.value, p.contentType, p.enabled])).toEqual([
      ['title', null, '{{title}}', 'text/x-title', true],
      ['pics', '{{dir}}/a.png', '', 'image/png', true],
      ['pics', 'b.png', '', 'image/png', true],
      ['off', 'c.bin', '', '', false],
    ])
    // Untouched: the file is written back as it was.
    expect(itemFromDraft(d, upload()).http).toEqual(upload().http)
    // Edited: the body is rewritten, still by path (never bytes), one entry per path.
    d.parts = d.parts.map((p) => (p.path === 'b.png' ? { ...p, path: 'files/b2.png' } : p))
    expect((itemFromDraft(d, upload()).http as { body: unknown }).body).toEqual({
      type: 'multipart-form',
      data: [
        { name: 'title', type: 'text', value: '{{title}}', contentType: 'text/x-title' },
        { name: 'pics', type: 'file', value: ['{{dir}}/a.png'], contentType: 'image/png' },
        { name: 'pics', type: 'file', value: ['files/b2.png'], contentType: 'image/png' },
        { name: 'off', type: 'file', value: ['c.bin'], disabled: true },
      ],
    })
    const f = draftFromItem(blob())
    expect([f.bodyMode, f.bodyFile]).toEqual([
      'file',
      { path: '{{dir}}/blob.bin', contentType: 'application/x-blob' },
    ])
    expect(fingerprint(f)).toBe(fingerprint(draftFromItem(blob())))
    f.bodyFile = { ...f.bodyFile, path: 'b.bin' }
    expect(fingerprint(f)).not.toBe(fingerprint(draftFromItem(blob())))
    expect((itemFromDraft(f, blob()).http as { body: unknown }).body).toEqual({
      type: 'file',
      data: [{ filePath: 'b.bin', contentType: 'application/x-blob', selected: true }],
    })
  })

  it('remembers file part paths across a reload (only the references)', () => {
    const d = draftFromItem(upload())
    const back = fromSaved(JSON.parse(JSON.stringify(toSaved(d))))
    expect(back.parts.map((p) => [p.path, p.contentType])).toEqual(
      d.parts.map((p) => [p.path, p.contentType]),
    )
    const f = fromSaved(JSON.parse(JSON.stringify(toSaved(draftFromItem(blob())))))
    expect([f.bodyMode, f.bodyFile.path]).toEqual(['file', '{{dir}}/blob.bin'])
  })

  it('on Send resolves the paths with the other texts and hands the body to the host as files', async () => {
    fakeApi({
      resolveVariables: (i) => ({
        texts: (i.texts as string[]).map((t) => t.replace('{{dir}}', 'files').replace('{{title}}', 'T')),
        unresolved: [],
        variables: [],
        inherited: [],
      }),
    })
    useCollectionsStore().view = view([node(upload(), 'Upload.yml'), node(blob(), 'Blob.yml')])
    const drafts = useDraftsStore()
    drafts.open(DIR, node(upload(), 'Upload.yml'))
    const prepared = await drafts.prepare()
    expect(prepared.spec.body).toBeNull()
    expect(prepared.spec.headers).toEqual([])
    expect(prepared.files).toEqual({
      dir: DIR,
      body: {
        type: 'multipart-form',
        data: [
          { name: 'title', type: 'text', value: 'T', contentType: 'text/x-title' },
          { name: 'pics', type: 'file', value: 'files/a.png', contentType: 'image/png' },
          { name: 'pics', type: 'file', value: 'b.png', contentType: 'image/png' },
        ],
      },
    })
    // The texts sent for resolution include the paths (their variables are reported like others).
    expect(calls[0]!.input.texts).toContain('{{dir}}/a.png')
    drafts.open(DIR, node(blob(), 'Blob.yml'))
    const file = await drafts.prepare()
    expect(file.files).toEqual({
      dir: DIR,
      body: { type: 'file', filePath: 'files/blob.bin', contentType: 'application/x-blob' },
    })
  })
})
