import { describe, expect, it } from 'vitest'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

// Page functions below run in the browser; the tests' tsconfig has no DOM lib, hence globalThis.
const HOSTILE = [
  '<h1 id="title">hostile page</h1>',
  '<script>window.__pwned = 1; alert("script ran")</script>',
  '<img src="x" onerror="window.__pwned = 2; alert(\'onerror ran\')">',
].join('\n')

const ui = useUiHarness()

async function openHostileResponse() {
  const server = await ui.track(
    startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(HOSTILE)
    }),
  )
  const opened = await ui.open()
  await sendFromComposer(opened.page, `${server.url}/evil`)
  await opened.page.locator('.request-list-row .status.ok').waitFor()
  await opened.page.locator('.request-list-row').first().click()
  return opened
}

describe('hostile response content', () => {
  it('shows an HTML response as text, markup and all', async () => {
    const app = await openHostileResponse()
    const raw = app.page.getByLabel('Response body (raw)')
    await expect.poll(() => raw.innerText()).toContain('<script>window.__pwned = 1')
    expect(await app.page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(app.dialogs).toEqual([])
  })

  it('renders the sandboxed preview without running its script or onerror handler', async () => {
    const app = await openHostileResponse()
    const { page } = app
    await page.getByRole('tab', { name: 'Preview (sandboxed)' }).click()
    const frameEl = page.locator('iframe.detail-pane-body-preview')
    expect(await frameEl.getAttribute('sandbox')).toBe('')
    const frame = await (await frameEl.elementHandle())!.contentFrame()
    // The markup was parsed as HTML (so its script and handler had their chance)…
    await expect.poll(() => frame!.locator('#title').innerText()).toBe('hostile page')
    await expect
      .poll(() => frame!.locator('img').evaluate((img) => (img as unknown as { complete: boolean }).complete))
      .toBe(true)
    // …yet neither ran: not in the frame, not in the app, and no dialog opened.
    expect(await frame!.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(app.dialogs).toEqual([])
  })

  it('gives the preview an opaque origin, not the app origin', async () => {
    const app = await openHostileResponse()
    const { page } = app
    await page.getByRole('tab', { name: 'Preview (sandboxed)' }).click()
    const frame = await (await page
      .locator('iframe.detail-pane-body-preview')
      .elementHandle())!.contentFrame()
    await frame!.locator('#title').waitFor()
    expect(await frame!.evaluate(() => (globalThis as unknown as { origin: string }).origin)).toBe('null')
    expect(await page.evaluate(() => (globalThis as unknown as { origin: string }).origin)).toBe(
      app.serve.url.replace(/\/\?token=.*$/, ''),
    )
  })
})
