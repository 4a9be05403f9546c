import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

/** Every view's state worth checking, in order: each step leaves the page in the state it names. */
async function* views(page: Page, url: string): AsyncGenerator<string> {
  yield 'requests, first run'
  await page.getByLabel('Repeat').fill('3')
  await sendFromComposer(page, `${url}/a11y`)
  await page.locator('.request-list-row .status.ok').nth(2).waitFor()
  await page.locator('.request-list-row').first().click()
  yield 'requests, a response selected'
  for (const tab of ['Headers', 'Timing', 'Connection']) {
    await page.getByRole('tab', { name: tab, exact: true }).click()
    yield `requests, ${tab} tab`
  }
  await page.getByRole('grid', { name: /Request list/ }).focus()
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Enter')
  yield 'requests, a socket chip focused and pressed'
  await page.getByRole('button', { name: 'Collections', exact: true }).click()
  await page.getByRole('button', { name: 'Import…' }).click()
  await page.getByLabel('Text to import').fill(`curl ${url}/imported -H 'X-A: 1'`)
  await page.getByRole('button', { name: 'Preview' }).click()
  await page.getByRole('tree', { name: 'Will create' }).waitFor()
  yield 'collections, import dialog with a preview'
  await page.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('tab', { name: 'Connections', exact: true }).click()
  await page.locator('canvas.connection-lanes-canvas').waitFor()
  await page.locator('details.connections-view-settings[open]').waitFor()
  yield 'connections, pool settings open'
  const box = (await page.locator('canvas.connection-lanes-canvas').boundingBox())!
  await page.mouse.move(box.x + 4, box.y + 40)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 3 })
  await page.mouse.up()
  yield 'connections, a time range brushed'
}

describe('accessibility (axe-core)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violations in any view, ${colorScheme}`, async () => {
      const server = await ui.track(startHttpServer())
      const app = await ui.open({ colorScheme })
      const found: string[] = []
      const seen: string[] = []
      for await (const state of views(app.page, server.url)) {
        seen.push(state)
        for (const v of await seriousViolations(app.page)) {
          found.push(`${state}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.slice(0, 3).join(', ')}`)
        }
      }
      expect(seen).toHaveLength(9)
      await screenshot(app.page, `axe-${colorScheme}`)
      expect(found).toEqual([])
    }, 60_000)
  }
})
