import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { echo, startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

/** A server that counts the requests it receives and takes a moment over each. */
async function countingServer() {
  let arrived = 0
  const server = await ui.track(
    startHttpServer((req, res) => {
      arrived++
      setTimeout(() => echo(req, res), 40)
    }),
  )
  return { server, arrived: () => arrived }
}

const progress = (page: Page) => page.getByRole('status', { name: 'Run progress' }).innerText()
const figure = (text: string, word: string) => Number(new RegExp(`${word} (\\d+)`).exec(text)?.[1] ?? NaN)

describe('stopping a run', () => {
  it('shows live progress, and Stop cancels the rest: the server sees the run stop', async () => {
    const { server, arrived } = await countingServer()
    const { page } = await ui.open()
    await page.getByLabel('Repeat').fill('200')
    await page.getByLabel('Concurrency').fill('2')
    await sendFromComposer(page, `${server.url}/slow`)
    await expect
      .poll(async () => figure(await progress(page), 'ok'), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(6)
    expect(await progress(page)).toMatch(/^Running: sent \d+\/200 · ok \d+ · failed 0 · [\d.]+ req\/s/)
    await page.getByRole('button', { name: 'Stop', exact: true }).click()
    await expect.poll(() => progress(page), { timeout: 10_000 }).toMatch(/^Done: /)
    const done = await progress(page)
    const ok = figure(done, 'ok')
    const cancelled = figure(done, 'cancelled')
    expect(ok + cancelled + figure(done, 'failed')).toBe(200)
    // How many finished before Stop landed depends on the machine's load; that some were cancelled does not.
    expect(cancelled).toBeGreaterThan(0)
    // The server saw only what was sent before Stop: the finished ones, plus at most the two in flight.
    const seen = arrived()
    expect(seen).toBeGreaterThanOrEqual(ok)
    expect(seen).toBeLessThanOrEqual(ok + 2)
    expect(seen).toBeLessThan(200)
    // And nothing of the run arrives later: a request sent now is the next one the server sees.
    await page.getByLabel('Repeat').fill('1')
    await sendFromComposer(page, `${server.url}/after`)
    await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
    expect(arrived()).toBe(seen + 1)
    const row = page.locator('.request-list-row .status', { hasText: 'CANCELLED' }).first()
    expect(await row.getAttribute('title')).toMatch(
      /^CANCELLED \((queue|send|wait|receive)\): request #\d+ was cancelled/,
    )
  })

  it('stops a run with Esc, and Clear during a run asks to stop it first', async () => {
    const { server, arrived } = await countingServer()
    const { page } = await ui.open()
    await page.getByLabel('Repeat').fill('200')
    await sendFromComposer(page, `${server.url}/slow`)
    await expect
      .poll(async () => figure(await progress(page), 'ok'), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2)
    await page.getByRole('button', { name: 'Clear', exact: true }).click()
    const ask = page.getByRole('alertdialog', { name: 'Stop the run first?' })
    await ask.waitFor()
    await ask.getByRole('button', { name: 'Keep running' }).click()
    expect(await progress(page)).toMatch(/^Running: /)
    await page.keyboard.press('Escape')
    await expect.poll(() => progress(page), { timeout: 10_000 }).toMatch(/^Done: .* cancelled \d+/)
    const stopped = await progress(page)
    expect(arrived()).toBeLessThanOrEqual(figure(stopped, 'ok') + 1)
    expect(arrived()).toBeLessThan(200)
    await sendFromComposer(page, `${server.url}/slow`)
    await expect
      .poll(async () => figure(await progress(page), 'ok'), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2)
    await page.getByRole('button', { name: 'Clear', exact: true }).click()
    await ask.getByRole('button', { name: 'Stop and clear' }).click()
    await expect.poll(() => page.getByRole('button', { name: 'Run the example' }).isVisible()).toBe(true)
    const before = arrived()
    await page.getByLabel('Repeat').fill('1')
    await sendFromComposer(page, `${server.url}/last`)
    await page.locator('.request-list-row .status.ok').waitFor()
    expect(arrived()).toBe(before + 1)
  })
})

describe('cancelling one request', () => {
  it('cancels the selected request in flight from its detail', async () => {
    // The server holds the answer until the test ends: only Cancel can end this request.
    const held: Array<() => void> = []
    const server = await ui.track(
      startHttpServer((_req, res) => {
        held.push(() => res.end())
      }),
    )
    const { page } = await ui.open()
    await sendFromComposer(page, `${server.url}/forever`)
    await expect.poll(() => held.length).toBe(1)
    await page.getByRole('button', { name: 'Cancel request' }).click()
    await expect
      .poll(() => page.locator('.detail-pane-trust-error').innerText())
      .toMatch(/^CANCELLED \(wait\): request #1 was cancelled/)
    expect(await page.locator('.request-list-row .status').innerText()).toBe('CANCELLED')
    for (const end of held) end()
  })
})
