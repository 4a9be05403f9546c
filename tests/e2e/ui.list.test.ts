import { describe, expect, it } from 'vitest'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

async function twoStatuses() {
  const server = await ui.track(
    startHttpServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' })
      res.end('.')
    }),
  )
  const app = await ui.open()
  await sendFromComposer(app.page, `${server.url}/ok`)
  await sendFromComposer(app.page, `${server.url}/missing`)
  await expect
    .poll(() => app.page.locator('.request-list-row .status').allInnerTexts())
    .toEqual(['200', '404'])
  return app
}

describe('request list', () => {
  it('filters rows by status class', async () => {
    const { page } = await twoStatuses()
    await page.getByLabel('Status').selectOption('4xx')
    await expect.poll(() => page.locator('.request-list-row .status').allInnerTexts()).toEqual(['404'])
    expect(await page.locator('.request-list-filters-count').innerText()).toBe('1 of 2 requests')
  })

  it('clears the history back to the first-run state', async () => {
    const app = await twoStatuses()
    await app.page.getByRole('button', { name: 'Clear', exact: true }).click()
    await app.page.getByRole('button', { name: 'Run the example' }).waitFor()
    expect(await app.page.locator('.request-list-row').count()).toBe(0)
    expect(app.errors).toEqual([])
  })
})
