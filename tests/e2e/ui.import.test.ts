/**
 * The import dialog in Chromium (browser mode, real engine): paste a Postman collection and a curl
 * command, see the preview, create each in a folder, find the requests in the sidebar tree, load one
 * into the composer and send it to a loopback server the test started.
 */
import { readdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { echo, startHttpServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'
import { screenshot, useUiHarness } from './helpers/app'

const ui = useUiHarness()
const tmp = tempDirs('ui-import')

const postman = (base: string) =>
  JSON.stringify({
    info: {
      name: 'Shop (Postman)',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    variable: [{ key: 'base', value: base }],
    item: [
      {
        name: 'Users',
        item: [
          { name: 'List users', request: { method: 'GET', url: '{{base}}/users?page=2' } },
          {
            name: 'Create user',
            request: {
              method: 'POST',
              url: { raw: '{{base}}/users', host: ['{{base}}'], path: ['users'] },
              header: [{ key: 'Content-Type', value: 'application/json' }],
              body: { mode: 'raw', raw: '{"name":"ada"}' },
            },
            event: [{ listen: 'test', script: { exec: ['pm.test("ok")'] } }],
          },
        ],
      },
      { name: 'Health', request: { method: 'HEAD', url: '{{base}}/health' } },
    ],
  })

const rowTexts = async (locator: import('playwright-core').Locator) =>
  (await locator.getByRole('treeitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())

describe('import dialog', () => {
  it('imports a Postman collection and a curl command, previews them, creates them, and sends one', async () => {
    const seen: IncomingMessage[] = []
    const bodies: string[] = []
    const server = await ui.track(
      startHttpServer((req, res) => {
        seen.push(req)
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString()))
        req.on('end', () => bodies.push(body))
        echo(req, res)
      }),
    )
    const { page, errors } = await ui.open()
    await page.getByRole('button', { name: 'Collections' }).click()
    await page.getByRole('button', { name: 'Import…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Import a collection' })
    await dialog.waitFor()

    // Not a format: one line from the host naming the formats it reads.
    await dialog.getByLabel('Text to import').fill('hello: world\n')
    await dialog.getByRole('button', { name: 'Preview' }).click()
    const alert = dialog.getByRole('alert')
    await expect
      .poll(() => alert.innerText())
      .toMatch(
        /^importText: the pasted text is not a format Sockeye imports; it reads cURL commands, Postman/,
      )
    expect((await alert.innerText()).includes('\n')).toBe(false)

    await dialog.getByLabel('Text to import').fill(postman(server.url))
    await dialog.getByRole('button', { name: 'Preview' }).click()
    const preview = dialog.getByRole('region', { name: 'Preview' })
    await preview.waitFor()
    expect(await preview.locator('p').first().innerText()).toBe(
      'Postman collection · Shop (Postman) · 3 requests',
    )
    expect(await rowTexts(preview.getByRole('tree', { name: 'Will create' }))).toEqual([
      '▾ Users',
      'GET List users {{base}}/users?page=2',
      'POST Create user {{base}}/users',
      'HEAD Health {{base}}/health',
    ])
    expect(await preview.getByRole('list', { name: 'Warnings' }).innerText()).toMatch(/script/i)
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height })
      await screenshot(page, `import-dialog-${width}x${height}`)
    }

    // A folder with someone's files in it is refused; nothing is written there.
    const busy = tmp()
    writeFileSync(join(busy, 'notes.txt'), 'mine')
    await dialog.getByLabel('Create in folder').fill(busy)
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect.poll(() => alert.innerText()).toMatch(/is not empty and holds no opencollection\.yml/)
    expect(readdirSync(busy)).toEqual(['notes.txt'])

    const shop = join(tmp(), 'shop')
    await dialog.getByLabel('Create in folder').fill(shop)
    await dialog.getByRole('button', { name: 'Create' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const tree = page.getByRole('tree', { name: 'Requests' })
    await tree.getByText('Create user').waitFor()
    expect(await rowTexts(tree)).toEqual(['▾ Users', 'GET List users', 'POST Create user', 'HEAD Health'])
    // Hover shows the URL and what each variable is now.
    expect(await tree.getByRole('button', { name: /List users/ }).getAttribute('title')).toBe(
      `{{base}}/users?page=2\nbase = ${server.url}`,
    )
    await tree.getByRole('button', { name: /Create user/ }).click()
    // The composer keeps the request as written (the collection variable is resolved on Send).
    await expect.poll(() => page.getByLabel('URL', { exact: true }).inputValue()).toBe('{{base}}/users')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.locator('.request-list-row .status.ok').first().waitFor()
    expect(seen[0]?.method).toBe('POST')
    expect(seen[0]?.url).toBe('/users')
    await expect.poll(() => bodies[0]).toBe('{"name":"ada"}')

    // A file picked from disk: read in the page, previewed the same way; the dialog starts empty.
    await page.getByRole('button', { name: 'Import…' }).click()
    expect(await dialog.getByLabel('Text to import').inputValue()).toBe('')
    await dialog.getByLabel('File to import').setInputFiles({
      name: 'petstore.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(
        `openapi: 3.0.3\ninfo: { title: Pets, version: '1' }\nservers: [{ url: '${server.url}' }]\n` +
          `paths:\n  /pets:\n    get: { summary: List pets, responses: { '200': { description: ok } } }\n`,
      ),
    })
    await expect
      .poll(() => preview.locator('p').first().innerText())
      .toMatch(/^OpenAPI 3 · Pets · 1 request$/)
    // Too big: refused in the page from the file's size, before it is read or sent.
    const huge = join(tmp(), 'huge.json')
    writeFileSync(huge, '')
    truncateSync(huge, 40 * 1024 * 1024) // sparse: no 40 MiB written
    await dialog.getByLabel('File to import').setInputFiles(huge)
    await expect
      .poll(() => alert.innerText())
      .toBe('huge.json is 40 MiB; the import limit is 32 MiB: pick a smaller file')
    expect(await preview.count()).toBe(0)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'hidden' })

    // A curl command: one request, created in its own folder, sent as curl would send it.
    await page.getByRole('button', { name: 'Import…' }).click()
    await dialog
      .getByLabel('Text to import')
      .fill(`curl -X PUT '${server.url}/items/7?x=1' -H 'X-Token: t-1' --data-raw 'n=1'`)
    await dialog.getByRole('button', { name: 'Preview' }).click()
    await expect
      .poll(() => preview.locator('p').first().innerText())
      .toMatch(/^curl command · .* · 1 request$/)
    expect(await rowTexts(preview.getByRole('tree', { name: 'Will create' }))).toEqual([
      expect.stringMatching(new RegExp(`^PUT .*${server.url.replace(/[.]/g, '\\.')}/items/7\\?x=1$`)),
    ])
    await dialog.getByLabel('Create in folder').fill(join(tmp(), 'curl'))
    await dialog.getByRole('button', { name: 'Create' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const row = tree.getByRole('button').filter({ hasText: 'PUT' })
    await row.waitFor()
    await row.click()
    await expect
      .poll(() => page.getByLabel('URL', { exact: true }).inputValue())
      .toBe(`${server.url}/items/7?x=1`)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => seen.length).toBe(2)
    expect(seen[1]?.method).toBe('PUT')
    expect(seen[1]?.url).toBe('/items/7?x=1')
    expect(seen[1]?.headers['x-token']).toBe('t-1')
    await expect.poll(() => bodies[1]).toBe('n=1')
    await screenshot(page, 'import-done')
    expect(errors).toEqual([])
  })
})
