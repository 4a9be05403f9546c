import { describe, expect, it } from 'vitest'
import { chipTexts, screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startH2Server, startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

describe('sockets in the browser UI', () => {
  it('shows two different new sockets when the server answers with Connection: close', async () => {
    const server = await ui.track(
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' })
        res.end('bye')
      }),
    )
    const app = await ui.open()
    const { page } = app
    await sendFromComposer(page, `${server.url}/a`)
    await page.locator('.request-list-row .socket-chip').first().waitFor()
    await sendFromComposer(page, `${server.url}/b`)
    await expect.poll(() => page.locator('.request-list-row .socket-chip').count()).toBe(2)
    expect(await chipTexts(page)).toEqual(['socket #1 new', 'socket #2 new'])
    await page.locator('.request-list-row').nth(1).click()
    await page.getByRole('tab', { name: 'Connection', exact: true }).click()
    await expect
      .poll(() => page.locator('.detail-pane-connection-why').innerText())
      .toMatch(/server had closed the previous socket/)
  })

  it('draws concurrent h2 requests as overlapping bars on one lane', async () => {
    // Hold each response so the six streams are in flight together on the one h2 connection.
    const server = await ui.track(
      startH2Server((_req, res) => {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end('{"ok":true}')
        }, 150)
      }),
    )
    const app = await ui.open({ defaults: { rejectUnauthorized: false } })
    const { page } = app
    await page.getByLabel('Repeat').fill('6')
    await page.getByLabel('Concurrency').fill('6')
    await sendFromComposer(page, `${server.url}/stream`)
    await expect.poll(() => page.locator('.request-list-row .status.ok').count(), { timeout: 10_000 }).toBe(6)
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    const lanes = page.locator('.connection-lanes-lane[data-socket]')
    await expect.poll(() => lanes.count()).toBe(1)
    // Six requests on the one lane, stacked because they overlapped in time.
    expect(await lanes.first().getAttribute('data-bars')).toBe('6')
    expect(Number(await lanes.first().getAttribute('data-depth'))).toBeGreaterThan(1)
    await screenshot(page, 'connections-h2')
  })

  it('highlights every request on a socket when its chip is clicked', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await page.getByLabel('Repeat').fill('3')
    await sendFromComposer(page, `${server.url}/x`)
    await expect.poll(() => page.locator('.request-list-row .status.ok').count()).toBe(3)
    await page.locator('.request-list-row .socket-chip').first().click()
    await expect.poll(() => page.locator('.request-list-row.highlighted').count()).toBe(3)
  })
})
