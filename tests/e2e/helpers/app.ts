/**
 * Browser-mode harness for the UI tests: the real engine behind `startServe()`, the built renderer
 * (`out/renderer`, from `npx electron-vite build`), and Debian's Chromium driven by playwright-core.
 * Everything listens on 127.0.0.1 port 0 and is closed by the test.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startServe, type ServeHandle } from '../../../electron/serve'
import { createEngine } from '../../../electron/engine'
import type { PoolSettings } from '../../../electron/contract'
import type { EngineApi } from '../../../electron/engine/api'

export const RENDERER_DIR = resolve(__dirname, '../../../out/renderer')
/**
 * Every run saves its screenshots under test-results/screenshots/ (look at them after a UI change);
 * `UPDATE_SCREENSHOTS=1 npm test` refreshes the README's copies in docs/screenshots/.
 */
export const SCREENSHOT_DIR = resolve(
  __dirname,
  process.env.UPDATE_SCREENSHOTS ? '../../../docs/screenshots' : '../../../test-results/screenshots',
)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Launch headless Chromium; fails with a one-line hint when the UI is not built or Chromium is absent. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(resolve(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built UI in ${RENDERER_DIR}: run \`npx electron-vite build\` first`)
  }
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium`)
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true })
}

/** One running app: a fresh engine (socket ids start at #1) behind browser mode, and a page on it. */
export interface AppUnderTest {
  serve: ServeHandle
  page: Page
  /** Dialogs (alert/confirm/prompt) the page tried to open: hostile content must never cause one. */
  dialogs: string[]
  /** Uncaught page errors (a clean run has none). */
  errors: string[]
  close(): Promise<void>
}

export interface OpenOptions {
  colorScheme?: 'light' | 'dark'
  /** Engine-wide pool defaults (e.g. trust the tests' self-signed certificates). */
  defaults?: Partial<PoolSettings>
  /**
   * Scripts run in the page before the app (e.g. a PerformanceObserver), in order; each is
   * serialized on its own, so it calls nothing from its file.
   */
  initScript?: (() => void) | Array<() => void>
  /** Wrap the engine browser mode serves (e.g. to feed it fabricated events). */
  wrapEngine?: (engine: EngineApi) => EngineApi
  /** The UI state file (default: a fresh one per app, so no test sees another's drafts). */
  statePath?: string
  /** Viewport (default 1280×760). */
  viewport?: { width: number; height: number }
}

/** Start browser mode and open the app in a new page (first run: empty localStorage). */
export async function openApp(browser: Browser, options: OpenOptions = {}): Promise<AppUnderTest> {
  const engine = createEngine(options.defaults ? { defaults: options.defaults } : undefined)
  const served = options.wrapEngine ? options.wrapEngine(engine) : engine
  const stateDir = options.statePath ? null : await mkdtemp(join(tmpdir(), 'sockeye-ui-'))
  const uiStatePath = options.statePath ?? join(stateDir!, 'ui-state.json')
  const serve = await startServe({ staticDir: RENDERER_DIR, engine: served, note: () => {}, uiStatePath })
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 760 },
    colorScheme: options.colorScheme ?? 'light',
  })
  const page = await context.newPage()
  const dialogs: string[] = []
  const errors: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`)
    void d.dismiss()
  })
  page.on('pageerror', (e) => errors.push(e.message))
  for (const script of [options.initScript ?? []].flat()) await page.addInitScript(script)
  await page.goto(serve.url)
  await page.getByLabel('URL', { exact: true }).waitFor()
  return {
    serve,
    page,
    dialogs,
    errors,
    async close() {
      await context.close()
      await serve.close()
      await engine.close()
      if (stateDir) await rm(stateDir, { recursive: true, force: true, maxRetries: 3 })
    },
  }
}

/** Type a URL into the composer and press Send; resolves when the request's row shows a status. */
export async function sendFromComposer(page: Page, url: string): Promise<void> {
  await page.getByLabel('URL', { exact: true }).fill(url)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
}

/** Save a screenshot of the whole page under SCREENSHOT_DIR. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) })
}

/** The same screenshot at the two sizes UI changes are judged at: `<name>-1440x900`, `<name>-1024x700`. */
export async function screenshotSizes(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await screenshot(page, `${name}-${w}x${h}`)
  }
}

/** The id of the row drawn at the top of the request list's view (rows are absolutely placed). */
export const topRow = (page: Page): Promise<number | null> =>
  page.locator('.request-list-scroll').evaluate((el) => {
    const top = el.getBoundingClientRect().top
    const rows = [...el.querySelectorAll('.request-list-row')]
    const first = rows.find((r) => Math.abs(r.getBoundingClientRect().top - top) < 4)
    return first ? Number(first.getAttribute('data-id')) : null
  })

/** The text of each request row's socket chip, in list order. */
export async function chipTexts(page: Page): Promise<string[]> {
  const texts = await page.locator('.request-list-row .socket-chip').allTextContents()
  return texts.map((t) => t.replace(/\s+/g, ' ').trim())
}

/**
 * The lifecycle every UI test file shares: one browser per file; every app and server a test opens
 * is closed after it, whatever the outcome. Call once at the top of a test file.
 */
export function useUiHarness() {
  let browser: Browser | null = null
  const apps: AppUnderTest[] = []
  const servers: Array<{ close(): Promise<void> }> = []
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close()
    for (const server of servers.splice(0)) await server.close()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return {
    browser: (): Browser => browser!,
    /** Open the app on a fresh engine; closed after the test. */
    async open(options: OpenOptions = {}): Promise<AppUnderTest> {
      const app = await openApp(browser!, options)
      apps.push(app)
      return app
    },
    /** Keep a loopback server to close after the test. */
    async track<T extends { close(): Promise<void> }>(starting: Promise<T>): Promise<T> {
      const server = await starting
      servers.push(server)
      return server
    },
  }
}
