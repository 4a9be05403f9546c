/**
 * Every `{{token}}` of a params, headers or auth field is marked and hovers on its own, as in the
 * URL field (VariableField): a field with two variables shows each one's value and source under
 * the pointer, a secret as ••••, an undefined one marked and said to be undefined. Chromium on
 * the real engine (browser mode), a collection on disk with an environment.
 */
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { tempDirs } from '../helpers/tmp'
import { screenshot, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { recordingServer, writeLocalCollection, openRequest } from './helpers/collection'

const ui = useUiHarness()
const tmp = tempDirs('ui-tokenhover')

/** Move the pointer onto the middle of the mark of `{{name}}` inside `field`; the tooltip's text. */
async function hover(page: Page, field: Locator, name: string): Promise<string> {
  const mark = field.locator(`[data-variable="${name}"]`)
  await mark.scrollIntoViewIfNeeded({ timeout: 2000 })
  const box = (await mark.boundingBox({ timeout: 2000 }))!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const tip = page.getByRole('tooltip')
  await tip.waitFor({ timeout: 2000 })
  return tip.innerText()
}

/** Screenshots at both sizes, hovering again at each (the tip is placed where the pointer was). */
async function shots(page: Page, name: string, hovering: () => Promise<string>): Promise<void> {
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height })
    await page.mouse.move(0, 0)
    await hovering()
    await screenshot(page, `${name}-${width}x${height}`)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

describe('variable hover per token', () => {
  it('params, headers and auth fields show each token’s value and source', async () => {
    const server = await ui.track(recordingServer())
    const dir = tmp()
    await writeLocalCollection(
      dir,
      'Shop API',
      [
        {
          info: { name: 'Search', type: 'http' },
          http: {
            method: 'GET',
            url: '{{baseUrl}}/search?q={{term}}-{{page}}',
            headers: [
              { name: 'X-Key', value: 'Key {{key}} for {{team}}' },
              { name: 'X-Trace', value: '{{missing}}' },
            ],
            auth: { type: 'bearer', token: 'tok-{{team}}' },
          },
          runtime: {
            variables: [
              { name: 'term', value: 'shoes' },
              { name: 'page', value: '2' },
            ],
          },
        },
      ],
      { baseName: 'baseUrl', url: server.url, key: 'k-secret' },
    )
    const { page, errors } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await openRequest(page, dir, 'local', /Search/)
    const field = (label: string) => page.locator('.variable-field').filter({ has: page.getByLabel(label) })

    // Params: one field, two tokens, each its own line.
    await page.getByRole('tab', { name: /^Params/ }).click()
    const value = field('param 1 value')
    expect(await page.getByLabel('param 1 value').inputValue()).toBe('{{term}}-{{page}}')
    await expect.poll(() => hover(page, value, 'term')).toBe('{{term}} = shoes — from request')
    await expect.poll(() => hover(page, value, 'page')).toBe('{{page}} = 2 — from request')

    // Headers: a secret is ••••, an undefined one is marked and said to be undefined.
    await page.getByRole('tab', { name: /^Headers/ }).click()
    const key = field('header 1 value')
    await expect.poll(() => hover(page, key, 'key')).toBe('{{key}} = •••• (secret) — from environment local')
    expect(await page.getByRole('tooltip').innerText()).not.toContain('k-secret')
    await expect
      .poll(() => hover(page, key, 'team'))
      .toBe('{{team}} is not defined in local or the collection')
    const trace = field('header 2 value')
    expect(await trace.locator('.unresolved[data-variable="missing"]').count()).toBe(1)
    expect(await trace.locator('input.unresolved').count()).toBe(1)
    // The composer pane as it opens is short and its section scrolls: the tip is not clipped by it.
    await shots(page, 'tokenhover-short', () => hover(page, key, 'team'))
    await page.getByRole('separator', { name: 'Resize the composer' }).press('End')
    await shots(page, 'tokenhover-headers', () => hover(page, key, 'key'))
    await page.setViewportSize({ width: 1440, height: 900 })
    // Off a token: no tooltip.
    const input = (await page.getByLabel('header 1 value').boundingBox())!
    await page.mouse.move(input.x + 3, input.y + input.height / 2)
    await expect.poll(() => page.getByRole('tooltip').count()).toBe(0)
    // The lines are the field's accessible description too.
    const described = (await page.getByLabel('header 1 value').getAttribute('aria-describedby'))!
    expect(await page.locator(`[id="${described.split(' ').pop()}"]`).textContent()).toBe(
      '{{key}} = •••• (secret) — from environment local\n{{team}} is not defined in local or the collection',
    )

    // Auth: the bearer token field hovers the same way.
    await page.getByRole('tab', { name: /^Auth/ }).click()
    const token = page.locator('.variable-field').filter({ has: page.getByLabel('Token') })
    await expect
      .poll(() => hover(page, token, 'team'))
      .toBe('{{team}} is not defined in local or the collection')
    await page.mouse.move(0, 0)
    expect(await seriousViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
