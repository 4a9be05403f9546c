import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useComposerStore } from '../../renderer/src/stores/composer'
import { useCurlPaste } from '../../renderer/src/composables/useCurlPaste'
import { setApi, type RendererApi } from '../../renderer/src/api/current'

const pasted = (text: string) => {
  let prevented = false
  const event = {
    clipboardData: { getData: (type: string) => (type === 'text/plain' ? text : '') },
    preventDefault: () => {
      prevented = true
    },
  } as unknown as ClipboardEvent
  return { event, prevented: () => prevented }
}

let calls: Array<[string, unknown]>
beforeEach(() => {
  setActivePinia(createPinia())
  calls = []
  setApi({
    importCurl: async (input: unknown) => {
      calls.push(['importCurl', input])
      return {
        request: {
          method: 'PUT',
          url: 'https://127.0.0.1:8443/items?x=1',
          headers: [['Content-Type', 'application/json']],
          body: '{"a":1}',
        },
        pool: { rejectUnauthorized: false },
        warnings: ['--retry is not imported (Sockeye has no equivalent)'],
      }
    },
    configurePool: async (input: unknown) => {
      calls.push(['configurePool', input])
      return {}
    },
  } as unknown as RendererApi)
})
afterEach(() => setApi(null))

describe('pasting a curl command into the URL field', () => {
  it('fills the composer from the imported request and applies the pool settings', async () => {
    const { onPaste, notes } = useCurlPaste()
    const paste = pasted('curl -k -X PUT https://127.0.0.1:8443/items?x=1 -d \'{"a":1}\'')
    await onPaste(paste.event)
    expect(paste.prevented()).toBe(true)
    const composer = useComposerStore()
    expect(composer.method).toBe('PUT')
    expect(composer.url).toBe('https://127.0.0.1:8443/items?x=1')
    expect(composer.params.map((p) => [p.name, p.value])).toEqual([['x', '1']])
    expect(composer.headers.map((h) => [h.name, h.value, h.enabled])).toEqual([
      ['Content-Type', 'application/json', true],
    ])
    expect([composer.bodyMode, composer.body]).toEqual(['raw', '{"a":1}'])
    expect(calls[1]).toEqual([
      'configurePool',
      { origin: 'https://127.0.0.1:8443', settings: { rejectUnauthorized: false } },
    ])
    expect(notes.value).toEqual([
      '--retry is not imported (Sockeye has no equivalent)',
      'pool settings for this origin from the command: rejectUnauthorized',
    ])
  })

  it('leaves a plain URL paste to the input', async () => {
    const { onPaste } = useCurlPaste()
    const paste = pasted('http://127.0.0.1/curl')
    await onPaste(paste.event)
    expect(paste.prevented()).toBe(false)
    expect(calls).toEqual([])
  })
})
