import { describe, expect, it } from 'vitest'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()
const run = promisify(execFile)

const columns = (page: Page) =>
  page
    .locator('.requests-view-split')
    .evaluate((el) => (el as unknown as { style: { gridTemplateColumns: string } }).style.gridTemplateColumns)
const box = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!

describe('panes, chips and copies', () => {
  it('resizes the list and the composer by drag and by keyboard, and remembers both across a reload', async () => {
    const server = await ui.track(startHttpServer())
    const { page } = await ui.open()
    await sendFromComposer(page, `${server.url}/a`)
    await page.locator('.request-list-row').first().waitFor()
    const listBefore = (await box(page, '.request-list')).width
    const splitter = page.getByRole('separator', { name: 'Resize the request list' })
    const at = await splitter.boundingBox()
    await page.mouse.move(at!.x, at!.y + 100)
    await page.mouse.down()
    await page.mouse.move(at!.x - 200, at!.y + 100, { steps: 4 })
    await page.mouse.up()
    const listAfter = (await box(page, '.request-list')).width
    expect(listBefore - listAfter).toBeGreaterThan(180)
    expect(listBefore - listAfter).toBeLessThan(220)
    const composer = page.getByRole('separator', { name: 'Resize the composer' })
    const heightBefore = (await box(page, '.composer-panel')).height
    await composer.focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown')
    expect((await box(page, '.composer-panel')).height - heightBefore).toBeCloseTo(60, 0)
    const remembered = await columns(page)
    await page.reload()
    await page.locator('.request-list-row').first().waitFor()
    expect(await columns(page)).toBe(remembered)
    expect((await box(page, '.request-list')).width).toBeCloseTo(listAfter, 0)
    expect((await box(page, '.composer-panel')).height).toBeCloseTo(heightBefore + 60, 0)
  })

  it('makes the request list one Tab stop and walks rows and chips with the arrow keys', async () => {
    const server = await ui.track(startHttpServer())
    const { page } = await ui.open()
    await page.getByLabel('Repeat').fill('4')
    await sendFromComposer(page, `${server.url}/chips`)
    await expect.poll(() => page.locator('.request-list-row .status.ok').count()).toBe(4)
    // No chip is in the Tab order: the grid is the list's one stop.
    expect(await page.locator('.request-list-row .socket-chip[tabindex="-1"]').count()).toBe(4)
    const grid = page.getByRole('grid', { name: /Request list/ })
    const focused = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as {
          document: {
            activeElement: {
              getAttribute(n: string): string | null
              closest(s: string): { getAttribute(n: string): string | null } | null
            } | null
          }
        }
        const el = g.document.activeElement
        if (el?.getAttribute('role') === 'grid') return 'grid'
        return el?.closest('.request-list-row')?.getAttribute('data-id') ?? null
      })
    await grid.focus()
    await page.keyboard.press('Home')
    expect(await grid.getAttribute('aria-activedescendant')).toBe('request-row-1')
    expect(await grid.getAttribute('aria-rowcount')).toBe('4')
    // Right: into the selected row's chip cell; Up/Down on a chip keep the chip column.
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toBe('1')
    await page.setViewportSize({ width: 1440, height: 900 })
    await screenshot(page, 'list-grid-focus-1440x900-light')
    await page.setViewportSize({ width: 1024, height: 700 })
    await screenshot(page, 'list-grid-focus-1024x700-light')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect.poll(focused).toBe('3')
    expect(await page.locator('.request-list-row.selected').getAttribute('data-id')).toBe('3')
    expect(await page.locator('.request-list-row[data-id="3"]').getAttribute('aria-selected')).toBe('true')
    // Tab leaves the list: the next stop is outside the rows (the splitter), not the next chip.
    await page.keyboard.press('Tab')
    expect(await focused()).toBeNull()
    // Shift+Tab comes back to the grid, not to a chip; Left from a chip goes back to the row.
    await page.keyboard.press('Shift+Tab')
    expect(await focused()).toBe('grid')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowLeft')
    expect(await focused()).toBe('grid')
    // Enter on a focused chip still highlights its socket.
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.request-list-row.highlighted').count()).toBe(4)
    // A clicked chip has the focus in its own row (the click does not select it): arrows go from there.
    await page.locator('.request-list-row[data-id="1"] .socket-chip').click()
    await page.keyboard.press('ArrowDown')
    await expect.poll(focused).toBe('2')
    expect(await page.locator('.request-list-row.selected').getAttribute('data-id')).toBe('2')
  })

  it('copies the URL, headers and body, and duplicates a request into a new tab', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.serve.url })
    const clipboard = () =>
      page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      )
    await page.getByLabel('Method').fill('PUT')
    await sendFromComposer(page, `${server.url}/copy?x=1`)
    await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
    await page.getByRole('button', { name: 'Copy URL' }).click()
    await expect.poll(clipboard).toBe(`${server.url}/copy?x=1`)
    await page.getByRole('button', { name: 'Copy headers' }).click()
    await expect.poll(clipboard).toMatch(/^HTTP\/1\.1 200 OK\ncontent-type: application\/json\n/)
    await page.getByRole('button', { name: 'Copy body' }).click()
    await expect.poll(clipboard).toBe('{"method":"PUT","path":"/copy","query":{"x":"1"},"body":""}')
    // Copy as cURL, checked by real curl: it sends what Sockeye sent (the server echoes method and path).
    await page.getByRole('button', { name: 'Copy as cURL' }).click()
    await expect.poll(clipboard).toMatch(/^curl /)
    const { stdout } = await run('bash', ['-c', await clipboard()], { timeout: 10_000 })
    expect(JSON.parse(stdout)).toEqual({ method: 'PUT', path: '/copy', query: { x: '1' }, body: '' })
    await page.getByRole('button', { name: 'Duplicate' }).click()
    await expect.poll(() => page.getByRole('tab', { name: 'PUT /copy?x=1' }).count()).toBe(2)
    expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe(`${server.url}/copy?x=1`)
  })

  it('says when the filters hide every request, and clears them in one click', async () => {
    const server = await ui.track(startHttpServer())
    const { page } = await ui.open()
    await sendFromComposer(page, `${server.url}/ok`)
    await page.locator('.request-list-row .status.ok').waitFor()
    await page.getByLabel('Status').selectOption('5xx')
    await expect
      .poll(() => page.locator('.request-list-none').innerText())
      .toBe('No matching requests: 1 hidden by the filters. Clear filters')
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect.poll(() => page.locator('.request-list-row').count()).toBe(1)
  })
})

