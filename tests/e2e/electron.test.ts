/**
 * Desktop smoke test through Playwright's `_electron`: the real main process, preload and renderer,
 * one request over IPC to a loopback server. Runs only where the Electron binary is installed
 * (`node_modules/electron/path.txt` and the file it names) and the app is built (`npm run build`).
 * On Linux without a display, run it under a virtual one: `xvfb-run -a npx vitest run tests/e2e/electron.test.ts`.
 * Here (no binary, no download possible) it is reported as skipped, with the reason in its name.
 */
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve, sep } from 'node:path'
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENTS_CHANNEL, IPC_PREFIX, type SockeyeApi } from '../../electron/contract'
import { createEngine } from '../../electron/engine'
import type { EngineApi } from '../../electron/engine/api'
import { createHost, type Host } from '../../electron/host/host'
import { CONTENT_SECURITY_POLICY, mimeType } from '../../electron/main/policy'
import { startHttpServer, type TestServer } from '../helpers/servers'

const root = resolve(import.meta.dirname, '../..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The Electron executable, found the way the `electron` package finds it, without its download fallback. */
function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const skipReason = !binary
  ? 'skipped: Electron binary not installed — cannot be downloaded here'
  : headlessLinux
    ? 'skipped: no display — run under `xvfb-run -a`'
    : null
// Say why in the run's output too, not only in the skipped tests' names (which the default reporter hides).
if (skipReason) console.info(`Electron smoke test ${skipReason}`)
const title = (name: string) => (skipReason ? `${name} (${skipReason})` : name)

describe.skipIf(skipReason !== null)('desktop app (Electron)', () => {
  let app: ElectronApplication
  let page: Page
  let server: TestServer

  beforeAll(async () => {
    expect(existsSync(join(root, 'out/main/index.js')), 'build first: npm run build').toBe(true)
    server = await startHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end('{"ok":true}')
    })
    const env = { ...process.env } as Record<string, string>
    // Production path: the built renderer on app://, not a dev server.
    delete env.ELECTRON_RENDERER_URL
    app = await _electron.launch({
      executablePath: binary!,
      // Root (as in containers) cannot use Chromium's setuid sandbox helper.
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env,
      timeout: 30_000,
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })

  afterAll(async () => {
    await app?.close()
    await server?.close()
  })

  it(title('opens one window showing the app from app://sockeye'), async () => {
    expect(app.windows()).toHaveLength(1)
    expect(
      await page.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href),
    ).toMatch(/^app:\/\/sockeye\//)
    expect(await page.title()).toBe('Sockeye')
  })

  it(title('gives the page the typed API and no Node'), async () => {
    const surface = await page.evaluate(() => ({
      api: Object.keys((globalThis as unknown as { sockeye: object }).sockeye).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }))
    expect(surface.api).toContain('send')
    expect(surface.api).toContain('onEvents')
    expect(surface.require).toBe('undefined')
    expect(surface.process).toBe('undefined')
  })

  it(title('sends a request through IPC and shows its socket chip'), async () => {
    const url = `${server.url}/smoke`
    const { requestIds } = await page.evaluate(
      (target) =>
        (globalThis as unknown as { sockeye: import('../../electron/contract').SockeyeApi }).sockeye.send({
          request: { method: 'GET', url: target, headers: [], body: null },
        }),
      url,
    )
    expect(requestIds).toHaveLength(1)
    await page
      .locator('.request-list-row .socket-chip', { hasText: 'socket #1' })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 })
    expect(server.connections()).toBe(1)
  })

  it(title('answers an invalid call with a typed error, not a crash'), async () => {
    const rejection = await page.evaluate(() =>
      (globalThis as unknown as { sockeye: { send(input: unknown): Promise<unknown> } }).sockeye
        .send({ request: { method: 'GE T', url: 'x', headers: [], body: null } })
        .then(
          () => null,
          (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }),
        ),
    )
    expect(rejection).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/^send: /) })
  })
})

/**
 * What can be checked of the desktop path without Electron: the built renderer in Chromium under
 * the app's CSP header, with the built preload (out/preload/index.cjs) run against a stand-in for
 * `contextBridge`/`ipcRenderer` whose `invoke` reaches a real host and engine, as main's IPC does.
 * Electron's own parts (contextBridge copying, sandbox, app://) are what the suite above covers.
 */
