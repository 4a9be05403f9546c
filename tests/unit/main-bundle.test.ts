import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as electron from 'electron'
import type { FakeElectron } from './main-fake-electron'

// The built main (out/main/index.js, what Electron runs) against the recording Electron stand-in:
// catches what only bundling can break: file locations, externals, ESM shims.
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./main-fake-electron')
  const fake = createFakeElectron()
  return { ...fake.module, __fake: fake }
})

const root = resolve(import.meta.dirname, '../..')
const fake = (electron as unknown as { __fake: FakeElectron }).__fake
const built = resolve(root, 'out/main/index.js')

beforeAll(async () => {
  expect(existsSync(built), 'build first: npx electron-vite build').toBe(true)
  await import(/* @vite-ignore */ built)
  fake.app.readyResolve()
  await fake.app.whenReady()
  await new Promise<void>((resolve) => setImmediate(resolve))
})

afterAll(async () => {
  // Quit as Electron would, so the engine main created is closed before the file ends.
  fake.app.quit()
  await new Promise<void>((resolve) => fake.app.once('will-quit', () => resolve()))
})

describe('built main process', () => {
  it('points the window at the built preload, which exists and requires nothing but electron', () => {
    const preload = (fake.windows[0]!.options.webPreferences as { preload: string }).preload
    expect(preload).toBe(resolve(root, 'out/preload/index.cjs'))
    const source = readFileSync(preload, 'utf8')
    expect([...source.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron'])
  })

  it('serves the built renderer’s index.html on app://sockeye/', async () => {
    const response = await fake.protocolHandlers.get('app')!(new Request('app://sockeye/'))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe(readFileSync(resolve(root, 'out/renderer/index.html'), 'utf8'))
  })

  it('serves every script and stylesheet the built index.html references', async () => {
    const html = readFileSync(resolve(root, 'out/renderer/index.html'), 'utf8')
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThan(0)
    for (const asset of assets) {
      const response = await fake.protocolHandlers.get('app')!(new Request(`app://sockeye/${asset}`))
      expect(response.status, asset).toBe(200)
    }
  })
})
