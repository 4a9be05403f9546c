import { describe, expect, it } from 'vitest'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer, startHttpsServer } from '../helpers/servers'

const ui = useUiHarness()

/** A server with the routes the pictures need: JSON, gzip, 204, 302, slow. */
function routes() {
  return startHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/gzip') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(
        gzipSync(JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ i, name: `item ${i}` })) })),
      )
    } else if (path === '/empty') {
      res.writeHead(204)
      res.end()
    } else if (path === '/close') {
      res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' })
      res.end('bye')
    } else if (path === '/slow') {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('slow')
      }, 60)
    } else if (path === '/moved') {
      res.writeHead(302, { location: '/gzip' })
      res.end()
    } else {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: true, path }))
    }
  })
}

/** Every pixel of every chip, status cell and header inside its box: nothing cut. */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<HTMLLike> } })
      .document
    interface HTMLLike {
      scrollWidth: number
      clientWidth: number
      textContent: string | null
      className: string
      getBoundingClientRect(): { left: number; right: number }
      closest(s: string): HTMLLike | null
    }
    const out: string[] = []
    for (const el of Array.from(
      doc.querySelectorAll('.request-list-row .socket-chip, .request-list-row .status'),
    )) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`cut: ${el.className} ${el.textContent}`)
      const row = el.closest('.request-list-row')
      if (row && el.getBoundingClientRect().right > row.getBoundingClientRect().right + 1) {
        out.push(`outside its row: ${el.textContent}`)
      }
    }
    return out
  })
}

describe('the request loop, pictured', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const [w, h] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      it(`shows list, summary and errors unclipped at ${w}×${h} (${scheme})`, async () => {
        const server = await ui.track(routes())
        const tls = await ui.track(startHttpsServer())
        const app = await ui.open({ colorScheme: scheme })
        const { page } = app
        await page.setViewportSize({ width: w, height: h })
        // 14 sockets on one origin (Connection: close): 12 hues, then stripes.
        await page.getByLabel('Repeat').fill('14')
        await sendFromComposer(page, `${server.url}/close`)
        await expect
          .poll(() => page.locator('.request-list-row .status.ok').count(), { timeout: 10_000 })
          .toBe(14)
        await page.getByLabel('Repeat').fill('1')
        for (const path of ['/gzip', '/empty', '/moved', '/a'])
          await sendFromComposer(page, `${server.url}${path}`)
        await sendFromComposer(page, `${tls.url}/secret`)
        await expect.poll(() => page.locator('.request-list-row .status.bad').count()).toBe(1)
        await page.locator('.request-list-row[data-id="15"]').click()
        await expect.poll(() => page.locator('[data-summary="size"]').innerText()).toMatch(/gzip/)
        expect(await clipped(page)).toEqual([])
        await screenshot(page, `loop-summary-${w}x${h}-${scheme}`)
        await page.locator('.request-list-row[data-id="19"]').click()
        await page.getByRole('button', { name: /Trust this origin/ }).waitFor()
        await screenshot(page, `loop-tls-${w}x${h}-${scheme}`)
        await page.getByRole('tab', { name: /^Auth/ }).click()
        await page.getByLabel('Basic').check()
        await page.getByLabel('User').fill('ada')
        await page.getByLabel('Password').fill('secret')
        await screenshot(page, `loop-auth-${w}x${h}-${scheme}`)
        await page.getByRole('tab', { name: /^Body/ }).click()
        await page.getByLabel('Multipart').check()
        await page.getByRole('button', { name: 'Add part' }).click()
        await page.getByLabel('part 1 name').fill('note')
        await page.getByLabel('part 1 value').fill('hello')
        await page.getByRole('button', { name: 'Add part' }).click()
        await page.getByLabel('Choose a file for part 2').setInputFiles({
          name: 'photo.png',
          mimeType: 'image/png',
          buffer: Buffer.alloc(2048, 1),
        })
        await screenshot(page, `loop-multipart-${w}x${h}-${scheme}`)
        await page.getByLabel('None').first().check()
        await page.getByRole('tab', { name: /^Auth/ }).click()
        await page.getByLabel('None').check()
        await page.getByLabel('Repeat').fill('40')
        await sendFromComposer(page, `${server.url}/slow`)
        await page.getByRole('button', { name: 'Stop', exact: true }).waitFor()
        // More requests than the list shows (it draws the rows in view while it follows the run).
        await expect
          .poll(async () => parseInt(await page.locator('.request-list-filters-count').innerText(), 10))
          .toBeGreaterThan(22)
        await page.getByRole('button', { name: 'Clear', exact: true }).click()
        await page.getByRole('alertdialog', { name: 'Stop the run first?' }).waitFor()
        await screenshot(page, `loop-run-${w}x${h}-${scheme}`)
        await page.getByRole('button', { name: 'Keep running' }).click()
        await page.getByRole('button', { name: 'Stop', exact: true }).click()
        await expect
          .poll(() => page.getByRole('status', { name: 'Run progress' }).innerText())
          .toMatch(/^Done/)
        await screenshot(page, `loop-stopped-${w}x${h}-${scheme}`)
        // Input problems at their fields: a URL without a scheme, a header name with a space, in a second tab.
        await page.getByRole('button', { name: 'New draft' }).click()
        await page.getByLabel('Method').fill('PURGE')
        await page.getByLabel('URL', { exact: true }).fill('localhost:8080/cache')
        await page.getByRole('tab', { name: /^Headers \(/ }).click()
        await page.getByLabel('header 1 name').fill('x token')
        await page.getByLabel('header 1 value').fill('1')
        await page.getByRole('button', { name: 'Send', exact: true }).click()
        await screenshot(page, `loop-problems-${w}x${h}-${scheme}`)
        await page.getByLabel('Status').selectOption('5xx')
        await screenshot(page, `loop-nomatch-${w}x${h}-${scheme}`)
        await page.getByLabel('Status').selectOption('all')
        await page.getByRole('tab', { name: 'Connections', exact: true }).click()
        await screenshot(page, `loop-connections-${w}x${h}-${scheme}`)
        await page.getByRole('tab', { name: 'Requests', exact: true }).click()
        expect(app.errors).toEqual([])
      })
    }
  }
})
