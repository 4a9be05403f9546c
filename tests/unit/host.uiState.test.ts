import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createHost } from '../../electron/host/host'
import { uiStatePath } from '../../electron/host/ui-state'
import { LIMITS } from '../../electron/contract/limits'
import { fakeEngine } from './host.fake'

let dir = ''
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = ''
})
const fresh = () => {
  dir = mkdtempSync(join(tmpdir(), 'sockeye-state-'))
  return join(dir, 'nested', 'ui-state.json')
}

describe('UI state on disk', () => {
  it('keeps an entry across hosts (a restart), in a file only the user can read', async () => {
    const path = fresh()
    const first = createHost(fakeEngine().engine, { uiStatePath: path })
    expect(await first.call('setUiState', { key: 'sockeye.theme', value: 'dark' })).toEqual({
      ok: true,
      value: {},
    })
    await first.close()
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const second = createHost(fakeEngine().engine, { uiStatePath: path })
    expect(await second.call('getUiState', {})).toEqual({
      ok: true,
      value: { entries: { 'sockeye.theme': 'dark' } },
    })
    expect(await second.call('setUiState', { key: 'sockeye.theme', value: null })).toMatchObject({ ok: true })
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({})
    await second.close()
  })

  it('refuses a value over the size limit with one line, before storing anything', async () => {
    const host = createHost(fakeEngine().engine, { uiStatePath: fresh() })
    const result = await host.call('setUiState', {
      key: 'big',
      value: 'x'.repeat(LIMITS.uiStateValueChars + 1),
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OPTION' } })
    expect(await host.call('getUiState', {})).toEqual({ ok: true, value: { entries: {} } })
    await host.close()
  })

  it('refuses more entries than the limit', async () => {
    const host = createHost(fakeEngine().engine)
    for (let i = 0; i < LIMITS.uiStateKeys; i++) await host.call('setUiState', { key: `k${i}`, value: '1' })
    const result = await host.call('setUiState', { key: 'one-more', value: '1' })
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('at most') } })
    await host.close()
  })

  it('starts empty from a corrupt file instead of failing', async () => {
    const path = join((dir = mkdtempSync(join(tmpdir(), 'sockeye-state-'))), 'ui-state.json')
    writeFileSync(path, '{not json')
    const host = createHost(fakeEngine().engine, { uiStatePath: path })
    expect(await host.call('getUiState', {})).toEqual({ ok: true, value: { entries: {} } })
    await host.close()
  })

  it('lives under SOCKEYE_STATE_DIR, else XDG_STATE_HOME, else ~/.local/state', () => {
    expect(uiStatePath({ SOCKEYE_STATE_DIR: '/t/s' })).toBe('/t/s/ui-state.json')
    expect(uiStatePath({ XDG_STATE_HOME: '/x' })).toBe('/x/sockeye/ui-state.json')
    expect(uiStatePath({})).toMatch(/\.local\/state\/sockeye\/ui-state\.json$/)
  })
})
