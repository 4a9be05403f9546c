/**
 * Drafts and the files they came from, in Chromium on the real engine: a file changed on disk
 * reloads a clean tab and asks a tab with unsaved changes (reload / keep mine); a draft from
 * nowhere is saved into the collection (folder and name) and then edits that file.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { writeCollection } from '../../electron/workspace/collection'
import { tempDirs } from '../helpers/tmp'
import { screenshotSizes, useUiHarness } from './helpers/app'

const ui = useUiHarness()
const tmp = tempDirs('ui-drafts-disk')

/** Rewrite a request file as an editor (or `git pull`) would: a new URL, the rest kept. */
function editOnDisk(file: string, url: string): void {
  const doc = parse(readFileSync(file, 'utf8'))
  doc.http.url = url
  writeFileSync(file, stringify(doc))
}

describe('drafts and their files on disk', () => {
  it('a clean tab follows its file; a tab with unsaved changes asks: keep mine, or reload', async () => {
    const dir = tmp()
    await writeCollection(dir, {
      info: { name: 'Disk' },
      items: [{ info: { name: 'Watch me', type: 'http' }, http: { method: 'GET', url: '{{base}}/a1' } }],
    })
    const file = join(dir, 'Watch me.yml')
    const { page, errors } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await page.getByRole('button', { name: 'Collections' }).click()
    await page.getByLabel('Collection folder').fill(dir)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await page
      .getByRole('tree', { name: 'Requests' })
      .getByRole('button', { name: /Watch me/ })
      .click()
    const url = page.getByLabel('URL', { exact: true })
    await expect.poll(() => url.inputValue()).toBe('{{base}}/a1')

    editOnDisk(file, '{{base}}/a2')
    await expect.poll(() => url.inputValue()).toBe('{{base}}/a2')
    const tab = page.getByRole('tab', { name: /Watch me/ })
    expect(await tab.getByLabel('unsaved changes').count()).toBe(0)

    await page.getByRole('tab', { name: /^Headers/ }).click()
    await page.getByLabel('header 1 name').fill('X-Mine')
    await tab.getByLabel('unsaved changes').waitFor()
    editOnDisk(file, '{{base}}/a3')
    const line = page.getByRole('alert').filter({ hasText: 'changed on disk' })
    await expect
      .poll(() => line.innerText())
      .toMatch(/^Watch me\.yml changed on disk\.\s*Reload\s*Keep mine$/)
    expect(await url.inputValue()).toBe('{{base}}/a2')
    await screenshotSizes(page, 'drafts-changed-on-disk')
    await line.getByRole('button', { name: 'Keep mine' }).click()
    await expect.poll(() => line.count()).toBe(0)
    expect(await url.inputValue()).toBe('{{base}}/a2')
    await tab.getByLabel('unsaved changes').waitFor()

    editOnDisk(file, '{{base}}/a4')
    await line.getByRole('button', { name: 'Reload' }).click()
    await expect.poll(() => url.inputValue()).toBe('{{base}}/a4')
    expect(await tab.getByLabel('unsaved changes').count()).toBe(0)
    expect(await page.getByLabel('header 1 name').inputValue()).toBe('')
    expect(errors).toEqual([])
  })

  it('saves a draft from nowhere into a folder of the collection, then edits that file', async () => {
    const dir = tmp()
    await writeCollection(dir, {
      info: { name: 'Into' },
      items: [{ info: { name: 'Users', type: 'folder' }, items: [] }],
    })
    const { page, errors } = await ui.open({ viewport: { width: 1440, height: 900 } })
    const save = page.getByRole('button', { name: 'Save', exact: true })
    // No collection open: nothing to save into, and the button says why.
    expect(await save.isDisabled()).toBe(true)
    expect(await save.getAttribute('title')).toMatch(/^Open a collection/)

    await page.getByRole('button', { name: 'Collections' }).click()
    await page.getByLabel('Collection folder').fill(dir)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('tree', { name: 'Requests' }).getByText('Users').waitFor()
    await page.getByLabel('URL', { exact: true }).fill('{{base}}/users?active={{flag}}')
    await page.keyboard.press('Control+s')
    const form = page.getByRole('form', { name: 'Save to collection' })
    await form.getByLabel('Folder').selectOption('Users')
    await form.getByLabel('Request name').fill('Active users')
    await screenshotSizes(page, 'drafts-save-to')
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => form.count()).toBe(0)

    const file = join(dir, 'Users', 'Active users.yml')
    const saved = parse(readFileSync(file, 'utf8'))
    expect(saved.info.name).toBe('Active users')
    expect(saved.http.url).toBe('{{base}}/users?active={{flag}}')
    expect(saved.http.params).toEqual([{ name: 'active', value: '{{flag}}', type: 'query' }])
    await page.getByRole('tab', { name: /Active users/ }).waitFor()
    await page.getByRole('tree', { name: 'Requests' }).getByText('Active users').waitFor()

    // The tab now edits that file: Ctrl+S writes there.
    await page.getByLabel('URL', { exact: true }).fill('{{base}}/users')
    await page
      .getByRole('tab', { name: /Active users/ })
      .getByLabel('unsaved changes')
      .waitFor()
    await page.keyboard.press('Control+s')
    await expect.poll(() => parse(readFileSync(file, 'utf8')).http.url).toBe('{{base}}/users')
    expect(errors).toEqual([])
  })
})
