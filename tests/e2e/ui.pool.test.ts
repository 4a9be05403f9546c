import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { chipTexts, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer, startHttpsServer } from '../helpers/servers'

const ui = useUiHarness()

const statuses = (page: Page) => page.locator('.request-list-row .status').allInnerTexts()

describe('pools and requests from the UI', () => {
  it('lets a self-signed origin through once TLS verification is turned off in its pool settings', async () => {
    const server = await ui.track(startHttpsServer())
    const app = await ui.open()
    const { page } = app
    await sendFromComposer(page, `${server.url}/a`)
    await expect.poll(() => statuses(page)).toEqual(['TLS_SELF_SIGNED'])
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.getByLabel('Verify TLS certificates').uncheck()
    await page.getByRole('button', { name: 'Apply settings' }).click()
    await expect.poll(() => page.getByLabel('Verify TLS certificates').isChecked()).toBe(false)
    await page.getByRole('tab', { name: 'Requests', exact: true }).click()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => statuses(page)).toEqual(['TLS_SELF_SIGNED', '200'])
  })

  it('shows a pool setting the engine refuses as one line with its code', async () => {
    const server = await ui.track(startHttpServer())
    const { page } = await ui.open()
    await sendFromComposer(page, `${server.url}/a`)
    await expect.poll(() => statuses(page)).toEqual(['200'])
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.getByLabel('Connections (max sockets)').fill('0')
    await page.getByRole('button', { name: 'Apply settings' }).click()
    const alert = page.getByRole('alert').locator('span')
    await expect
      .poll(() => alert.innerText())
      .toMatch(/^INVALID_OPTION \(input\): configurePool: .*connections/)
    expect(await alert.innerText()).not.toContain('\n')
  })

  it('opens a new socket for the next request after "Close connections"', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await sendFromComposer(page, `${server.url}/a`)
    await expect.poll(() => statuses(page)).toEqual(['200'])
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.getByRole('button', { name: 'Close connections' }).click()
    // Closed sockets are grouped under "closed (N)", collapsed until asked.
    await page.getByRole('button', { name: /closed \(1\)/ }).click()
    await expect
      .poll(() => page.locator('.connection-lanes-state').innerText())
      .toMatch(/^closed: pool closed/)
    await page.getByRole('tab', { name: 'Requests', exact: true }).click()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => chipTexts(page)).toEqual(['socket #1 new', 'socket #2 new'])
  })

  it('shows a refused connection as its error code in the row and one line in the detail pane', async () => {
    // A port that was just free: listen, note it, close.
    const gone = await startHttpServer()
    const url = `${gone.url}/nobody-home`
    await gone.close()
    const app = await ui.open()
    const { page } = app
    await sendFromComposer(page, url)
    await expect.poll(() => statuses(page)).toEqual(['CONNECTION_REFUSED'])
    await page.locator('.request-list-row').first().click()
    const line = await page.locator('.detail-pane-body-error').first().innerText()
    expect(line).toMatch(/^CONNECTION_REFUSED \(connect\): .+$/)
    expect(line).not.toContain('\n')
  })

  it('exports the history as a HAR file through a download', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await sendFromComposer(page, `${server.url}/har?x=1`)
    await expect.poll(() => statuses(page)).toEqual(['200'])
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export HAR' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^sockeye-.*\.har$/)
    const har = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      log: { entries: Array<{ request: { url: string } }> }
    }
    expect(har.log.entries.map((e) => e.request.url)).toEqual([`${server.url}/har?x=1`])
  })
})
