import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'
import { LIMITS } from '../../electron/contract/limits'
import type { EngineApi } from '../../electron/engine/api'

// A burst a little past what the list holds: the oldest rows leave it while it runs.
const PAST = 600
const TOTAL = LIMITS.listRows + PAST

const ui = useUiHarness()
const count = (page: Page) => page.locator('.request-list-filters-count').innerText()

describe('live rows past LIMITS.listRows', () => {
  it('leave the list oldest first; it says how many the engine keeps, and the selection stays shown', async () => {
    const server = await ui.track(startHttpServer())
    let engine: EngineApi | null = null
    const app = await ui.open({ viewport: { width: 1440, height: 900 }, wrapEngine: (e) => (engine = e) })
    const { page } = app
    await page.getByLabel('Repeat').fill(String(TOTAL))
    await page.getByLabel('Concurrency').fill('20')
    await sendFromComposer(page, `${server.url}/cap`)
    const progress = page.getByRole('status', { name: 'Run progress' })
    await expect
      .poll(() => progress.getAttribute('data-active'), { timeout: 120_000, interval: 250 })
      .toBe('false')
    // Progress counts every request though the list no longer holds them all.
    expect(await progress.innerText()).toMatch(
      new RegExp(`^Done: sent ${TOTAL}/${TOTAL} · ok ${TOTAL} · failed 0`),
    )
    expect(await count(page)).toBe(`${LIMITS.listRows} requests`)
    const bar = page.locator('.request-list-older')
    await expect
      .poll(() => bar.evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim()))
      .toBe(
        `${PAST} older requests kept by the engine — the list holds at most ${LIMITS.listRows.toLocaleString('en-US')} rows; Export HAR has every kept request.`,
      )
    // The rows that left are the first to have arrived: the engine's own count agrees.
    const held = await page
      .locator('.request-list-row')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))))
    const history = engine!.listRequests(LIMITS.listRows)
    expect(history.older).toBe(PAST)
    const kept = new Set(history.requests.map((r) => r.id))
    for (const id of held) expect(kept.has(id)).toBe(true)
    // Send selected the first request; its row left the list, the detail pane still shows it.
    expect(held).not.toContain(1)
    expect(await page.locator('.detail-pane-title').innerText()).toContain('req 1 ')
    expect(app.errors).toEqual([])
  }, 180_000)
})
