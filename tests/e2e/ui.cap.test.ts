import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { sendFromComposer, topRow, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'
import { LIMITS } from '../../electron/contract/limits'
import type { EngineApi } from '../../electron/engine/api'

// A full list, then a run a little past it (sent by the engine itself, so no Send pulls the view
// down): the oldest rows leave the list while the user reads the middle of it.
const PAST = 600

const ui = useUiHarness()
const count = (page: Page) => page.locator('.request-list-filters-count').innerText()
const text = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim())

describe('live rows past LIMITS.listRows', () => {
  it('leave the list oldest first: it says how many the engine keeps, the view and the selection stay', async () => {
    const server = await ui.track(startHttpServer())
    let engine: EngineApi | null = null
    const app = await ui.open({ viewport: { width: 1440, height: 900 }, wrapEngine: (e) => (engine = e) })
    const { page } = app
    await page.getByLabel('Repeat').fill(String(LIMITS.listRows))
    await page.getByLabel('Concurrency').fill('20')
    await sendFromComposer(page, `${server.url}/cap`)
    const progress = page.getByRole('status', { name: 'Run progress' })
    await expect
      .poll(() => progress.getAttribute('data-active'), { timeout: 120_000, interval: 250 })
      .toBe('false')
    expect(await count(page)).toBe(`${LIMITS.listRows} requests`)
    expect(await page.locator('.request-list-older').count()).toBe(0)

    // Read the middle of the list, then more requests arrive.
    const list = page.getByRole('grid', { name: /Request list/ })
    await list.evaluate((el) => (el.scrollTop = 5000 * 22))
    await expect.poll(() => topRow(page)).not.toBeNull()
    const reading = await topRow(page)
    const run = engine!.run({
      request: { method: 'GET', url: `${server.url}/more`, headers: [], body: null },
      repeat: PAST,
      concurrency: 20,
    })
    await run.done
    await expect
      .poll(() => text(page, '.request-list-older'), { timeout: 30_000 })
      .toBe(
        `${PAST} older requests kept by the engine — the list holds at most ${LIMITS.listRows.toLocaleString('en-US')} rows; Export HAR has every kept request.`,
      )
    expect(await count(page)).toBe(`${LIMITS.listRows} requests`)
    // The view stays on the row it showed; the pill counts what arrived below.
    await expect.poll(() => text(page, '.request-list-pill')).toBe(`${PAST} new ↓`)
    expect(await topRow(page)).toBe(reading)

    // The rows that left are the first to have arrived: the engine's newest page holds every row shown.
    await page.locator('.request-list-pill').click()
    const history = engine!.listRequests(LIMITS.listRows)
    expect(history.older).toBe(PAST)
    const kept = new Set(history.requests.map((r) => r.id))
    const held = await page
      .locator('.request-list-row')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))))
    expect(held.length).toBeGreaterThan(10)
    for (const id of held) expect(kept.has(id)).toBe(true)
    expect(kept.has(1)).toBe(false)
    // Send selected the first request; its row left the list, the detail pane still shows it.
    expect(await page.locator('.detail-pane-title').innerText()).toContain('req 1 ')
    expect(app.errors).toEqual([])
  }, 180_000)
})
