/**
 * A collection request with file parts, opened in the composer in Chromium on the real engine
 * (browser mode): each file part shows its path and size (or why it would not be sent), Send has
 * the host read the files and the loopback server gets the bytes `sockeye run` sends for the same
 * request file, and Ctrl+S keeps the file reference (never the bytes).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCollection } from '../../electron/cli/collection'
import { tempDirs } from '../helpers/tmp'
import { screenshotSizes, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { openRequest } from './helpers/collection'
import { bodyServer, boundaryOf, named, PNG, writeUploads } from './helpers/files'

const ui = useUiHarness()
const tmp = tempDirs('ui-fileparts')

describe('collection file parts in the composer', () => {
  it('shows each file with its size or problem, sends what sockeye run sends, saves the path', async () => {
    const server = await ui.track(bodyServer())
    const dir = tmp()
    await writeUploads(dir, server.url)
    const file = join(dir, 'Upload.yml')
    const before = readFileSync(file, 'utf8')
    // The oracle: what `sockeye run` sends for this request file.
    const quiet = { write: () => undefined }
    expect(await runCollection([dir, '--env', 'local'], { stdout: quiet, stderr: quiet, env: {} })).toBe(0)
    const [fromRun, blobFromRun] = server.seen.splice(0)

    const { page, errors } = await ui.open({ viewport: { width: 1440, height: 900 } })
    await openRequest(page, dir, 'local', /Upload/)
    await page.getByRole('tab', { name: /^Body/ }).click()
    // Room for every part in the screenshots: the composer pane as tall as it goes.
    await page.getByRole('separator', { name: 'Resize the composer' }).press('End')

    // Each file part: its path as written, and what the host found (the variable resolved).
    const picture = page.getByLabel('part 2 file path', { exact: true })
    expect(await picture.inputValue()).toBe('files/{{pic}}')
    const status = (n: number) => page.getByRole('status', { name: new RegExp(`^part ${n} file path: `) })
    await expect.poll(() => status(2).innerText()).toBe(`files/pic.png · ${PNG.length} B`)
    await expect.poll(() => status(3).innerText()).toBe('2.0 kB')
    expect(await page.getByLabel('part 1 value').inputValue()).toBe('hello {{key}}')
    await screenshotSizes(page, 'fileparts-composer')
    await page.setViewportSize({ width: 1440, height: 900 })
    expect(await seriousViolations(page)).toEqual([])

    // Send: the server gets the bytes `sockeye run` sent (boundaries apart).
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => server.seen.length).toBe(1)
    const fromUi = server.seen[0]!
    expect(boundaryOf(fromUi.type)).not.toBe(boundaryOf(fromRun!.type))
    expect(named(fromUi)).toBe(named(fromRun!))
    expect(fromUi.body.includes(PNG)).toBe(true)

    // A path edited to one outside the folder: the problem shows at the part, Send refuses in one line.
    await picture.fill('../{{pic}}')
    await expect.poll(() => status(2).innerText()).toMatch(/^path '\.\.\/pic\.png' leaves the collection/)
    await screenshotSizes(page, 'fileparts-problem')
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts())
      .toContainEqual(
        expect.stringMatching(
          /form part 'picture': path '\.\.\/pic\.png' leaves the collection.*nothing was sent/,
        ),
      )
    expect(server.seen).toHaveLength(1)

    // An undefined variable in a path: said at the part, listed with the others, and Send asks first.
    await picture.fill('files/{{nofile}}')
    await expect
      .poll(() => status(2).innerText())
      .toMatch(/^files\/\{\{nofile\}\} holds \{\{nofile\}\}, not defined/)
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Not defined in local' }).innerText())
      .toBe('Not defined in local: {{nofile}} (file paths)')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    const question = page.getByRole('alertdialog')
    await expect
      .poll(() => question.innerText())
      .toMatch(/^Send with 1 unresolved variable: \{\{nofile\}\}\?/)
    await question.getByRole('button', { name: 'Cancel' }).click()
    expect(server.seen).toHaveLength(1)

    // Ctrl+S keeps the reference (the path as typed), never the bytes; untouched parts stay as written.
    await picture.fill('files/{{pic}}')
    await page.getByLabel('part 3 file path', { exact: true }).fill('files/pic.png')
    await page.keyboard.press('Control+s')
    await expect.poll(() => readFileSync(file, 'utf8')).not.toBe(before)
    const saved = parse(readFileSync(file, 'utf8'))
    expect(saved.http.body).toEqual({
      type: 'multipart-form',
      data: [
        { name: 'title', type: 'text', value: 'hello {{key}}' },
        { name: 'picture', type: 'file', value: ['files/{{pic}}'], contentType: 'image/png' },
        { name: 'notes', type: 'file', value: ['files/pic.png'] },
      ],
    })
    expect(readFileSync(file, 'latin1')).not.toContain('PNG')

    // A file body: its path, its size, and the bytes `sockeye run` sent.
    await page.getByRole('tree', { name: 'Requests' }).getByRole('button', { name: /Blob/ }).click()
    await page.getByRole('tab', { name: /^Body/ }).click()
    expect(await page.getByLabel('Body file path', { exact: true }).inputValue()).toBe('files/pic.png')
    await expect
      .poll(() => page.getByRole('status', { name: /^Body file path: / }).innerText())
      .toBe(`${PNG.length} B`)
    await screenshotSizes(page, 'fileparts-body')
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => server.seen.length).toBe(2)
    expect(server.seen[1]).toEqual(blobFromRun)

    // A new file part, by path: checked as typed, saved as a reference.
    await page.getByRole('tab', { name: /POST Upload/ }).click()
    await page.getByRole('tab', { name: /^Body/ }).click()
    await page.getByRole('button', { name: 'Add file part' }).click()
    await page.getByLabel('part 4 file path', { exact: true }).fill('files/{{pic}}')
    await expect.poll(() => status(4).innerText()).toBe(`files/pic.png · ${PNG.length} B`)
    await page.keyboard.press('Control+s')
    await expect
      .poll(() => parse(readFileSync(file, 'utf8')).http.body.data[3])
      .toEqual({ name: 'file', type: 'file', value: ['files/{{pic}}'] })
    expect(errors).toEqual([])
  })
})
