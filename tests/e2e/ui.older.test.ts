import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshotSizes, sendFromComposer, topRow, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'
import { seriousViolations } from './helpers/axe'
import { LIMITS } from '../../electron/contract/limits'
import type { EngineApi } from '../../electron/engine/api'

// One page and a bit more than a page of older ones: the first load is a full page, the second the rest.
const OLDER_PAGE = LIMITS.listPage
const OLDER = OLDER_PAGE + 100
const TOTAL = LIMITS.pageRequests + OLDER

const ui = useUiHarness()

const count = (page: Page) => page.locator('.request-list-filters-count').innerText()
const selected = (page: Page) => page.locator('.request-list-row.selected').getAttribute('data-id')

describe('older requests after a reload', () => {
  it('offers the requests the snapshot left out and pages them in, keeping the view and the selection', async () => {
    const server = await ui.track(startHttpServer())
    let engine: EngineApi | null = null
    const app = await ui.open({
      viewport: { width: 1440, height: 900 },
      wrapEngine: (e) => (engine = e),
    })
    const { page } = app
    await page.getByLabel('Repeat').fill(String(TOTAL))
    await page.getByLabel('Concurrency').fill('50')
    await sendFromComposer(page, `${server.url}/older`)
    await expect.poll(() => count(page), { timeout: 60_000 }).toBe(`${TOTAL} requests`)
    await expect.poll(() => page.locator('.request-list-row .status.pending').count()).toBe(0)
    expect(await page.locator('.request-list-older').count()).toBe(0)

    // The oldest ids the newest page leaves out (arrival order: not simply ids 1..OLDER).
    const newest = engine!.listRequests(LIMITS.pageRequests)
    expect(newest.older).toBe(OLDER)
    const newestLowest = Math.min(...newest.requests.map((r) => r.id))
    expect(newestLowest).toBeGreaterThan(1)

    await page.reload()
    await expect.poll(() => count(page)).toBe(`${LIMITS.pageRequests} requests`)
    const bar = page.locator('.request-list-older')
    await expect.poll(() => bar.innerText()).toContain(`${OLDER} older requests`)
    const list = page.getByRole('grid', { name: /Request list/ })
    await list.focus()
    await page.keyboard.press('Home')
    await expect.poll(() => selected(page)).toBe(String(newestLowest))
    // Select a row at the bottom by a click (the list follows the tail after a reload).
    await page.keyboard.press('End')
    await expect.poll(() => selected(page)).not.toBe(String(newestLowest))
    const rowAbove = page.locator('.request-list-row.selected').locator('xpath=preceding-sibling::*[1]')
    await rowAbove.click()
    const pick = await selected(page)
    expect(pick).not.toBeNull()
    await expect.poll(() => page.locator('.detail-pane-title').innerText()).toContain(`req ${pick} `)

    // Scrolling to the top pages in one page; the row that was at the top stays there.
    await list.evaluate((el) => (el.scrollTop = 0))
    await expect.poll(() => count(page)).toBe(`${LIMITS.pageRequests + OLDER_PAGE} requests`)
    await expect.poll(() => topRow(page)).toBe(newestLowest)
    expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0)
    // The selection stays (its row is drawn far below now: the detail pane still shows it).
    expect(await page.locator('.detail-pane-title').innerText()).toContain(`req ${pick} `)
    await expect.poll(() => bar.innerText()).toContain(`${OLDER - OLDER_PAGE} older requests`)
    await screenshotSizes(page, 'older-requests')
    const violations = await seriousViolations(page)
    expect(violations.map((v) => `${v.id} at ${v.targets.join(' ')}`)).toEqual([])

    // The button takes the rest, from the keyboard: it is the Tab stop just before the grid.
    await list.focus()
    await page.keyboard.press('Shift+Tab')
    const more = page.getByRole('button', { name: `Load ${OLDER - OLDER_PAGE} more` })
    expect(await more.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => count(page)).toBe(`${TOTAL} requests`)
    expect(await bar.count()).toBe(0)
    await list.focus()
    await page.keyboard.press('Home')
    await expect.poll(() => selected(page)).toBe('1')
    expect(app.errors).toEqual([])
  }, 120_000)
})
