import { describe, expect, it } from 'vitest'
import { chipTexts, screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

describe('founding scenario in the browser UI', () => {
  it('runs the first-run example: two rows on one socket, the second reused, a pool of 1 connection and 2 requests', async () => {
    const app = await ui.open()
    const { page } = app
    await expect.poll(() => page.getByRole('button', { name: 'Run the example' }).isVisible()).toBe(true)
    await screenshot(page, 'first-run')
    await page.getByRole('button', { name: 'Run the example' }).click()
    await page.locator('.request-list-row .socket-chip-word', { hasText: 'reused' }).waitFor()
    expect(await chipTexts(page)).toEqual(['socket #1 new', 'socket #1 reused'])
    await page.getByRole('tab', { name: 'Response', exact: true }).click()
    await page.locator('.cm-content').waitFor()
    await screenshot(page, 'composer-list-detail')
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await expect.poll(() => page.locator('[data-stat="numRequests"] dd').innerText()).toBe('2')
    expect(await page.locator('[data-stat="numConnections"] dd').innerText()).toBe('1')
    expect(await page.locator('.connection-lanes-lane[data-socket]').count()).toBe(1)
    await screenshot(page, 'connections-lanes')
    expect(app.errors).toEqual([])
  })

  it('reuses the socket for a second GET typed into the composer', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await sendFromComposer(page, `${server.url}/search?q=python&v=1.0`)
    await page.locator('.request-list-row .socket-chip').first().waitFor()
    await page.getByRole('textbox', { name: 'param 1 value' }).fill('php')
    expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe(
      `${server.url}/search?q=php&v=1.0`,
    )
    await page.getByLabel('URL', { exact: true }).press('Control+Enter')
    await page.locator('.request-list-row .socket-chip-word', { hasText: 'reused' }).waitFor()
    expect(await chipTexts(page)).toEqual(['socket #1 new', 'socket #1 reused'])
    expect(server.connections()).toBe(1)
  })

  it('accepts input in the composer within a second of starting browser mode', async () => {
    const started = performance.now()
    const app = await ui.open()
    await app.page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:1/')
    const ms = performance.now() - started
    console.log(`[ui] startServe() → composer accepting input: ${ms.toFixed(0)} ms`)
    expect(ms).toBeLessThan(5000)
  })
})
