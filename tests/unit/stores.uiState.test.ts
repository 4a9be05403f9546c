import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadUiState, resetUiState, uiStorage } from '../../renderer/src/stores/uiState'

class MemoryStorage {
  data = new Map<string, string>()
  getItem = (k: string) => this.data.get(k) ?? null
  setItem = (k: string, v: string) => void this.data.set(k, v)
  removeItem = (k: string) => void this.data.delete(k)
}

const fakeHost = (saved: Record<string, string> = {}) => {
  const writes: Array<{ key: string; value: string | null }> = []
  return {
    writes,
    api: {
      getUiState: async () => ({ entries: { ...saved } }),
      setUiState: async (input: { key: string; value: string | null }) => {
        writes.push(input)
        return {}
      },
    },
  }
}

let local: MemoryStorage
beforeEach(() => {
  resetUiState()
  local = new MemoryStorage()
  ;(globalThis as { localStorage?: unknown }).localStorage = local
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  delete (globalThis as { localStorage?: unknown }).localStorage
})

describe('UI state kept by the host', () => {
  it('restores what the host saved', async () => {
    const host = fakeHost({ 'sockeye.theme': 'dark' })
    await loadUiState(host.api)
    expect(uiStorage().getItem('sockeye.theme')).toBe('dark')
  })

  it('moves an old localStorage draft to the host and deletes it from the browser', async () => {
    local.setItem('sockeye.composer.v1', '{"headers":[["authorization","Bearer s3cret",true]]}')
    const host = fakeHost()
    await loadUiState(host.api)
    await vi.runAllTimersAsync()
    expect(local.getItem('sockeye.composer.v1')).toBeNull()
    expect(host.writes).toEqual([
      { key: 'sockeye.composer.v1', value: '{"headers":[["authorization","Bearer s3cret",true]]}' },
    ])
  })

  it('saves the first change at once and gathers the quick ones after it', async () => {
    const host = fakeHost()
    await loadUiState(host.api)
    const storage = uiStorage()
    for (const url of ['h', 'ht', 'htt', 'http']) storage.setItem('sockeye.composer.v1', url)
    await vi.runAllTimersAsync()
    // The first change at once, the last one after the quiet period; none in between.
    expect(host.writes).toEqual([
      { key: 'sockeye.composer.v1', value: 'h' },
      { key: 'sockeye.composer.v1', value: 'http' },
    ])
    expect(local.data.size).toBe(0)
  })
})

describe('pool settings in the UI state', () => {
  it('keeps changed settings per origin but never "skip TLS verification"', async () => {
    const { createPinia, setActivePinia } = await import('pinia')
    const { setApi } = await import('../../renderer/src/api/current')
    const { usePoolsStore, restorePoolSettings } = await import('../../renderer/src/stores/pools')
    const { DEFAULTS } = await import('../e2e/helpers/fabricate')
    setActivePinia(createPinia())
    const calls: unknown[] = []
    const api = {
      configurePool: async (input: { origin: string; settings: object }) => {
        calls.push(input)
        return { ...DEFAULTS, ...input.settings }
      },
    }
    setApi(api as never)
    const pools = usePoolsStore()
    await pools.configurePool('https://127.0.0.1:8443', { connections: 2, rejectUnauthorized: false })
    expect(JSON.parse(uiStorage().getItem('sockeye.pools.v1')!)).toEqual({
      'https://127.0.0.1:8443': { connections: 2 },
    })
    calls.length = 0
    await restorePoolSettings(api)
    expect(calls).toEqual([{ origin: 'https://127.0.0.1:8443', settings: { connections: 2 } }])
    setApi(null)
  })
})
