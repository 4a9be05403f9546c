import { describe, expect, it } from 'vitest'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]

describe('screenshots of the timeline and body views', () => {
  for (const viewport of SIZES) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const tag = `${viewport.width}x${viewport.height}-${colorScheme}`
      it(`connections and body views at ${tag}`, async () => {
        let n = 0
        // Every third response closes its socket: open and closed lanes side by side.
        const server = await ui.track(
          startHttpServer((req, res) => {
            n++
            const close = n % 3 === 0
            const hex = req.url?.startsWith('/bin')
            res.writeHead(200, {
              'content-type': hex ? 'application/octet-stream' : 'application/json',
              ...(close ? { connection: 'close' } : {}),
            })
            setTimeout(
              () =>
                res.end(hex ? Buffer.from(Array.from({ length: 600 }, (_, i) => i & 0xff)) : '{"ok":true}'),
              5 + (n % 4) * 4,
            )
          }),
        )
        const app = await ui.open({ colorScheme, viewport })
        const { page } = app
        await page.getByLabel('Repeat').fill('24')
        await page.getByLabel('Concurrency').fill('4')
        await sendFromComposer(page, `${server.url}/items`)
        await expect.poll(() => page.locator('.request-list-filters-count').innerText()).toBe('24 requests')
        await page.getByLabel('Repeat').fill('1')
        await sendFromComposer(page, `${server.url}/bin`)
        await expect.poll(() => page.locator('.request-list-filters-count').innerText()).toBe('25 requests')
        await page.locator('.request-list-row').last().click()
        await page.getByRole('tab', { name: 'Response', exact: true }).click()
        await page.getByLabel('Response body (hex)').waitFor()
        await screenshot(page, `body-hex-${tag}`)

        await page.getByRole('tab', { name: 'Connections', exact: true }).click()
        await page.locator('canvas.connection-lanes-canvas').waitFor()
        await page.getByRole('button', { name: 'Fit all' }).click()
        await screenshot(page, `connections-${tag}`)
        await page.getByRole('button', { name: /closed \(\d+\)/ }).click()
        const lane = page.locator('.connection-lanes-lane[data-socket="1"]')
        const laneBox = (await lane.boundingBox())!
        const canvas = (await page.locator('canvas.connection-lanes-canvas').boundingBox())!
        for (let x = 2; x < canvas.width; x += 3) {
          await page.mouse.move(canvas.x + x, laneBox.y + 8)
          if ((await page.locator('.connection-lanes-tip').count()) > 0) break
        }
        await screenshot(page, `connections-hover-${tag}`)
        await page.mouse.down()
        await page.mouse.up()
        await page.locator('.connections-view-detail').waitFor()
        await screenshot(page, `connections-detail-${tag}`)
        expect(app.errors).toEqual([])
      }, 60_000)
    }
  }
})
