import { describe, expect, it } from 'vitest'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

const BURST = 2000

const ui = useUiHarness()

/** Runs in the page before the app: remember the longest main-thread task (Long Tasks API). */
function watchLongTasks(): void {
  const g = globalThis as unknown as { __longest: number; __longTasks: number }
  g.__longest = 0
  g.__longTasks = 0
  // 'longtask' is a browser entry type; Node's types (this tsconfig) do not list it.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      g.__longTasks++
      g.__longest = Math.max(g.__longest, entry.duration)
    }
  }).observe({ type: 'longtask', buffered: true } as unknown as { type: 'mark'; buffered: boolean })
}

describe('a 2,000-request burst', () => {
  it('keeps the UI usable: the last row shows up, the longest task stays bounded, selection still works', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open({ initScript: watchLongTasks })
    const { page } = app
    await page.getByLabel('Repeat').fill(String(BURST))
    await page.getByLabel('Concurrency').fill('50')
    const started = performance.now()
    await sendFromComposer(page, `${server.url}/burst?size=64`)
    const last = page.locator(`#request-row-${BURST} .status.ok`)
    await last.waitFor({ timeout: 60_000 })
    const lastRowMs = performance.now() - started
    await expect.poll(() => page.locator('.request-list-filters-count').innerText()).toBe(`${BURST} requests`)

    // Still usable: keyboard selection moves and the detail pane follows; the composer takes input.
    const list = page.getByRole('listbox', { name: /Request list/ })
    await list.focus()
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowUp')
    await expect
      .poll(() => page.locator('.request-list-row.selected').getAttribute('data-id'))
      .toBe(String(BURST - 1))
    await page.getByRole('tab', { name: 'Headers', exact: true }).click()
    await expect.poll(() => page.locator('.detail-pane-title').innerText()).toContain(`req ${BURST - 1} GET`)
    const typing = performance.now()
    await page.getByLabel('URL', { exact: true }).fill(`${server.url}/after`)
    const typingMs = performance.now() - typing

    const { longest, count } = await page.evaluate(() => {
      const g = globalThis as unknown as { __longest: number; __longTasks: number }
      return { longest: g.__longest, count: g.__longTasks }
    })
    console.log(
      `[ui] burst of ${BURST}: last row visible after ${lastRowMs.toFixed(0)} ms; longest main-thread task ` +
        `${longest.toFixed(0)} ms (${count} tasks over 50 ms); typing after the burst ${typingMs.toFixed(0)} ms`,
    )
    await screenshot(page, 'burst')
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await expect
      .poll(() => page.locator('.connection-lanes-lane[data-socket] .connection-lanes-bar').count())
      .toBe(BURST)
    await screenshot(page, 'connections-burst')
    expect(longest).toBeLessThan(2000)
    expect(app.errors).toEqual([])
  }, 120_000)
})
