import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as electron from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy'
import { serveRenderer } from '../../electron/main/protocol'
import type { FakeElectron } from './main-fake-electron'

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./main-fake-electron')
  const fake = createFakeElectron()
  return { ...fake.module, __fake: fake }
})

const fake = (electron as unknown as { __fake: FakeElectron }).__fake
let root: string
let secret: string
const get = (url: string, method = 'GET') => fake.protocolHandlers.get('app')!(new Request(url, { method }))

beforeAll(() => {
  // A built renderer and, beside it, a file the app must never serve.
  const base = mkdtempSync(join(tmpdir(), 'sockeye-protocol-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Sockeye</title>')
  writeFileSync(join(root, 'assets', 'index-1.js'), 'export {}')
  secret = join(base, 'secret.txt')
  writeFileSync(secret, 'do not serve')
  serveRenderer(fake.module.session.defaultSession as never, root)
})

afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }))

describe('app:// protocol handler', () => {
  it('serves index.html for the root with the CSP, nosniff and its MIME type', async () => {
    const response = await get('app://sockeye/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('<title>Sockeye</title>')
  })

  it('serves module scripts as JavaScript', async () => {
    const response = await get('app://sockeye/assets/index-1.js')
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await response.text()).toBe('export {}')
  })

  it('answers 404 for a missing file and for an encoded path out of the renderer folder', async () => {
    expect((await get('app://sockeye/missing.js')).status).toBe(404)
    const escape = await get('app://sockeye/assets/..%2f..%2fsecret.txt')
    expect(escape.status).toBe(404)
    expect(await escape.text()).not.toContain('do not serve')
  })

  it('refuses methods other than GET', async () => {
    expect((await get('app://sockeye/index.html', 'POST')).status).toBe(405)
  })
})
