/**
 * A collection request with file parts, opened in the composer in Chromium on the real engine
 * (browser mode): each file part shows its path and size (or why it would not be sent), Send has
 * the host read the files and the loopback server gets the bytes `sockeye run` sends for the same
 * request file, and Ctrl+S keeps the file reference (never the bytes).
 */
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCollection } from '../../electron/cli/collection'
import { startHttpServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'
import { screenshotSizes, useUiHarness } from './helpers/app'
import { seriousViolations } from './helpers/axe'
import { writeLocalCollection, openRequest } from './helpers/collection'

const ui = useUiHarness()
const tmp = tempDirs('ui-fileparts')

/** A loopback server keeping each request's Content-Type and body bytes. */
async function bodies() {
  const seen: Array<{ type: string; body: Buffer }> = []
  const server = await startHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ type: String(req.headers['content-type']), body: Buffer.concat(chunks) })
      res.end('ok')
    })
  })
  return Object.assign(server, { seen })
}
const boundaryOf = (type: string) => /boundary=(.+)$/.exec(type)?.[1] ?? 'none'
const named = (s: { type: string; body: Buffer }) =>
  s.body.toString('latin1').split(boundaryOf(s.type)).join('BOUNDARY')

/** Not UTF-8, with NUL, CR LF and dashes: the bytes must arrive unchanged. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x2d, 0x2d])

describe('collection file parts in the composer', () => {
  it('shows each file with its size or problem, sends what sockeye run sends, saves the path', async () => {
    const server = await ui.track(bodies())
    const dir = tmp()
    mkdirSync(join(dir, 'files'))
    writeFileSync(join(dir, 'files', 'pic.png'), PNG)
    writeFileSync(join(dir, 'files', 'notes.txt'), 'x'.repeat(2048))
    await writeLocalCollection(
      dir,
      'Uploads',
      [
        {
          info: { name: 'Upload', type: 'http' },
          http: {
            method: 'POST',
            url: '{{baseUrl}}/upload',
            body: {
              type: 'multipart-form',
              data: [
                { name: 'title', type: 'text', value: 'hello {{key}}' },
                { name: 'picture', type: 'file', value: ['files/{{pic}}'], contentType: 'image/png' },
                { name: 'notes', type: 'file', value: ['files/notes.txt'] },
              ],
            },
          },
          runtime: { variables: [{ name: 'pic', value: 'pic.png' }] },
        },
        {
          info: { name: 'Blob', type: 'http' },
          http: {
            method: 'PUT',
            url: '{{baseUrl}}/blob',
            body: {
              type: 'file',
              data: [{ filePath: 'files/pic.png', contentType: 'application/x-blob', selected: true }],
            },
          },
        },
      ],
      { baseName: 'baseUrl', url: server.url, key: 'k-1' },
    )
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
