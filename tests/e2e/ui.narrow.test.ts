/**
 * Narrow panes: at 1024×700 with the Collections sidebar open the request list is about 430 px wide
 * and the detail pane about 340 px. Checked by geometry in Chromium (nothing clipped, nothing covered),
 * then every view pictured at both sizes, both schemes, sidebar open and closed.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer, startHttpsServer } from '../helpers/servers'

const ui = useUiHarness()

/** Keep-alive answers, except `/close` (a new socket each time); `/a` sets two cookies. */
const routes = () =>
  startHttpServer((req, res) => {
    const close = req.url?.startsWith('/close')
    if (req.url === '/a') {
      res.setHeader('set-cookie', [
        'session=5f1c0d9e2b7a4c3e8d6f; Path=/; HttpOnly; SameSite=Lax',
        'prefs=theme%3Ddark%26density%3Dcompact%26columns%3Dmethod%2Curl%2Cstatus; Path=/orders; Max-Age=86400',
      ])
    }
    res.writeHead(200, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) })
    res.end(JSON.stringify({ ok: true, url: req.url }))
  })

/**
 * Runs in the page: every way a row or a detail tab can be cut or covered, as sentences (none: []).
 * A row's cells must not overlap; its chip must show `#N`, lie inside the list's visible width (left
 * of the scrollbar and the detail pane) and not be under the row's cURL button; a cell whose text is
 * cut must carry it in a tooltip; each detail tab must show its whole label inside the pane.
 */
