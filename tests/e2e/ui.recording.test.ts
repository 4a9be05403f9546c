/**
 * HAR as a recording (#8): a HAR Chromium itself made (DevTools protocol → HAR, as DevTools writes
 * it) opens in the app; its entries are the list's rows, marked as a recording, and its connection
 * ids the Connections view's lanes. The loopback server's log of client ports is the judge of which
 * entries shared a socket.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'
import { recordHar } from '../helpers/cdpHar'
import { seriousViolations } from './helpers/axe'

const ui = useUiHarness()
const FETCHES = 6

/**
 * The page, then FETCHES fetches two at a time after load: the idle page socket carries one of
 * each pair and a second socket the other, so Chrome needs exactly two connections.
 */
const PAGE = `<!doctype html><title>x</title><link rel="icon" href="data:,"><script>
addEventListener('load', async () => {
  for (let i = 0; i < ${FETCHES}; i += 2)
    await Promise.all([i, i + 1].map((n) => fetch('/r' + n).then((r) => r.text())))
  document.title = 'done'
})
</script>`

async function chromeHar(): Promise<{ text: string; ports: Map<string, number>; url: string }> {
  const ports = new Map<string, number>()
  const server = await ui.track(
    startHttpServer((req, res) => {
      const path = req.url ?? '/'
      ports.set(path, req.socket.remotePort ?? 0)
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end(PAGE)
        return
      }
      // Each answer takes a moment, so the two of a pair are in flight at once.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-served': path })
        res.end(`body of ${path}`)
      }, 40)
    }),
  )
  const context = await ui.browser().newContext()
  try {
    const page = await context.newPage()
    const recorder = await recordHar(await context.newCDPSession(page))
    await page.goto(`${server.url}/`)
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { title: string } }).document.title === 'done',
    )
    await recorder.finished(FETCHES + 1)
    return { text: JSON.stringify(recorder.har()), ports, url: server.url }
  } finally {
    await context.close()
  }
}

/** The recording chip's words, as read aloud (spaces collapsed). */
const chipText = async (page: Page, scope = '') =>
  ((await page.locator(`${scope} .recording-chip`.trim()).textContent()) ?? '').replace(/\s+/g, ' ').trim()

const rowSockets = (page: Page) =>
  page.locator('.request-list-row').evaluateAll((rows) =>
    rows.map((r) => ({
      path: new URL(
        r
          .querySelector('.url')!
          .getAttribute('title')!
          .replace(/^req \d+: /, ''),
      ).pathname,
      socket: r.querySelector('.socket-chip')?.getAttribute('data-socket') ?? null,
    })),
  )

