import { describe, expect, it } from 'vitest'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'
import { longTasks, watchLongTasks } from './helpers/perf'

const BURST = 2000

const ui = useUiHarness()

/**
 * Runs in the page before the app (serialized on its own): how many distinct request-list row
 * elements were ever put in the document (a row element the list moves or patches counts once).
 */
function watchRowElements(): void {
  const g = globalThis as unknown as {
    __rowElements: number
    document: object
    MutationObserver: new (cb: (records: { addedNodes: ArrayLike<unknown> }[]) => void) => {
      observe(target: object, options: { childList: boolean; subtree: boolean }): void
    }
  }
  g.__rowElements = 0
  const seen = new WeakSet<object>()
  new g.MutationObserver((records) => {
    for (const r of records)
      for (const node of Array.from(r.addedNodes) as { classList?: { contains(c: string): boolean } }[])
        if (node.classList?.contains('request-list-row') && !seen.has(node)) {
          seen.add(node)
          g.__rowElements++
        }
  }).observe(g.document, { childList: true, subtree: true })
}

/** Requests drawn on the timeline's lanes (each lane says how many bars it holds). */
async function barCount(page: import('playwright-core').Page): Promise<number> {
  const counts = await page
    .locator('.connection-lanes [data-bars]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-bars'))))
  return counts.reduce((a, b) => a + b, 0)
}

describe('a 2,000-request burst', () => {
  it('keeps the UI usable: the last row shows up, the longest task stays bounded, selection still works', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open({ initScript: [watchLongTasks, watchRowElements] })
    const { page } = app
    await page.getByLabel('Repeat').fill(String(BURST))
    await page.getByLabel('Concurrency').fill('50')
    const started = performance.now()
    await sendFromComposer(page, `${server.url}/burst?size=64`)
    const last = page.locator(`#request-row-${BURST} .status.ok`)
    await last.waitFor({ timeout: 60_000 })
    const lastRowMs = performance.now() - started
    await expect.poll(() => page.locator('.request-list-filters-count').innerText()).toBe(`${BURST} requests`)
    // While it followed the burst, the list drew each frame's rows in the row elements it already
    // had (each drawn row keeps a slot): a burst moves the view by a screenful per frame, and rows
    // keyed by request mounted a new element for every request they showed (1,158 for this burst).
    // Twice the drawn rows: a change of the window's size (a resize) would remount it once.
    const drawn = await page.locator('.request-list-row').count()
    const created = await page.evaluate(
      () => (globalThis as unknown as { __rowElements: number }).__rowElements,
    )
    expect(drawn).toBeGreaterThan(10)
    expect(created).toBeLessThanOrEqual(2 * drawn)
    // Following at the bottom, it drew the rows in view only (no overscan to relay out every frame):
    // one row may be cut at each edge, and a view up to 4 rows shorter keeps its window.
    const inView = await page
      .getByRole('grid', { name: /Request list/ })
      .evaluate((el) => Math.ceil(el.clientHeight / 22) + 1)
    expect(drawn).toBeLessThanOrEqual(inView + 4)

    // Still usable: keyboard selection moves and the detail pane follows; the composer takes input.
    const list = page.getByRole('grid', { name: /Request list/ })
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

    const { longest, count } = await longTasks(page)
    console.log(
      `[ui] burst of ${BURST}: last row visible after ${lastRowMs.toFixed(0)} ms; longest main-thread task ` +
        `${longest.toFixed(0)} ms (${count} tasks over 50 ms); typing after the burst ${typingMs.toFixed(0)} ms; ` +
        `${created} row elements for ${drawn} rows drawn`,
    )
    await screenshot(page, 'burst')
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await expect.poll(() => barCount(page)).toBe(BURST)
    await screenshot(page, 'connections-burst')
    expect(longest).toBeLessThan(2000)
    expect(app.errors).toEqual([])
  }, 120_000)
})
