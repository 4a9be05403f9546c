/**
 * Desktop smoke test through Playwright's `_electron`: the real main process, preload and renderer,
 * one request over IPC to a loopback server. Runs only where the Electron binary is installed
 * (`node_modules/electron/path.txt` and the file it names) and the app is built (`npm run build`).
 * On Linux without a display, run it under a virtual one: `xvfb-run -a npx vitest run tests/e2e/electron.test.ts`.
 * Here (no binary, no download possible) it is reported as skipped, with the reason in its name.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpServer, type TestServer } from '../helpers/servers'

const root = resolve(import.meta.dirname, '../..')

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
    await page.getByText('socket #1').first().waitFor({ state: 'visible', timeout: 15_000 })
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
