import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { setPath, startCookieServer, type CookieServer } from '../helpers/cookieServer'

const ui = useUiHarness()

/** Send `path` from the composer and wait until the server logged it (the server is the judge). */
async function send(page: Page, server: CookieServer, path: string): Promise<string | null> {
  const before = server.seen.length
  await sendFromComposer(page, server.url + path)
  await expect.poll(() => server.seen.length).toBe(before + 1)
  return server.seen[before]!.cookie
}

/** axe's serious and critical findings, one line each (the request list's grid pattern left none pending). */
async function violations(page: Page): Promise<string[]> {
  return (await seriousViolations(page)).flatMap((v) => v.targets.map((t) => `${v.id} at ${t}`))
}

const view = (page: Page, name: string) =>
  page.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name, exact: true }).click()

describe('cookie jar in the UI (Chromium, browser mode)', () => {
  it('a response sets a cookie, the next request sends it, the jar lists it, delete and off stop it', async () => {
    const server = await ui.track(startCookieServer())
    const app = await ui.open({ viewport: { width: 1440, height: 900 } })
    const { page } = app

    expect(
      await send(page, server, setPath('sid=abc123; Path=/; Max-Age=3600', 'far=1; Domain=example.com')),
    ).toBe(null)
    await page.getByRole('tablist', { name: 'Detail' }).getByRole('tab', { name: 'Cookies' }).click()
    const setTable = page.getByRole('table', { name: 'Cookies set' })
    await expect.poll(() => setTable.locator('tr').count()).toBe(2)
    expect(await setTable.locator('tr').nth(0).innerText()).toMatch(/sid\s+abc123\s+Stored/)
    expect(await setTable.locator('tr').nth(1).innerText()).toMatch(
      /far\s+1\s+Rejected: Cookie not in this host's domain/,
    )
    await screenshot(page, 'cookies-set-1440x900-light')

    expect(await send(page, server, '/next')).toBe('sid=abc123')
    const sentTable = page.getByRole('table', { name: 'Cookies sent' })
    await expect
      .poll(() => sentTable.innerText().catch(() => ''))
      .toMatch(/sid\s+abc123\s+jar: 127\.0\.0\.1 \//)
    await screenshot(page, 'cookies-sent-1440x900-light')

    await view(page, 'Cookies')
    const row = page.locator('.cookie-jar-table tr[data-cookie="sid"]')
    await row.waitFor()
    expect(await row.innerText()).toMatch(/sid\s+abc123\s+\/\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+host only/)
    expect(await page.locator('.cookie-jar-domain h3').allInnerTexts()).toEqual(['127.0.0.1 (1)'])
    await screenshot(page, 'cookies-jar-1440x900-light')

    await page.getByRole('button', { name: 'Delete cookie sid' }).click()
    await page.getByText('No cookies in the jar.').waitFor()
    await view(page, 'Requests')
    expect(await send(page, server, '/after-delete')).toBe(null)

    // Add one by hand, see it sent; then the switch turns the jar off.
    await view(page, 'Cookies')
    await page.getByRole('button', { name: 'Add cookie' }).click()
    const form = page.getByRole('form', { name: 'Add cookie' })
    await form.getByLabel('Name').fill('hand')
    await form.getByLabel('Value').fill('made')
    await form.getByRole('button', { name: 'Save cookie' }).click()
    await page.locator('.cookie-jar-table tr[data-cookie="hand"]').waitFor()
    await page.setViewportSize({ width: 1024, height: 700 })
    await screenshot(page, 'cookies-jar-1024x700-light')
    await view(page, 'Requests')
    expect(await send(page, server, '/by-hand')).toBe('hand=made')

    await view(page, 'Cookies')
    await page.getByRole('switch', { name: 'Use the cookie jar' }).uncheck()
    await page.getByText('Off: requests send no jar cookies and keep none').waitFor()
    await view(page, 'Requests')
    expect(await send(page, server, setPath('later=1'))).toBe(null)
    await page.getByRole('tablist', { name: 'Detail' }).getByRole('tab', { name: 'Cookies' }).click()
    await page.getByText('The response set 1 cookie, but the cookie jar was off: none were kept.').waitFor()
    await screenshot(page, 'cookies-off-1024x700-light')
    expect(await send(page, server, '/off')).toBe(null)
    await page.getByText('No cookies were sent with this request or set by its response.').waitFor()

    await view(page, 'Cookies')
    await page.getByRole('switch', { name: 'Use the cookie jar' }).check()
    await page.getByText('1 cookie', { exact: true }).waitFor()
    await view(page, 'Requests')
    expect(await send(page, server, '/on-again')).toBe('hand=made')
    expect(app.errors).toEqual([])
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`edits a cookie value in the jar: the server sees the new value; axe finds nothing serious (${colorScheme})`, async () => {
      const server = await ui.track(startCookieServer())
      const app = await ui.open({ colorScheme })
      const { page } = app
      await send(page, server, setPath('tok=old; Path=/', 'bad=1; Secure'))
      await page.getByRole('tablist', { name: 'Detail' }).getByRole('tab', { name: 'Cookies' }).click()
      await page.getByRole('table', { name: 'Cookies set' }).waitFor()
      expect(await violations(page)).toEqual([])
      await view(page, 'Cookies')
      await page.getByRole('button', { name: 'Edit cookie tok' }).click()
      const form = page.getByRole('form', { name: 'Edit cookie tok' })
      await screenshot(page, `cookies-edit-1280x760-${colorScheme}`)
      expect(await violations(page)).toEqual([])
      await form.getByLabel('Value').fill('new')
      await form.getByRole('button', { name: 'Save cookie' }).click()
      await expect.poll(() => page.locator('tr[data-cookie="tok"]').innerText()).toMatch(/tok\s+new/)
      await view(page, 'Requests')
      expect(await send(page, server, '/edited')).toBe('tok=new')
    })
  }

  it('keeps the jar when browser mode restarts (a new engine, a new origin): the server sees the cookie', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sockeye-jar-'))
    try {
      const server = await ui.track(startCookieServer())
      const first = await ui.open({ statePath: join(dir, 'ui-state.json') })
      await send(first.page, server, setPath('kept=yes; Path=/; Max-Age=3600'))
      await first.close()
      expect((await stat(join(dir, 'cookies.json'))).mode & 0o777).toBe(0o600)
      const second = await ui.open({ statePath: join(dir, 'ui-state.json') })
      expect(await send(second.page, server, '/after-restart')).toBe('kept=yes')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
