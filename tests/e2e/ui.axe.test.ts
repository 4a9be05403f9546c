import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

/**
 * Known violations left on purpose, listed so that every OTHER violation fails now. Each entry names
 * the rule and the elements; remove it when fixed (the test prints what it let through, so a stale
 * entry shows). Request rows: the socket chip is a button inside role=option (nested-interactive);
 * the fix is the grid pattern (role=grid/row/gridcell), which changes the list's role and its tests.
 */
const PENDING: Array<{ id: string; target: RegExp }> = [
  { id: 'nested-interactive', target: /^#request-row-\d+$/ },
]
const pending = (id: string, target: string) => PENDING.some((p) => p.id === id && p.target.test(target))

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
  await page.getByRole('tab', { name: 'Connections', exact: true }).click()
  await page.locator('canvas.connection-lanes-canvas').waitFor()
  yield 'connections'
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
      const letThrough = new Set<string>()
      for await (const state of views(app.page, server.url)) {
        for (const v of await seriousViolations(app.page)) {
          const targets = v.targets.filter((t) => !pending(v.id, t))
          v.targets.filter((t) => pending(v.id, t)).forEach(() => letThrough.add(v.id))
          if (targets.length === 0) continue
          found.push(`${state}: ${v.impact} ${v.id} (${v.help}) at ${targets.slice(0, 3).join(', ')}`)
        }
      }
      if (letThrough.size > 0)
        console.log(`[axe] ${colorScheme}: let through (PENDING): ${[...letThrough].join(', ')}`)
      await screenshot(app.page, `axe-${colorScheme}`)
      expect(found).toEqual([])
    }, 60_000)
  }
})
