/**
 * The collections sidebar in Chromium (browser mode, real engine): open a folder written on disk,
 * pick an environment, load a request into the composer, send it, and see an outside edit appear.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { writeCollection } from '../../electron/workspace/collection'
import { echo, startHttpServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'
import { startServe } from '../../electron/serve'
import { createEngine } from '../../electron/engine'
import { RENDERER_DIR, screenshot, sendFromComposer, useUiHarness } from './helpers/app'

const ui = useUiHarness()
const tmp = tempDirs('ui-col')

describe('collections sidebar', () => {
  it('opens a folder, loads a request with its environment into the composer, sends it, follows outside edits', async () => {
    const seen: IncomingMessage[] = []
    const server = await ui.track(
      startHttpServer((req, res) => {
        seen.push(req)
        echo(req, res)
      }),
    )
    const dir = tmp()
    await writeCollection(
      dir,
      {
        info: { name: 'Shop API' },
        items: [
          {
            info: { name: 'List items', type: 'http' },
            http: {
              method: 'GET',
              url: '{{base}}/items?page=1',
              headers: [{ name: 'X-Key', value: '{{key}}' }],
            },
          },
          {
            info: { name: 'Admin', type: 'folder' },
            items: [
              {
                info: { name: 'Create item', type: 'http' },
                http: { method: 'POST', url: '{{base}}/items', body: { type: 'json', data: '{"n":1}' } },
              },
            ],
          },
        ],
        config: {
          environments: [
            {
              name: 'local',
              variables: [
                { name: 'base', value: server.url },
                { secret: true, name: 'key' },
              ],
            },
          ],
        },
      },
      { secrets: { local: { key: 'k-123' } } },
    )
    writeFileSync(join(dir, 'broken.yml'), 'info: [\n')
    const { page, errors } = await ui.open()
    await page.getByRole('button', { name: 'Collections' }).click()
    await page.getByLabel('Collection folder').fill(dir)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const tree = page.getByRole('tree', { name: 'Requests' })
    await tree.getByText('Create item').waitFor()
    expect(
      (await tree.getByRole('treeitem').locator(':scope > :first-child').allInnerTexts()).map((t) =>
        t.replace(/\s+/g, ' ').trim(),
      ),
    ).toEqual(['GET List items', '▾ Admin', 'POST Create item'])
    expect(await page.getByRole('list', { name: 'Problems' }).innerText()).toMatch(/^broken\.yml:\d+: /)

    // Without an environment the composer shows what is not defined.
    await tree.getByRole('button', { name: /List items/ }).click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Not defined' }).innerText())
      .toBe('Not defined with no environment chosen: {{base}} (URL), {{key}} (headers)')
    await page.getByLabel('Environment').selectOption('local')
    await tree.getByRole('button', { name: /List items/ }).click()
    // The composer keeps the request as written; Send resolves it.
    await expect
      .poll(() => page.getByLabel('URL', { exact: true }).inputValue())
      .toBe('{{base}}/items?page=1')
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Not defined' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.locator('.request-list-row .status.ok').waitFor()
    expect(seen[0]?.url).toBe('/items?page=1')
    expect(seen[0]?.headers['x-key']).toBe('k-123')
    await screenshot(page, 'collections-sidebar')

    // An edit from outside (editor, git pull) shows up without a reload.
    writeFileSync(
      join(dir, 'From editor.yml'),
      'info:\n  name: From editor\n  type: http\n  seq: 9\nhttp:\n  method: DELETE\n  url: http://x\n',
    )
    await tree.getByText('From editor').waitFor()
    expect(errors).toEqual([])
  })

  it('keeps history across a restart of sockeye serve, loads an entry back and saves it into the collection', async () => {
    const server = await ui.track(startHttpServer())
    const historyFile = join(tmp(), 'state', 'history.jsonl')
    const dir = tmp()
    await writeCollection(dir, { info: { name: 'Saved here' }, items: [] })
    const serveOnce = async () => {
      const engine = createEngine()
      const serve = await startServe({ staticDir: RENDERER_DIR, engine, note: () => {}, historyFile })
      return { serve, engine, close: async () => (await serve.close(), await engine.close()) }
    }
    const context = await ui.browser().newContext({ viewport: { width: 1280, height: 760 } })
    try {
      const first = await serveOnce()
      const page = await context.newPage()
      await page.goto(first.serve.url)
      await page.getByRole('button', { name: 'Collections' }).click()
      await sendFromComposer(page, `${server.url}/kept?n=1`)
      const history = page.getByRole('region', { name: 'History' })
      await history.getByText('/kept?n=1').waitFor()
      await first.close()

      // A new server process state: same history file, new engine (socket ids start again).
      const second = await serveOnce()
      try {
        await page.goto(second.serve.url)
        await page.getByRole('button', { name: 'Collections' }).click()
        await history.getByText('/kept?n=1').waitFor()
        expect(await history.locator('.entry').first().innerText()).toMatch(
          /^200\s*#1 new\s*GET 127\.0\.0\.1:\d+\/kept\?n=1/,
        )
        await page.getByLabel('Search history').fill('404')
        await expect.poll(() => history.locator('.entry').count()).toBe(0)
        await page.getByLabel('Search history').fill('kept')
        await history.locator('.entry button').first().click()
        await expect
          .poll(() => page.getByLabel('URL', { exact: true }).inputValue())
          .toBe(`${server.url}/kept?n=1`)

        await page.getByLabel('Collection folder').fill(dir)
        await page.getByRole('button', { name: 'Open', exact: true }).click()
        await history.getByRole('button', { name: /^Save GET .*kept.* to the collection$/ }).click()
        await page
          .getByRole('tree', { name: 'Requests' })
          .getByText(/kept\?n=1/)
          .waitFor()
        await screenshot(page, 'collections-history')
      } finally {
        await second.close()
      }
    } finally {
      await context.close()
    }
  })
})