describe('HAR as a recording', () => {
  it('shows a Chrome HAR as marked rows and one lane per connection id, and closes back to live', async () => {
    const har = await chromeHar()
    const distinct = new Set(har.ports.values()).size
    expect(distinct).toBe(2)
    const live = await ui.track(startHttpServer())
    const { page } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await sendFromComposer(page, `${live.url}/live`)
    await page.locator('.request-list-row .status.ok').waitFor()

    await page.getByLabel('HAR file to open').setInputFiles({
      name: 'page.har',
      mimeType: 'application/json',
      buffer: Buffer.from(har.text),
    })
    await page.getByRole('button', { name: 'Close recording page.har and show live requests' }).waitFor()
    expect(await chipText(page, '.request-list-filters')).toBe('Recording: page.har ×')
    await expect.poll(() => page.locator('.request-list-row').count()).toBe(FETCHES + 1)
    expect(await page.getByRole('grid', { name: /Request list/ }).getAttribute('aria-rowcount')).toBe(
      String(FETCHES + 1),
    )
    // Same Sockeye socket exactly when the server saw the same client port.
    const rows = await rowSockets(page)
    for (const a of rows) {
      for (const b of rows) {
        expect(a.socket === b.socket, `${a.path} ~ ${b.path}`).toBe(
          har.ports.get(a.path) === har.ports.get(b.path),
        )
      }
    }
    expect(new Set(rows.map((r) => r.socket)).size).toBe(distinct)
    // The live request is not among them, and Clear (which forgets live requests) is not offered.
    expect(rows.some((r) => r.path === '/live')).toBe(false)
    expect(await page.getByRole('button', { name: 'Clear', exact: true }).count()).toBe(0)
    // Export HAR writes live requests, not what the list shows: off until the recording closes.
    expect(await page.getByRole('button', { name: 'Export HAR' }).isDisabled()).toBe(true)

    // The detail: the entry's headers, timings and socket, and no body fetched from the live engine.
    await page.locator('.request-list-row', { hasText: '/r3' }).click()
    await expect.poll(() => page.locator('.detail-pane-title').innerText()).toContain(`${har.url}/r3`)
    expect(await page.locator('.detail-pane').innerText()).toContain('Recorded entry: its body is not loaded')
    await page.getByRole('tab', { name: 'Headers', exact: true }).click()
    expect(await page.locator('.detail-pane-content').innerText()).toContain('x-served')
    await page.getByRole('tab', { name: 'Timing', exact: true }).click()
    expect(await page.locator('.detail-pane-content').innerText()).toMatch(/wait/i)
    await page.getByRole('tab', { name: 'Connection', exact: true }).click()
    expect(await page.locator('.detail-pane-content').innerText()).toMatch(
      /Recorded as\s+connection \d+ in page\.har/,
    )
    await page.getByRole('tab', { name: 'Headers', exact: true }).click()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'recording-requests-1440x900-light')
    await page.setViewportSize({ width: 1024, height: 700 })
    await screenshot(page, 'recording-requests-1024x700-light')

    // Connections: one lane per connection id of the HAR, each with its entries as bars.
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.locator('canvas.connection-lanes-canvas').waitFor()
    const lanes = page.locator('.connection-lanes-lane')
    await expect.poll(() => lanes.count()).toBe(2)
    const bars = await lanes.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-bars'))))
    expect(bars.reduce((a, b) => a + b, 0)).toBe(FETCHES + 1)
    expect(await page.locator('.connection-lanes-state').allInnerTexts()).toEqual([
      expect.stringMatching(/^HAR connection \d+$/),
      expect.stringMatching(/^HAR connection \d+$/),
    ])
    expect(await page.locator('.connections-view-recorded').innerText()).toMatch(
      /^2 sockets, 7 requests in page\.har/,
    )
    expect(await page.getByText(/^Pool settings for/).count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'recording-connections-1024x700-light')
    await page.setViewportSize({ width: 1440, height: 900 })
    await screenshot(page, 'recording-connections-1440x900-light')

    // Closing the recording returns to the live engine: its one request and its socket.
    await page.getByRole('button', { name: 'Close recording page.har and show live requests' }).click()
    await expect.poll(() => page.locator('.connection-lanes-lane').count()).toBe(1)
    await page.getByRole('tab', { name: 'Requests', exact: true }).click()
    expect(await rowSockets(page)).toEqual([{ path: '/live', socket: '1' }])
    expect(await page.locator('.recording-chip').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Export HAR' }).isDisabled()).toBe(false)
  }, 60_000)

  it('opens a HAR from the import dialog and from a drop on the window, and refuses other files in one line', async () => {
    const har = await chromeHar()
    const { page } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await page.getByRole('button', { name: 'Collections', exact: true }).click()
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByLabel('Text to import').fill(har.text)
    await page.getByRole('button', { name: 'Preview' }).click()
    await page.getByRole('tree', { name: 'Will create' }).waitFor()
    await screenshot(page, 'recording-import-1440x900-light')
    await page.setViewportSize({ width: 1024, height: 700 })
    await screenshot(page, 'recording-import-1024x700-light')
    await page.getByRole('button', { name: 'Open as recording' }).click()
    await expect.poll(() => page.locator('.request-list-row').count()).toBe(FETCHES + 1)
    expect(await chipText(page)).toBe('Recording: pasted HAR ×')
    await page.locator('.recording-chip').click()
    await expect.poll(() => page.locator('.request-list-row').count()).toBe(0)

    /** A file dropped on the page, as a drag from the desktop delivers it. */
    const drop = (name: string, text: string) =>
      page.evaluate(
        ([name, text]) => {
          type Ctor = new (...args: unknown[]) => unknown
          const g = globalThis as unknown as {
            DataTransfer: new () => { items: { add(f: unknown): void } }
            DragEvent: Ctor
            File: Ctor
            document: { body: { dispatchEvent(e: unknown): void } }
          }
          const data = new g.DataTransfer()
          data.items.add(new g.File([text], name, { type: 'application/json' }))
          for (const type of ['dragover', 'drop']) {
            g.document.body.dispatchEvent(
              new g.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
            )
          }
        },
        [name, text] as const,
      )
    await drop('notes.txt', 'hello')
    await expect
      .poll(() => page.locator('.app-shell-status.error').innerText())
      .toMatch(/^notes\.txt is not a \.har file: drop a HAR/)
    await drop('dropped.har', har.text)
    await expect.poll(() => page.locator('.request-list-row').count()).toBe(FETCHES + 1)
    expect(await chipText(page)).toBe('Recording: dropped.har ×')
    await drop('broken.har', '{"log":')
    await expect
      .poll(() => page.locator('.app-shell-status.error').innerText())
      .toMatch(/^broken\.har: openHar: /)
    // The failed open left the shown recording as it was.
    expect(await page.locator('.request-list-row').count()).toBe(FETCHES + 1)
  }, 60_000)
})
