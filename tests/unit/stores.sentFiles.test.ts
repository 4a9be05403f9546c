/**
 * A request sent with collection files (file parts, a file body), through its list row: Duplicate
 * opens a draft that names the same files in the same folder (its Send hands the host the same
 * `files`), and Copy as cURL hands the host those `files` too (tests/integration/host-files.test.ts
 * runs the command with real curl). The host is a fake here that records the calls.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { CollectionTreeNode } from '../../renderer/src/api/contract'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { useCollectionsStore } from '../../renderer/src/stores/collections'
import { useComposerStore } from '../../renderer/src/stores/composer'
import { fromSaved, toSaved } from '../../renderer/src/stores/draftState'
import { useDraftsStore } from '../../renderer/src/stores/drafts'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useRunsStore } from '../../renderer/src/stores/runs'
import { resetUiState } from '../../renderer/src/stores/uiState'
import { curlCommand } from '../../renderer/src/composables/useCopyCurl'
import { draftFromSent, sentOf, useDuplicate } from '../../renderer/src/composables/useDuplicate'
import { lifecycle } from '../e2e/helpers/fabricate'
import { fakeApi, type Answers, type ApiCall } from '../helpers/fakeApi'

const DIR = '/c/uploads'
const upload = (): CollectionTreeNode => ({
  kind: 'request',
  path: 'Upload.yml',
  name: 'Upload',
  seq: 1,
  type: 'http',
  items: [],
  doc: {
    info: { name: 'Upload', type: 'http', seq: 1 },
    http: {
      method: 'POST',
      url: 'http://127.0.0.1:4000/upload',
      headers: [{ name: 'X-Key', value: '{{key}}' }],
      body: {
        type: 'multipart-form',
        data: [
          { name: 'title', type: 'text', value: 'hello' },
          { name: 'picture', type: 'file', value: ['{{dir}}/pic.png'], contentType: 'image/png' },
        ],
      },
    },
  },
})

let calls: ApiCall[]
let nextId: number
const answers: Answers = {
  resolveVariables: (i) => ({
    texts: (i.texts as string[]).map((t) => t.replace('{{dir}}', 'files').replace('{{key}}', 'k-1')),
    unresolved: [],
    variables: [],
    inherited: [['X-Team', 'core']],
  }),
  send: () => ({ runId: nextId, requestIds: [nextId++] }),
  copyCurl: () => ({ command: 'curl …' }),
  checkFiles: (i) => ({
    files: (i.files as string[]).map((f) => ({ written: f, path: f, size: 13, problem: null })),
  }),
}

beforeEach(() => {
  calls = []
  nextId = 1
  resetUiState()
  setActivePinia(createPinia())
  setApi(fakeApi(answers, (c) => calls.push(c)) as RendererApi)
})
afterEach(() => setApi(null))

/** Send the Upload request as the composer does (resolved, files by path) and give it a row. */
async function sendUpload() {
  useCollectionsStore().view = {
    dir: DIR,
    name: 'Uploads',
    root: {},
    items: [upload()],
    environments: [],
    problems: [],
  }
  const drafts = useDraftsStore()
  drafts.open(DIR, upload())
  const prepared = await drafts.prepare()
  const [id] = await useComposerStore().send(prepared.spec, prepared.files)
  useRequestsStore().apply(lifecycle(id!, 1, { open: true }))
  const sent = calls.find((c) => c.name === 'send')!.input
  return { row: useRequestsStore().row(id!)!, sent }
}

const FILES = {
  dir: DIR,
  body: {
    type: 'multipart-form',
    data: [
      { name: 'title', type: 'text', value: 'hello' },
      { name: 'picture', type: 'file', value: 'files/pic.png', contentType: 'image/png' },
    ],
  },
}

describe('a list row of a request sent with collection files', () => {
  it('keeps the files its Send handed the host', async () => {
    const { row, sent } = await sendUpload()
    expect(sent.files).toEqual(FILES)
    expect(sentOf(row)).toEqual({ spec: sent.request, files: FILES })
    // A HAR recording's row with the same id is another request: no live Send's files.
    expect(sentOf({ ...row, recorded: true }).files).toBeUndefined()
  })

  it('Duplicate opens a draft from nowhere that names the same files and sends them again', async () => {
    const { row, sent } = await sendUpload()
    const composer = useComposerStore()
    const before = composer.tabs.length
    useDuplicate()(row)
    expect(composer.tabs.length).toBe(before + 1)
    // Not bound to the request file (Ctrl+S must not write the resolved values over it).
    expect(composer.origin).toBeNull()
    expect(composer.filesDir).toBe(DIR)
    expect(composer.bodyMode).toBe('multipart')
    expect(composer.parts.map((p) => [p.name, p.value, p.path, p.contentType])).toEqual([
      ['title', 'hello', null, ''],
      ['picture', '', 'files/pic.png', 'image/png'],
    ])
    const drafts = useDraftsStore()
    await drafts.checkFiles()
    expect(calls.at(-1)).toEqual({
      name: 'checkFiles',
      input: { dir: DIR, path: null, environment: null, files: ['files/pic.png'] },
    })
    calls = []
    const again = await drafts.prepare()
    await composer.send(again.spec, again.files)
    expect(calls.map((c) => c.name)).toEqual(['send'])
    const resent = calls[0]!.input
    expect(resent.files).toEqual(sent.files)
    expect(resent.request).toEqual(sent.request)
  })

  it('Duplicate of a file body keeps the file and its type', () => {
    const spec = { method: 'PUT', url: 'http://127.0.0.1:4000/blob', headers: [], body: null }
    const files = { dir: DIR, body: { type: 'file' as const, filePath: 'pic.png', contentType: 'image/png' } }
    const d = draftFromSent({ spec, files })
    expect([d.bodyMode, d.bodyFile, d.filesDir, d.origin]).toEqual([
      'file',
      { path: 'pic.png', contentType: 'image/png' },
      DIR,
      null,
    ])
  })

  it('a duplicated draft keeps its folder across a reload', () => {
    const spec = { method: 'POST', url: 'http://a/', headers: [], body: null }
    const d = draftFromSent({ spec, files: FILES as never })
    const back = fromSaved(JSON.parse(JSON.stringify(toSaved(d))))
    expect(back.filesDir).toBe(DIR)
    expect(back.parts.map((p) => p.path)).toEqual([null, 'files/pic.png'])
    expect('filesDir' in toSaved(fromSaved(null))).toBe(false)
  })

  it('Copy as cURL hands the host the files it was sent with', async () => {
    const { row, sent } = await sendUpload()
    calls = []
    expect(await curlCommand(sentOf(row))).toBe('curl …')
    expect(calls).toEqual([{ name: 'copyCurl', input: { request: sent.request, files: FILES } }])
    // A request sent without files: none.
    useRunsStore().track([9], 9, { method: 'GET', url: 'http://127.0.0.1:4000/', headers: [], body: null })
    useRequestsStore().apply(lifecycle(9, 1, { open: true }))
    calls = []
    await curlCommand(sentOf(useRequestsStore().row(9)!))
    expect(calls[0]!.input.files).toBeUndefined()
  })
})
