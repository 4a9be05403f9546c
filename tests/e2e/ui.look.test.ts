import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, useUiHarness } from './helpers/app'
import type { PageGlobals } from './helpers/dom'

const ui = useUiHarness()

const background = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals
    return g.getComputedStyle(g.document.body).backgroundColor
  })

async function runExample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run the example' }).click()
  await page.locator('.request-list-row .socket-chip-word', { hasText: 'reused' }).waitFor()
}

/** Runs in the page: controls that a screen reader would announce without a name. */
function unnamedControls(): string[] {
  const doc = (globalThis as unknown as PageGlobals).document
  return [...doc.querySelectorAll('button, input, select, textarea, [role="tab"], [role="grid"]')]
    .filter((el) => {
      const labelled = el.labels?.length ?? 0
      const named =
        el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title')
      return !labelled && !named && !(el.textContent ?? '').trim()
    })
    .map((el) => el.outerHTML.slice(0, 120))
}

describe('look and accessibility', () => {
  it('follows the OS dark colour scheme', async () => {
    const app = await ui.open({ colorScheme: 'dark' })
    await runExample(app.page)
    expect(await background(app.page)).toBe('rgb(22, 24, 29)')
    await app.page.getByRole('tab', { name: 'Connection', exact: true }).click()
    await screenshot(app.page, 'dark-mode')
  })

  it('lets the theme switch override the OS preference', async () => {
    const app = await ui.open({ colorScheme: 'dark' })
    await app.page.getByLabel('Theme').selectOption('light')
    expect(await background(app.page)).toBe('rgb(255, 255, 255)')
  })

  it('gives every control an accessible name, in every view', async () => {
    const app = await ui.open()
    const { page } = app
    expect(await page.evaluate(unnamedControls)).toEqual([])
    await runExample(page)
    for (const tab of ['Response', 'Headers', 'Timing', 'Connection']) {
      await page.getByRole('tab', { name: tab, exact: true }).click()
      expect(await page.evaluate(unnamedControls)).toEqual([])
    }
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.getByText(/^Pool settings for/).click()
    expect(await page.evaluate(unnamedControls)).toEqual([])
  })

  it('moves the selection with the arrow keys and shows a focus ring on the list', async () => {
    const app = await ui.open()
    const { page } = app
    await runExample(page)
    const list = page.getByRole('grid', { name: /Request list/ })
    await list.focus()
    await page.keyboard.press('Home')
    await expect.poll(() => page.locator('.request-list-row.selected').getAttribute('data-id')).toBe('1')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.locator('.request-list-row.selected').getAttribute('data-id')).toBe('2')
    const outline = await list.evaluate(
      (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).outlineStyle,
    )
    expect(outline).toBe('solid')
  })
})
