import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

// A 1×1 PNG: enough for the image view and a recognisable hex signature.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

const ui = useUiHarness()

async function openBody(page: Page, url: string): Promise<void> {
  await sendFromComposer(page, url)
  await page.locator('.request-list-row .status.ok').waitFor()
  await page.locator('.request-list-row').first().click()
  await page.getByRole('tab', { name: 'Response', exact: true }).click()
}

describe('response body views', () => {
  it('pretty-prints JSON and folds a nested block', async () => {
    const server = await ui.track(startHttpServer())
    const { page } = await ui.open()
    await openBody(page, `${server.url}/json?a=1&b=2`)
    const editor = page.locator('.cm-content')
    await expect.poll(() => editor.innerText()).toContain('"query": {')
    await page.locator('.cm-foldGutter [title="Fold line"]').nth(1).click()
    await page.locator('.cm-foldPlaceholder').waitFor()
    expect(await editor.innerText()).not.toContain('"a": "1"')
  })

  it('shows an image response through a data: URL of its own bytes (an opaque origin if opened alone)', async () => {
    const server = await ui.track(
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' })
        res.end(PNG)
      }),
    )
    const { page } = await ui.open()
    await openBody(page, `${server.url}/dot.png`)
    const img = page.getByRole('img', { name: 'Response body as an image' })
    await expect.poll(() => img.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBOR/)
    await expect
      .poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1)
  })

  it('shows binary bytes as a hex dump', async () => {
    const server = await ui.track(
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        res.end(PNG)
      }),
    )
    const { page } = await ui.open()
    await openBody(page, `${server.url}/blob`)
    const hex = page.getByLabel('Response body (hex)')
    await expect.poll(() => hex.innerText()).toMatch(/^00000000 {2}89 50 4e 47 0d 0a 1a 0a/)
  })
})
