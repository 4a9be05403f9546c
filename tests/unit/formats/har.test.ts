import { describe, expect, it } from 'vitest'
import { importText } from '../../../electron/workspace/import'
import type { SockeyeHttpRequest } from '../../../electron/workspace/import/types'

const chrome = {
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    entries: [
      {
        startedDateTime: '2026-01-01T00:00:00.000Z',
        time: 5,
        request: {
          method: 'POST',
          url: 'https://127.0.0.1:8443/api?q=1',
          httpVersion: 'http/2.0',
          headers: [
            { name: ':authority', value: '127.0.0.1:8443' },
            { name: ':method', value: 'POST' },
            { name: 'content-type', value: 'application/json' },
            { name: 'content-length', value: '7' },
            { name: 'x-custom', value: '1' },
          ],
          queryString: [{ name: 'q', value: '1' }],
          cookies: [],
          headersSize: -1,
          bodySize: 7,
          postData: { mimeType: 'application/json', text: '{"a":1}' },
        },
        response: {
          status: 201,
          statusText: '',
          httpVersion: 'http/2.0',
          headers: [],
          cookies: [],
          content: { size: 0, mimeType: 'x-unknown' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
        },
        cache: {},
        timings: { send: 0, wait: 1, receive: 1 },
        connection: '123',
      },
      {
        startedDateTime: '2026-01-01T00:00:01.000Z',
        time: 5,
        request: {
          method: 'POST',
          url: 'https://127.0.0.1:8443/form',
          httpVersion: 'HTTP/1.1',
          headers: [{ name: 'Host', value: '127.0.0.1:8443' }],
          queryString: [],
          cookies: [],
          headersSize: -1,
          bodySize: 3,
          postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a', value: 'b' }] },
        },
        response: {
          status: 200,
          statusText: 'OK',
          httpVersion: 'HTTP/1.1',
          headers: [],
          cookies: [],
          content: { size: 0, mimeType: '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: 0,
        },
        cache: {},
        timings: { send: 0, wait: 1, receive: 1 },
      },
    ],
  },
}

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
