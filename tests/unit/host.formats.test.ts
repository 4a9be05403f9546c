import { afterEach, describe, expect, it } from 'vitest'
import { createHost, type Host } from '../../electron/host/host'
import { fakeEngine } from './host.fake'

let host: Host | null = null
afterEach(async () => {
  await host?.close()
  host = null
})

const call = (name: string, input: unknown) => {
  host ??= createHost(fakeEngine().engine)
  return host.call(name, input)
}

describe('host: format calls', () => {
  it('importCurl turns a pasted command into a composer draft', async () => {
    const result = await call('importCurl', {
      text: "curl -k -X POST 'https://127.0.0.1:8443/x' -H 'Content-Type: application/json' -d '{\"a\":1}'",
    })
    expect(result).toEqual({
      ok: true,
      value: {
        request: {
          method: 'POST',
          url: 'https://127.0.0.1:8443/x',
          headers: [['Content-Type', 'application/json']],
          body: '{"a":1}',
        },
        pool: { rejectUnauthorized: false },
        warnings: [],
      },
    })
  })

  it('importCurl says when a paste holds more than one request', async () => {
    const result = await call('importCurl', { text: 'curl http://127.0.0.1/a http://127.0.0.1/b' })
    expect(result).toMatchObject({
      ok: true,
      value: {
        request: { url: 'http://127.0.0.1/a' },
        warnings: ['the paste holds 2 requests; the composer took the first'],
      },
    })
  })

  it('importCurl gives a text multipart body as text, so the composer can take it', async () => {
    const result = await call('importCurl', { text: "curl -F 'a=b' http://127.0.0.1/f" })
    if (!result.ok) throw new Error(result.error.message)
    const { request } = result.value as {
      request: { body: string; bodyEncoding: string; headers: [string, string][] }
    }
    const boundary = /boundary=(.+)$/.exec(request.headers[0]?.[1] ?? '')?.[1]
    expect(request.bodyEncoding).toBe('utf8')
    expect(request.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--${boundary}--\r\n`,
    )
  })

  it('importCurl never reads a file a pasted command names', async () => {
    const result = await call('importCurl', { text: 'curl --data-binary @/etc/passwd http://127.0.0.1/' })
    expect(result).toMatchObject({
      ok: true,
      value: {
        request: { method: 'POST', body: null },
        warnings: ['body file /etc/passwd cannot be read; the body is left empty'],
      },
    })
  })

  it('importCurl answers text that is not curl with one typed line', async () => {
    expect(await call('importCurl', { text: 'curl' })).toEqual({
      ok: false,
      error: {
        code: 'INVALID_OPTION',
        phase: 'input',
        message: 'importCurl: the curl command names no URL; add one (curl … https://…)',
      },
    })
  })

  it('copyCurl returns a command', async () => {
    const request = { method: 'DELETE', url: 'http://127.0.0.1:1/a', headers: [['X', "it's"]], body: null }
    expect(await call('copyCurl', { request })).toEqual({
      ok: true,
      value: { command: "curl -X DELETE http://127.0.0.1:1/a -H 'X: it'\\''s'" },
    })
  })

  it('copyCurl validates the request like send does', async () => {
    const result = await call('copyCurl', { request: { method: 'G T', url: 'x', headers: [], body: null } })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OPTION', phase: 'input' } })
  })

  it('openHar returns the recording; a non-HAR is one line', async () => {
    const har = {
      log: {
        entries: [
          {
            startedDateTime: '2026-01-01T00:00:00.000Z',
            time: 3,
            request: { method: 'GET', url: 'http://127.0.0.1:1/', headers: [] },
            response: {
              status: 204,
              statusText: 'No Content',
              httpVersion: 'HTTP/1.1',
              headers: [],
              content: { size: 0 },
            },
            timings: { send: 1, wait: 1, receive: 1 },
            connection: '77',
          },
        ],
      },
    }
    const ok = await call('openHar', { text: JSON.stringify(har) })
    expect(ok).toMatchObject({
      ok: true,
      value: {
        requests: [{ socket: 1, status: 204, reason: 'first' }],
        connections: [{ id: 1, recorded: '77' }],
      },
    })
    expect(await call('openHar', { text: '[1' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/^openHar: the HAR file is not valid JSON/),
      },
    })
  })

  it('importText previews a collection and names the known formats otherwise', async () => {
    const ok = await call('importText', { text: 'curl http://127.0.0.1/a', name: 'paste' })
    expect(ok).toMatchObject({
      ok: true,
      value: { format: 'curl', collection: { items: [{ http: { url: 'http://127.0.0.1/a' } }] } },
    })
    const no = await call('importText', { text: 'hello: world', name: 'x.yml' })
    expect(no).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/^importText: x\.yml is not a format Sockeye imports; it reads cURL/),
      },
    })
  })
})