describe('desktop path emulated in Chromium (built preload, app CSP, real host and engine)', () => {
  let browser: Browser
  let page: Page
  let target: TestServer
  let files: http.Server
  let engine: EngineApi
  let host: Host
  let stopEvents: () => void
  const violations: string[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    const renderer = join(root, 'out/renderer')
    const preload = join(root, 'out/preload/index.cjs')
    expect(
      existsSync(join(renderer, 'index.html')) && existsSync(preload),
      'build first: npm run build',
    ).toBe(true)
    engine = createEngine()
    host = createHost(engine)
    target = await startHttpServer((_req, res) => res.end('hello'))
    files = await serveRendererOverHttp(renderer)
    const { port } = files.address() as AddressInfo

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true })
    page = await browser.newPage()
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    page.on('pageerror', (error) => pageErrors.push(error.message))
    // Main's IPC handler minus the sender check (there is one page here): the host validates and answers.
    await page.exposeFunction('__sockeyeInvoke', (channel: string, input: unknown) =>
      host.call(channel.slice(IPC_PREFIX.length), input),
    )
    await page.addInitScript({ content: preloadHarness(readFileSync(preload, 'utf8')) })
    stopEvents = host.onEvents((events) => {
      void page
        .evaluate((batch) => (globalThis as never as Emit).__sockeyeEmit?.(batch), events)
        .catch(() => {})
    })
    await page.goto(`http://127.0.0.1:${port}/index.html`)
    await page.getByLabel('URL', { exact: true }).first().waitFor({ state: 'visible', timeout: 15_000 })
  })

  afterAll(async () => {
    stopEvents?.()
    await browser?.close()
    await host?.close()
    await engine?.close()
    await target?.close()
    await new Promise((resolve) => files?.close(resolve))
  })

  it('boots the renderer on the preload API under the app CSP without a violation or page error', async () => {
    expect(await page.evaluate(() => typeof (globalThis as never as { sockeye?: object }).sockeye)).toBe(
      'object',
    )
    expect(violations).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it('sends a request through the preload bridge and shows its socket #1 chip', async () => {
    const { requestIds } = await page.evaluate(
      (url) =>
        (globalThis as never as { sockeye: SockeyeApi }).sockeye.send({
          request: { method: 'GET', url, headers: [], body: null },
        }),
      `${target.url}/via-preload`,
    )
    expect(requestIds).toHaveLength(1)
    await page
      .locator('.request-list-row .socket-chip', { hasText: 'socket #1' })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 })
    expect(target.connections()).toBe(1)
  })

  it('rejects an invalid call in the page with the contract’s code and one-line message', async () => {
    const rejection = await page.evaluate(() =>
      (globalThis as never as { sockeye: { send(input: unknown): Promise<unknown> } }).sockeye
        .send({ request: { method: 'GE T', url: 'x', headers: [], body: null } })
        .then(
          () => null,
          (e: { code?: string; phase?: string; message?: string }) => ({ ...e }),
        ),
    )
    expect(rejection).toMatchObject({
      code: 'INVALID_OPTION',
      phase: 'input',
      message: expect.stringMatching(/^send: /),
    })
  })
})

type Emit = { __sockeyeEmit?: (events: unknown) => void }

/** Runs the built CommonJS preload in the page with `require('electron')` answered by a stand-in. */
function preloadHarness(preloadSource: string): string {
  return `(() => {
    const listeners = new Map()
    const ipcRenderer = {
      invoke: (channel, input) => window.__sockeyeInvoke(channel, input),
      on: (channel, fn) => { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(fn) },
      removeListener: (channel, fn) => { listeners.get(channel)?.delete(fn) },
    }
    Object.defineProperty(window, '__sockeyeEmit', {
      value: (events) => { for (const fn of listeners.get(${JSON.stringify(EVENTS_CHANNEL)}) ?? []) fn({}, events) },
    })
    const contextBridge = { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze(api) }) }
    const require = (name) => {
      if (name === 'electron') return { contextBridge, ipcRenderer }
      throw new Error('a sandboxed preload cannot require ' + name)
    }
    const module = { exports: {} }
    ;(function (require, module, exports) {\n${preloadSource}\n})(require, module, module.exports)
  })()`
}

/** The built renderer over loopback http with the CSP header main sends with every app:// response. */
async function serveRendererOverHttp(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = resolve(dir, `.${path === '/' ? '/index.html' : path}`)
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': mimeType(file), 'content-security-policy': CONTENT_SECURITY_POLICY })
    res.end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}
