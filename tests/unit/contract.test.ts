import { describe, expect, it } from 'vitest'
import { CALL_NAMES, ENGINE_EVENT_TYPES, parseCall } from '../../electron/contract'

describe('contract', () => {
  it('lists every call and event name (a rename must show up here)', () => {
    expect(CALL_NAMES).toMatchInlineSnapshot(`
      [
        "send",
        "getBody",
        "snapshot",
        "getPoolSettings",
        "configurePool",
        "closePool",
        "clearHistory",
        "exportHar",
        "startDemo",
        "openExternal",
        "listRequests",
        "configureMemory",
        "cancel",
        "cancelRun",
        "openCollection",
        "newCollection",
        "closeCollection",
        "saveRequest",
        "createItem",
        "renameItem",
        "moveItem",
        "duplicateItem",
        "deleteItem",
        "saveEnvironment",
        "deleteEnvironment",
        "resolveRequest",
        "searchHistory",
        "getHistoryEntry",
        "exportHistory",
        "saveHistoryEntry",
        "clearSavedHistory",
        "resolveVariables",
        "importInto",
        "importCurl",
        "copyCurl",
        "openHar",
        "importText",
        "getUiState",
        "setUiState",
        "listCookies",
        "setCookie",
        "deleteCookie",
        "clearCookies",
        "setCookiesEnabled",
        "checkFiles",
      ]
    `)
    expect(ENGINE_EVENT_TYPES).toMatchInlineSnapshot(`
      [
        "request:queued",
        "request:assigned",
        "request:headersSent",
        "request:bodySent",
        "request:responseHeaders",
        "request:bodyProgress",
        "request:completed",
        "request:failed",
        "socket:connecting",
        "socket:opened",
        "socket:closed",
        "pool:stats",
        "pool:settings",
        "pool:closed",
        "workspace:changed",
      ]
    `)
  })

  it('accepts a valid send and fills defaults', () => {
    const parsed = parseCall('send', {
      request: { method: 'GET', url: 'http://127.0.0.1:1/', headers: [], body: null },
    })
    expect(parsed).toEqual({
      ok: true,
      value: {
        request: { method: 'GET', url: 'http://127.0.0.1:1/', headers: [], body: null },
        repeat: 1,
        concurrency: 1,
        delayMs: 0,
      },
    })
  })

  it('rejects an unknown key with a one-line INVALID_OPTION error naming the path', () => {
    const parsed = parseCall('send', {
      request: { method: 'GET', url: 'http://x/', headers: [], body: null, evil: 1 },
    })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error.code).toBe('INVALID_OPTION')
    expect(parsed.error.message).toMatch(/^send: request\.evil: /)
    expect(parsed.error.message).not.toContain('\n')
  })

  it('rejects a method that is not an HTTP token', () => {
    const parsed = parseCall('send', {
      request: { method: 'GE T', url: 'http://x/', headers: [], body: null },
    })
    expect(parsed.ok).toBe(false)
  })

  it('rejects pool settings out of range', () => {
    const parsed = parseCall('configurePool', { origin: 'http://127.0.0.1:80', settings: { connections: 0 } })
    expect(parsed.ok).toBe(false)
  })

  it('rejects an origin without an explicit port', () => {
    expect(parseCall('closePool', { origin: 'http://127.0.0.1' }).ok).toBe(false)
    expect(parseCall('closePool', { origin: null }).ok).toBe(true)
  })
})
