/**
 * A request sent with collection files (file parts, a file body), then taken up again from its
 * row in the request list, in Chromium on the real engine (browser mode): Copy as cURL gives the
 * tree's command and real curl sends the bytes the Send sent; Duplicate opens a draft that still
 * names the files in the collection folder, and its Send sends those bytes again.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { tempDirs } from '../helpers/tmp'
import { screenshotSizes, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { openRequest } from './helpers/collection'
import { bodyServer, boundaryOf, clearClipboard, clipboard, named, PNG, writeUploads } from './helpers/files'

const ui = useUiHarness()
const tmp = tempDirs('ui-fileparts-row')
const sh = promisify(execFile)
/** A command with its multipart boundary renamed (the host draws one for each body it builds). */
const unnamed = (command: string) => command.split(boundaryOf(command)).join('BOUNDARY')

describe('a request sent with collection files, from its list row', () => {
  it('Copy as cURL is the tree’s command and Duplicate sends the same files again', async () => {
    const server = await ui.track(bodyServer())
    const dir = tmp()
    await writeUploads(dir, server.url)
    const { page, serve, errors } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url })
    /** Run a copied command with real curl; what the server got from it. */
    const curlAgain = async (command: string) => {
      const before = server.seen.length
      await sh('bash', ['-c', `${command} -s -o /dev/null`], { timeout: 10_000 })
      await expect.poll(() => server.seen.length).toBe(before + 1)
      return server.seen[before]!
    }
    const copyFrom = async (button: ReturnType<Page['getByRole']>) => {
      await clearClipboard(page)
      await button.click()
      await expect.poll(() => clipboard(page)).not.toBe('')
      return clipboard(page)
    }

    await openRequest(page, dir, 'local', /Upload/)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => server.seen.length).toBe(1)
    const sent = server.seen[0]!
    expect(sent.body.includes(PNG)).toBe(true)

    // Copy as cURL from the row: the tree's command (boundaries apart); curl sends the Send's bytes.
    const row = page.locator('.request-list-row').first()
    await row.hover()
    const fromRow = await copyFrom(row.getByRole('button', { name: 'Copy req 1 as cURL' }))
    const item = page
      .getByRole('tree', { name: 'Requests' })
      .getByRole('treeitem')
      .filter({ hasText: 'Upload' })
    await item.hover()
    const fromTree = await copyFrom(item.getByRole('button', { name: 'Copy as cURL' }))
    expect(unnamed(fromRow)).toBe(unnamed(fromTree))
    const curled = await curlAgain(fromRow)
    expect(boundaryOf(curled.type)).toBe(boundaryOf(fromRow))
    expect(named(curled)).toBe(named(sent))
    expect(curled.body.includes(PNG)).toBe(true)

    // Duplicate: a new tab from nowhere that names the same files, each checked by the host.
    await row.click()
    await page.getByRole('button', { name: 'Duplicate' }).click()
    await page.getByRole('tab', { name: /^POST \/upload/, selected: true }).waitFor()
    await page.getByRole('tab', { name: /^Body/ }).click()
    await page.getByRole('separator', { name: 'Resize the composer' }).press('End')
    expect(await page.getByLabel('part 1 value').inputValue()).toBe('hello k-1')
    expect(await page.getByLabel('part 2 file path', { exact: true }).inputValue()).toBe('files/pic.png')
    expect(await page.getByLabel('part 3 file path', { exact: true }).inputValue()).toBe('files/notes.txt')
    const status = (n: number) => page.getByRole('status', { name: new RegExp(`^part ${n} file path: `) })
    await expect.poll(() => status(2).innerText()).toBe(`${PNG.length} B`)
    await expect.poll(() => status(3).innerText()).toBe('2.0 kB')
    await page
      .getByText(`File paths are read in the collection folder ${dir} (the request was sent from it).`)
      .waitFor()
    await row.hover()
    await screenshotSizes(page, 'fileparts-row-duplicate')
    await page.setViewportSize({ width: 1440, height: 900 })
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => server.seen.length).toBe(3)
    expect(named(server.seen[2]!)).toBe(named(sent))

    // A file body: no boundary, so the row's command and the duplicate send the very same bytes.
    await page.getByRole('tree', { name: 'Requests' }).getByRole('button', { name: /Blob/ }).click()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => server.seen.length).toBe(4)
    const blob = server.seen[3]!
    expect(blob).toEqual({ type: 'application/x-blob', body: PNG })
    const blobRow = page.locator('.request-list-row[data-id="3"]')
    await blobRow.hover()
    expect(
      await curlAgain(await copyFrom(blobRow.getByRole('button', { name: 'Copy req 3 as cURL' }))),
    ).toEqual(blob)
    await blobRow.click()
    await page.getByRole('button', { name: 'Duplicate' }).click()
    await page.getByRole('tab', { name: /^Body/ }).click()
    expect(await page.getByLabel('Body file path', { exact: true }).inputValue()).toBe('files/pic.png')
    await expect
      .poll(() => page.getByRole('status', { name: /^Body file path: / }).innerText())
      .toBe(`${PNG.length} B`)
    await screenshotSizes(page, 'fileparts-row-duplicate-body')
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => server.seen.length).toBe(6)
    expect(server.seen[5]).toEqual(blob)
    expect(errors).toEqual([])
  })
})