function problems(): string[] {
  interface Rect {
    left: number
    right: number
    top: number
    bottom: number
    width: number
  }
  interface El {
    className: string
    textContent: string | null
    innerText: string
    scrollWidth: number
    clientWidth: number
    getAttribute(n: string): string | null
    getBoundingClientRect(): Rect
    querySelector(s: string): El | null
    querySelectorAll(s: string): ArrayLike<El>
    closest(s: string): El | null
  }
  const doc = (globalThis as unknown as { document: El }).document
  const all = (root: El, s: string) => Array.from(root.querySelectorAll(s))
  const overlap = (a: Rect, b: Rect) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5
  const out: string[] = []
  const page = (doc as unknown as { documentElement: El }).documentElement
  if (page.scrollWidth > page.clientWidth) {
    const wide = all(page, '*').filter((e) => e.getBoundingClientRect().right > page.clientWidth + 0.5)
    const names = wide.slice(0, 3).map((e) => `${e.className || e.textContent?.slice(0, 20)}`)
    out.push(`page ${page.scrollWidth}px wide in ${page.clientWidth}px: ${names.join(', ')}`)
  }
  const scroller = doc.querySelector('.request-list-scroll')
  const detail = doc.querySelector('.detail-pane')
  if (scroller) {
    const s = scroller.getBoundingClientRect()
    const visibleRight = s.left + scroller.clientWidth
    for (const row of all(scroller, '.request-list-row')) {
      const id = row.getAttribute('data-id')
      const cells = all(row, '[role="gridcell"]')
        .map((c) => ({ c, r: c.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 1)
      for (let i = 1; i < cells.length; i++) {
        if (cells[i]!.r.left < cells[i - 1]!.r.right - 0.5) {
          out.push(`row ${id}: ${cells[i - 1]!.c.className} overlaps ${cells[i]!.c.className}`)
        }
      }
      for (const { c } of cells) {
        if (c.scrollWidth > c.clientWidth + 1 && !c.getAttribute('title') && !c.querySelector('[title]')) {
          out.push(`row ${id}: ${c.className} is cut without a tooltip`)
        }
      }
      const chip = row.querySelector('.socket-chip')
      if (!chip) continue
      const r = chip.getBoundingClientRect()
      const socket = chip.getAttribute('data-socket')
      if (!chip.innerText.includes(`#${socket}`)) out.push(`row ${id}: chip shows "${chip.innerText}"`)
      const word = chip.querySelector('.socket-chip-word')
      if (chip.scrollWidth > chip.clientWidth + 1 || (word && word.scrollWidth > word.clientWidth + 1)) {
        out.push(`row ${id}: chip text cut ("${chip.innerText}")`)
      }
      if (r.left < s.left - 0.5 || r.right > visibleRight + 0.5) {
        out.push(`row ${id}: chip ${r.left}–${r.right} outside the list ${s.left}–${visibleRight}`)
      }
      if (detail && r.right > detail.getBoundingClientRect().left + 0.5)
        out.push(`row ${id}: chip under detail`)
      const curl = row.querySelector('.request-list-row-curl')
      const c = curl?.getBoundingClientRect()
      if (c && c.width > 0) {
        if (overlap(c, r)) out.push(`row ${id}: cURL button covers the chip`)
        if (c.left < s.left - 0.5 || c.right > visibleRight + 0.5)
          out.push(`row ${id}: cURL button outside the list`)
        for (const cell of cells) {
          if (overlap(c, cell.r)) out.push(`row ${id}: cURL button covers ${cell.c.className}`)
        }
      }
    }
  }
  // Anything that ellipsizes has its full text one hover away (a 1px box is for screen readers only).
  const style = (globalThis as unknown as { getComputedStyle(e: El): { textOverflow: string } })
    .getComputedStyle
  for (const el of all(doc, 'body *')) {
    if (el.scrollWidth <= el.clientWidth + 1 || el.getBoundingClientRect().width <= 1) continue
    if (el.closest('.sr-only')) continue
    if (style(el).textOverflow !== 'ellipsis') continue
    if (!el.closest('[title]') && !el.querySelector('[title]')) {
      out.push(`${el.className} "${el.textContent?.trim().slice(0, 40)}" is cut without a tooltip`)
    }
  }
  for (const list of all(doc, '[role="tablist"]')) {
    const box = list.getBoundingClientRect()
    if (box.width === 0) continue
    for (const tab of all(list, '[role="tab"]')) {
      const t = tab.getBoundingClientRect()
      const name = `${list.getAttribute('aria-label')} tab "${tab.textContent?.trim()}"`
      if (tab.scrollWidth > tab.clientWidth + 1) out.push(`${name}: label cut`)
      if (t.left < box.left - 0.5 || t.right > box.right + 0.5) out.push(`${name}: outside its strip`)
    }
  }
  return out
}

/** Sockets #1–#11 used once (Connection: close), then #12 new and reused, a long URL and a TLS failure. */
async function fill(page: Page, server: string, tls: string): Promise<void> {
  await page.getByLabel('Repeat').fill('11')
  await sendFromComposer(page, `${server}/close`)
  await expect.poll(() => page.locator('.request-list-row .status.ok').count(), { timeout: 10_000 }).toBe(11)
  await page.getByLabel('Repeat').fill('1')
  await sendFromComposer(page, `${server}/a`)
  await sendFromComposer(page, `${server}/orders/2026/12/02/line-items?expand=customer,shipping&page=3`)
  await sendFromComposer(page, `${tls}/secret`)
  await expect.poll(() => page.locator('.request-list-row .status.bad').count()).toBe(1)
  await expect.poll(() => page.locator('.request-list-row .status.ok').count()).toBe(13)
}

const openSidebar = (page: Page) => page.getByRole('button', { name: 'Collections', exact: true }).click()

describe('narrow panes', () => {
  it('keeps chips whole and uncovered and detail tabs unclipped at 1024×700 with the sidebar open', async () => {
    const server = await ui.track(routes())
    const tls = await ui.track(startHttpsServer())
    const { page, errors } = await ui.open({ viewport: { width: 1024, height: 700 } })
    await openSidebar(page)
    await fill(page, server.url, tls.url)
    expect((await page.locator('.request-list').boundingBox())!.width).toBeLessThan(440)
    // The selected row shows its cURL button; so does the one under the mouse.
    await page.locator('.request-list-row[data-id="12"]').click()
    await page.locator('.request-list-row[data-id="13"] .method').hover()
    expect(await page.locator('.request-list-row[data-id="13"] .request-list-row-curl').isVisible()).toBe(
      true,
    )
    await page.getByRole('tab', { name: 'Connection', exact: true }).click()
    expect(await page.evaluate(problems)).toEqual([])
    // The short chip keeps its full words for a pointer and a screen reader.
    const chip = page.locator('.request-list-row[data-id="13"] .socket-chip')
    expect(await chip.getAttribute('aria-label')).toMatch(/^socket #12, reused:/)
    expect(await chip.getAttribute('title')).toMatch(/^socket #12, reused:/)
    // A long URL and a long error code ellipsize and keep their full text in the tooltip.
    const url = page.locator('.request-list-row[data-id="13"] .url')
    expect(await url.getAttribute('title')).toMatch(/line-items\?expand=customer,shipping&page=3$/)
    const failed = page.locator('.request-list-row .status.bad')
    expect(await failed.getAttribute('title')).toContain(await failed.innerText())
    await screenshot(page, 'narrow-list-1024x700-light-sidebar')
    // The splitter's limits: the narrowest list (a quarter), then the narrowest detail pane.
    const splitter = page.getByRole('separator', { name: 'Resize the request list' })
    await splitter.focus()
    await page.keyboard.press('Home')
    expect((await page.locator('.request-list').boundingBox())!.width).toBeLessThan(200)
    await screenshot(page, 'narrow-list-min-1024x700-light-sidebar')
    expect(await page.evaluate(problems)).toEqual([])
    await page.keyboard.press('End')
    expect((await page.locator('.detail-pane').boundingBox())!.width).toBeLessThan(160)
    await screenshot(page, 'narrow-detail-min-1024x700-light-sidebar')
    expect(await page.evaluate(problems)).toEqual([])
    expect(errors).toEqual([])
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`pictures every view at 1440×900 and 1024×700, sidebar open and closed (${scheme})`, async () => {
      const server = await ui.track(routes())
      const tls = await ui.track(startHttpsServer())
      const { page, errors } = await ui.open({ colorScheme: scheme, viewport: { width: 1440, height: 900 } })
      await fill(page, server.url, tls.url)
      await page.locator('.request-list-row[data-id="13"]').click()
      for (const sidebar of ['closed', 'open'] as const) {
        if (sidebar === 'open') await openSidebar(page)
        for (const [w, h] of [
          [1440, 900],
          [1024, 700],
        ] as const) {
          await page.setViewportSize({ width: w, height: h })
          const name = (view: string) => `narrow-${view}-${w}x${h}-${scheme}-sidebar-${sidebar}`
          for (const tab of ['Response', 'Connection']) {
            await page.getByRole('tab', { name: tab, exact: true }).click()
            expect.soft(await page.evaluate(problems), `${tab} ${name('')}`).toEqual([])
            await screenshot(page, name(`requests-${tab.toLowerCase()}`))
          }
          const parts = page.getByRole('tablist', { name: 'Request parts' })
          for (const part of [/^Params/, /^Headers/, /^Auth/, /^Body/]) {
            await parts.getByRole('tab', { name: part }).click()
            expect.soft(await page.evaluate(problems)).toEqual([])
            await screenshot(page, name(`composer-${part.source.slice(1).toLowerCase()}`))
          }
          await parts.getByRole('tab', { name: /^Params/ }).click()
          await page.getByRole('tab', { name: 'Connections', exact: true }).click()
          await page.locator('.connection-lanes').first().waitFor()
          expect.soft(await page.evaluate(problems)).toEqual([])
          await screenshot(page, name('connections'))
          await page.getByRole('tab', { name: 'Cookies', exact: true }).click()
          expect.soft(await page.evaluate(problems)).toEqual([])
          await screenshot(page, name('cookies'))
          await page.getByRole('tab', { name: 'Requests', exact: true }).click()
          if (sidebar === 'open') {
            await page.getByRole('button', { name: 'Import…' }).click()
            const dialog = page.getByRole('dialog', { name: 'Import a collection' })
            await dialog.waitFor()
            await screenshot(page, name('import'))
            await dialog.getByRole('button', { name: 'Close' }).click()
          }
        }
      }
      expect(errors).toEqual([])
    }, 180_000)
  }
})
