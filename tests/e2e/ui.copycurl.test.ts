/**
 * Copy as cURL from the request list, the history and the collection tree, in Chromium on the real
 * engine: each command is read back from the clipboard and run by real curl against the same
 * loopback server, which must then see the same request again (method, target, headers).
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { tempDirs } from '../helpers/tmp'
import { startServe } from '../../electron/serve'
import { createEngine } from '../../electron/engine'
import { RENDERER_DIR, useUiHarness } from './helpers/app'
import { recordingServer, writeLocalCollection } from './helpers/collection'
import { clearClipboard, clipboard } from './helpers/files'

const ui = useUiHarness()
const tmp = tempDirs('ui-curl')
const sh = promisify(execFile)

/** What the server saw of one request, minus what curl and undici pick themselves. */
const shape = (r: IncomingMessage) => ({ method: r.method, url: r.url, key: r.headers['x-key'] ?? null })

describe('copy as cURL', () => {
  it('from a list row, a history entry and a collection request: real curl sends the same request', async () => {
    const server = await ui.track(recordingServer())
    const seen = server.seen
    const dir = tmp()
    const tree = {
      info: { name: 'From tree', type: 'http' },
      http: { method: 'DELETE', url: '{{base}}/tree?id=7', headers: [{ name: 'X-Key', value: '{{key}}' }] },
    }
    await writeLocalCollection(dir, 'Curl', [tree], { baseName: 'base', url: server.url, key: 'k-9' })
    // History on disk (browser mode keeps none unless given a file), so a served app of our own.
    const engine = createEngine()
    const serve = await startServe({
      staticDir: RENDERER_DIR,
      engine,
      note: () => {},
      historyFile: join(tmp(), 'history.jsonl'),
      uiStatePath: join(tmp(), 'ui-state.json'),
    })
    const context = await ui.browser().newContext({ viewport: { width: 1280, height: 760 } })
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(serve.url)
      const curlAgain = async (command: string) => {
        const before = seen.length
        expect(command).toMatch(/^curl /)
        await sh('sh', ['-c', `${command} -s -o /dev/null`], { timeout: 10_000 })
        await expect.poll(() => seen.length).toBe(before + 1)
        return seen[before]!
      }

      // The list row: the request the composer sent.
      await page.getByLabel('URL', { exact: true }).fill(`${server.url}/row?q=a%20b`)
      await page.getByRole('tab', { name: /^Headers/ }).click()
      await page.getByLabel('header 1 name').fill('X-Key')
      await page.getByLabel('header 1 value').fill('from-row')
      await page.getByRole('button', { name: 'Send', exact: true }).click()
      await expect.poll(() => seen.length).toBe(1)
      const row = page.locator('.request-list-row').first()
      await row.hover()
      await row.getByRole('button', { name: 'Copy req 1 as cURL' }).click()
      await page.getByRole('status').filter({ hasText: 'Copied the curl command.' }).waitFor()
      expect(shape(await curlAgain(await clipboard(page)))).toEqual(shape(seen[0]!))

      // The history entry of that request.
      await page.getByRole('button', { name: 'Collections' }).click()
      const history = page.getByRole('region', { name: 'History' })
      await history.getByText('/row?q=a%20b').first().waitFor()
      await clearClipboard(page)
      await history
        .getByRole('button', { name: /^Copy GET .*\/row\?q=a%20b as cURL$/ })
        .first()
        .click()
      await expect.poll(() => clipboard(page)).toMatch(/^curl /)
      expect(shape(await curlAgain(await clipboard(page)))).toEqual(shape(seen[0]!))

      // A collection request: its variables resolved with the chosen environment (secret included).
      await page.getByLabel('Collection folder').fill(dir)
      await page.getByRole('button', { name: 'Open', exact: true }).click()
      await page.getByLabel('Environment').selectOption('local')
      const item = page.getByRole('tree', { name: 'Requests' }).getByRole('treeitem').first()
      await item.hover()
      await clearClipboard(page)
      await item.getByRole('button', { name: 'Copy as cURL' }).click()
      await expect.poll(() => clipboard(page)).toMatch(/^curl /)
      expect(shape(await curlAgain(await clipboard(page)))).toEqual({
        method: 'DELETE',
        url: '/tree?id=7',
        key: 'k-9',
      })
      expect(errors).toEqual([])
    } finally {
      await context.close()
      await serve.close()
      await engine.close()
    }
  })
})
