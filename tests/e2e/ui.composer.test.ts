import { describe, expect, it } from 'vitest'
import type { IncomingMessage } from 'node:http'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { echo, startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

/** An echo server that also remembers each request's headers. */
async function recordingServer() {
  const seen: IncomingMessage['headers'][] = []
  const server = await ui.track(
    startHttpServer((req, res) => {
      seen.push(req.headers)
      echo(req, res)
    }),
  )
  return { server, seen }
}

describe('composer', () => {
  it('sends a JSON body with its content type and a header from the headers table', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByLabel('Method').fill('POST')
    await page.getByRole('tab', { name: /^Headers/ }).click()
    await page.getByLabel('header 1 name').fill('x-sockeye-test')
    await page.getByLabel('header 1 value').fill('yes')
    await page.getByRole('tab', { name: /^Body/ }).click()
    await page.getByLabel('JSON').check()
    await page.getByLabel('Request body').fill('{"n": 1}')
    await sendFromComposer(page, `${server.url}/post`)
    await page.locator('.request-list-row .status.ok').waitFor()
    expect(seen[0]).toMatchObject({ 'content-type': 'application/json', 'x-sockeye-test': 'yes' })
    await page.locator('.request-list-row').first().click()
    await expect.poll(() => page.locator('.cm-content').innerText()).toContain('"body": "{\\"n\\": 1}"')
  })

  it('refuses invalid JSON with one line and sends nothing', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByRole('tab', { name: /^Body/ }).click()
    await page.getByLabel('JSON').check()
    await page.getByLabel('Request body').fill('{nope')
    await sendFromComposer(page, `${server.url}/post`)
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/^Body is not valid JSON: .+/)
    expect(seen).toHaveLength(0)
  })

  it('remembers the composed request across a reload', async () => {
    const { page } = await ui.open()
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/remember?me=1')
    await page.getByLabel('Repeat').fill('7')
    await page.getByLabel('Repeat').blur()
    await page.reload()
    await expect
      .poll(() => page.getByLabel('URL', { exact: true }).inputValue())
      .toBe('http://127.0.0.1:9/remember?me=1')
    expect(await page.getByLabel('Repeat').inputValue()).toBe('7')
    expect(await page.getByLabel('param 1 value').inputValue()).toBe('1')
  })
})
