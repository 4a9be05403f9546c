import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHost, type Host } from '../../electron/host/host'
import { fakeEngine } from './host.fake'

const spec = { method: 'GET', url: 'http://127.0.0.1:1/x', headers: [], body: null }

let host: Host | null = null
afterEach(async () => {
  await host?.close()
  host = null
  vi.useRealTimers()
})

describe('host calls', () => {
  it('rejects an unknown call name with a one-line INVALID_OPTION', async () => {
    host = createHost(fakeEngine().engine)
    const result = await host.call('deleteEverything', {})
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_OPTION', phase: 'input', message: 'unknown call "deleteEverything"' },
    })
  })

  it('rejects a non-string call name without echoing it', async () => {
    host = createHost(fakeEngine().engine)
    const result = await host.call({ toString: 'x' }, {})
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_OPTION', message: 'call name must be a string' },
    })
  })

  it('does not mistake an inherited property for a call name', async () => {
    host = createHost(fakeEngine().engine)
    expect(await host.call('constructor', {})).toMatchObject({
      ok: false,
      error: { message: 'unknown call "constructor"' },
    })
  })

  it('names the bad field of an invalid input in one line', async () => {
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const result = await host.call('send', { request: { ...spec, method: 'GE T' } })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('INVALID_OPTION')
    expect(result.error.message).toBe('send: request.method: method must be an HTTP token')
    expect(fake.runs).toHaveLength(0)
  })

  it('refuses extra fields instead of passing them to the engine', async () => {
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const result = await host.call('configurePool', {
      origin: 'http://127.0.0.1:80',
      settings: { connections: 1, __proto__x: 1 },
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OPTION', phase: 'input' } })
    expect(fake.configured).toHaveLength(0)
  })

  it('answers send with the request ids before the batch finishes', async () => {
    const fake = fakeEngine()
    host = createHost(fake.engine)
    const result = await host.call('send', { request: spec, repeat: 3 })
    expect(result).toEqual({ ok: true, value: { runId: 7, requestIds: [100, 101, 102] } })
    expect(fake.runs[0]).toMatchObject({ request: spec, repeat: 3, concurrency: 1, delayMs: 0 })
  })

  it('forwards cancel and cancelRun and answers how many were cancelled', async () => {
    host = createHost(fakeEngine().engine)
    expect(await host.call('cancel', { requestId: 100 })).toEqual({ ok: true, value: { cancelled: true } })
    expect(await host.call('cancel', { requestId: 1 })).toEqual({ ok: true, value: { cancelled: false } })
    expect(await host.call('cancelRun', { runId: 7 })).toEqual({ ok: true, value: { cancelled: 1 } })
    expect((await host.call('cancelRun', { runId: 'x' })).ok).toBe(false)
  })

  it('exports HAR as a JSON string', async () => {
    host = createHost(fakeEngine().engine)
    const result = await host.call('exportHar', {})
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const { har } = result.value as { har: string }
    expect(JSON.parse(har)).toMatchObject({ log: { version: '1.2' } })
  })

  it('turns a missing body into a typed error, not a throw', async () => {
    host = createHost(fakeEngine().engine)
    const result = await host.call('getBody', { requestId: 7 })
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_OPTION', phase: 'input', message: 'getBody: no kept body for request 7' },
    })
  })

  it('turns an engine exception into a one-line INTERNAL error', async () => {
    const fake = fakeEngine()
    fake.engine.snapshot = () => {
      throw new Error('boom\n    at secret (/home/x/file.ts:1:1)')
    }
    host = createHost(fake.engine)
    const result = await host.call('snapshot', {})
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', phase: 'input', message: 'snapshot: boom' },
    })
  })

  it('answers calls after close with a typed error', async () => {
    host = createHost(fakeEngine().engine)
    await host.close()
    const result = await host.call('snapshot', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'POOL_CLOSED' } })
  })
})

describe('host openExternal', () => {
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'data:text/html,x'])(
    'refuses %s',
    async (url) => {
      const opener = vi.fn(async () => true)
      host = createHost(fakeEngine().engine, { openExternal: opener })
      const result = await host.call('openExternal', { url })
      expect(result).toEqual({
        ok: false,
        error: { code: 'INVALID_OPTION', phase: 'input', message: 'only http and https links can be opened' },
      })
      expect(opener).not.toHaveBeenCalled()
    },
  )

  it('passes an https link to the opener', async () => {
    const opener = vi.fn(async () => true)
    host = createHost(fakeEngine().engine, { openExternal: opener })
    const result = await host.call('openExternal', { url: 'https://example.com/a b' })
    expect(result).toEqual({ ok: true, value: { opened: true } })
    expect(opener).toHaveBeenCalledWith('https://example.com/a%20b')
  })

  it('answers opened:false when there is no opener (browser mode)', async () => {
    host = createHost(fakeEngine().engine)
    expect(await host.call('openExternal', { url: 'http://example.com/' })).toEqual({
      ok: true,
      value: { opened: false },
    })
  })

  it('refuses a string that is not a URL', async () => {
    host = createHost(fakeEngine().engine)
    expect(await host.call('openExternal', { url: 'not a url' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_URL' },
    })
  })
})

describe('host demo server', () => {
  it('starts the demo once and answers the search endpoint', async () => {
    host = createHost(fakeEngine().engine)
    const first = await host.call('startDemo', {})
    const second = await host.call('startDemo', {})
    expect(first.ok && second.ok).toBe(true)
    if (!first.ok || !second.ok) return
    expect(second.value).toEqual(first.value)
    const { baseUrl } = first.value as { baseUrl: string }
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${baseUrl}/search?q=python&v=1.0`)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.json()).toMatchObject({ query: 'python', version: '1.0', count: 4 })
  })

  it('closes the demo server with the host', async () => {
    host = createHost(fakeEngine().engine)
    const result = await host.call('startDemo', {})
    if (!result.ok) throw new Error(result.error.message)
    const { baseUrl } = result.value as { baseUrl: string }
    await host.close()
    await expect(fetch(`${baseUrl}/`)).rejects.toThrow()
  })
})