describe('plain words for sockets and pools', () => {
  it('writes an IPv6 remote in brackets, request and socket ids apart, and pool tiles in human words', async () => {
    // A loopback server on ::1 (the tests' helpers listen on 127.0.0.1 only).
    const server = http.createServer((_req, res) => res.end('six'))
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve))
    const { port } = server.address() as AddressInfo
    ui.track(
      Promise.resolve({
        close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    )
    const { page } = await ui.open()
    await sendFromComposer(page, `http://[::1]:${port}/v6`)
    await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
    await page.getByRole('tab', { name: 'Connection', exact: true }).click()
    const detail = page.getByRole('region', { name: 'Request detail' })
    await expect
      .poll(() => detail.getByRole('row', { name: /^Remote/ }).innerText())
      .toBe(`Remote\t[::1]:${port}`)
    expect(await detail.innerText()).toMatch(/req 1 was request 1 on this socket/)
    expect(await page.locator('.detail-pane-title-id').innerText()).toBe('req 1')
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    const tile = page.locator('[data-stat="connected"]')
    expect(await tile.locator('dt').innerText()).toBe('Open sockets')
    expect(await tile.getAttribute('title')).toBe('sockets open now (undici: connected)')
    expect(await page.locator('[data-stat="free"] dt').innerText()).toBe('Idle')
    expect(await page.locator('[data-stat="queued"] dt').innerText()).toBe('Queued')
  })
})
