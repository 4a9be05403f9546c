import { describe, expect, it } from 'vitest'
import { importText } from '../../../electron/workspace/import'
import type { SockeyeHttpRequest } from '../../../electron/workspace/import/types'
import { chrome } from '../../fixtures/formats'

describe('HAR import', () => {
  it('makes one request per entry, without HTTP/2 pseudo-headers and computed headers', () => {
    const { format, collection, warnings } = importText(JSON.stringify(chrome), 'page.har')
    expect(format).toBe('har')
    expect(collection.info?.name).toBe('page.har (from WebInspector 537.36)')
    const [json, form] = collection.items as SockeyeHttpRequest[]
    expect(json?.info).toEqual({ name: 'POST /api', type: 'http', seq: 1 })
    expect(json?.http).toEqual({
      method: 'POST',
      url: 'https://127.0.0.1:8443/api?q=1',
      headers: [
        { name: 'content-type', value: 'application/json' },
        { name: 'x-custom', value: '1' },
      ],
      body: { type: 'json', data: '{"a":1}' },
    })
    expect(form?.http?.headers).toBeUndefined()
    expect(form?.http?.body).toEqual({ type: 'form-urlencoded', data: [{ name: 'a', value: 'b' }] })
    expect(warnings).toEqual([
      'responses, timings and connection ids are not imported (sockeye open shows them)',
    ])
  })
})
