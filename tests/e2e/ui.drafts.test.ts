/**
 * Drafts that keep their templates, in Chromium on the real engine (browser mode): a collection
 * request opens with `{{baseUrl}}` as written, hovering it shows its value and source, an edit is
 * marked unsaved and survives a reload, Ctrl+S writes it back (the file read from disk keeps the
 * template and every key Sockeye does not know), and an unresolved variable asks before sending.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { Page } from 'playwright-core'
import { tempDirs } from '../helpers/tmp'
import { screenshotSizes, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { recordingServer, writeLocalCollection } from './helpers/collection'

const ui = useUiHarness()
const tmp = tempDirs('ui-drafts')

/** axe-core's serious and critical findings, without the request rows' known one (see ui.axe). */
async function violations(page: Page): Promise<string[]> {
  return (await seriousViolations(page))
    .map((v) => ({ ...v, targets: v.targets.filter((t) => !/^#request-row-\d+$/.test(t)) }))
    .filter((v) => v.targets.length > 0)
    .map((v) => `${v.id} (${v.help}) at ${v.targets.slice(0, 3).join(', ')}`)
}

describe('drafts keep their templates', () => {
  it('hover, unsaved mark, reload, Ctrl+S back to the file, and the unresolved-variable question', async () => {
    const server = await ui.track(recordingServer())
    const seen = server.seen
    const dir = tmp()
    await writeLocalCollection(
      dir,
      'Shop API',
      [
        {
          info: { name: 'Get items', type: 'http' },
          http: { method: 'GET', url: '{{baseUrl}}/items', headers: [{ name: 'X-Key', value: '{{key}}' }] },
          // Another tool's key: it must survive a save.
          'x-team': { owner: 'payments' },
        },
        {
          info: { name: 'Missing var', type: 'http' },
          http: { method: 'GET', url: '{{baseUrl}}/m/{{missing}}' },
        },
      ],
      { baseName: 'baseUrl', url: server.url, key: 'k-123' },
    )
    const file = join(dir, 'Get items.yml')
    const { page, errors, dialogs } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await page.getByRole('button', { name: 'Collections' }).click()
    await page.getByLabel('Collection folder').fill(dir)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByLabel('Environment').selectOption('local')
    const tree = page.getByRole('tree', { name: 'Requests' })
    await tree.getByRole('button', { name: /Get items/ }).click()
    const url = page.getByLabel('URL', { exact: true })
    await expect.poll(() => url.inputValue()).toBe('{{baseUrl}}/items')

    // Hover the variable in the URL field: its value and where it comes from.
    const mark = page.locator('.composer-panel-url-wrap [data-variable="baseUrl"]')
    const box = (await mark.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    const tip = page.getByRole('tooltip')
    await expect.poll(() => tip.innerText()).toBe(`{{baseUrl}} = ${server.url} — from environment local`)
    // The same line is the field's accessible description.
    const described = (await url.getAttribute('aria-describedby'))!.split(' ').pop()!
    expect(await page.locator(`[id="${described}"]`).innerText()).toContain(`{{baseUrl}} = ${server.url}`)
    await screenshotSizes(page, 'drafts-hover')
    await page.getByRole('tab', { name: /^Headers/ }).click()
    // Each token of a header hovers the same way (a secret shows ••••).
    const key = page.locator('.composer-panel-table [data-variable="key"]')
    const at = (await key.boundingBox())!
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2)
    await expect.poll(() => tip.innerText()).toBe('{{key}} = •••• (secret) — from environment local')

    // An edit is marked unsaved on the tab and on the tree row.
    await page.getByLabel('header 2 name').fill('X-Edit')
    await page.getByLabel('header 2 value').fill('{{baseUrl}}-edited')
    const draftTab = page.getByRole('tab', { name: /Get items/ })
    await draftTab.getByLabel('unsaved changes').waitFor()
    await tree.getByLabel('unsaved changes').waitFor()
    await page.mouse.move(0, 0)
    await screenshotSizes(page, 'drafts-unsaved')
    expect(await violations(page)).toEqual([])

    // Ctrl+S writes it back: the template, the edit and the unknown keys are in the file.
    await page.keyboard.press('Control+s')
    await expect.poll(() => draftTab.getByLabel('unsaved changes').count()).toBe(0)
    const saved = parse(readFileSync(file, 'utf8'))
    expect(saved.http.url).toBe('{{baseUrl}}/items')
    expect(saved.http.headers).toEqual([
      { name: 'X-Key', value: '{{key}}' },
      { name: 'X-Edit', value: '{{baseUrl}}-edited' },
    ])
    expect(saved['x-team']).toEqual({ owner: 'payments' })
    expect(readFileSync(file, 'utf8')).not.toContain('k-123')

    // Sent, the request carries the resolved values; the composer keeps the templates.
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => seen.length).toBe(1)
    expect(seen[0]!.url).toBe('/items')
    expect(seen[0]!.headers['x-key']).toBe('k-123')
    expect(seen[0]!.headers['x-edit']).toBe(`${server.url}-edited`)
    expect(await url.inputValue()).toBe('{{baseUrl}}/items')

    // An unsaved edit survives a reload, still marked, still templated.
    await page.getByLabel('header 3 name').fill('X-Later')
    await draftTab.getByLabel('unsaved changes').waitFor()
    await page.reload()
    await expect.poll(() => url.inputValue()).toBe('{{baseUrl}}/items')
    await page
      .getByRole('tab', { name: /Get items/ })
      .getByLabel('unsaved changes')
      .waitFor()
    await page.getByRole('tab', { name: /^Headers/ }).click()
    expect(await page.getByLabel('header 3 name').inputValue()).toBe('X-Later')
    expect(parse(readFileSync(file, 'utf8')).http.headers).toHaveLength(2)

    // An unresolved variable: marked, and Send asks first; Cancel sends nothing.
    await page.getByRole('button', { name: 'Collections' }).click()
    await page
      .getByRole('tree', { name: 'Requests' })
      .getByRole('button', { name: /Missing var/ })
      .click()
    await expect.poll(() => url.inputValue()).toBe('{{baseUrl}}/m/{{missing}}')
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Not defined' }).innerText())
      .toBe('Not defined in local: {{missing}} (URL)')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    const question = page.getByRole('alertdialog')
    await expect
      .poll(() => question.innerText())
      .toMatch(/^Send with 1 unresolved variable: \{\{missing\}\}\?\s*Send\s*Cancel$/)
    await screenshotSizes(page, 'drafts-unresolved')
    expect(await violations(page)).toEqual([])
    await question.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => question.count()).toBe(0)
    // The next request the server sees is the one sent after Cancel, not the cancelled one.
    await page.getByRole('tab', { name: /Get items/ }).click()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => seen.length).toBe(2)
    expect(seen.map((r) => r.url)).toEqual(['/items', '/items'])
    expect(errors).toEqual([])
    expect(dialogs).toEqual([])
  })
})
