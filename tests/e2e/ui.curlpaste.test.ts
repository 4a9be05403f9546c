/**
 * A curl command pasted into the composer's URL field (browser mode, real Chromium) becomes the
 * request, and Send makes Sockeye send what real curl sends for the same command.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenshot, useUiHarness } from './helpers/app'
import { startEchoServer } from '../helpers/echo'
import { curlSends, defined, requireCurl } from '../helpers/curl'

const ui = useUiHarness()

describe('pasting a curl command into the URL field', () => {
  it('fills the composer and sends what curl sends', async () => {
    requireCurl()
    const server = await ui.track(startEchoServer())
    const command = `curl -X PUT '${server.url}/items/7?v=1' \\\n  -H 'X-Trace: abc' -u 'al:pw' \\\n  --data-urlencode 'note=a b&c' --retry 3`
    const { page } = await ui.open()
    const url = page.getByLabel('URL', { exact: true })
    await url.focus()
    // A real paste event with the command on the clipboard (the page's DOM, not this Node project's).
    await page.evaluate(`(() => {
      const data = new DataTransfer()
      data.setData('text/plain', ${JSON.stringify(command)})
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })()`)
    await expect.poll(() => url.inputValue()).toBe(`${server.url}/items/7?v=1`)
    expect(await page.getByLabel('Method').inputValue()).toBe('PUT')
    // What the command asked for and Sockeye does not do is said under the URL.
    await expect
      .poll(() => page.getByRole('status').allInnerTexts())
      .toContain('--retry is not imported (Sockeye has no equivalent)')
    await screenshot(page, 'composer-curl-paste')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => server.requests.length).toBe(1)
    const ours = server.requests[0]
    const dir = mkdtempSync(join(tmpdir(), 'sockeye-paste-'))
    try {
      const curl = await curlSends(server, command, dir)
      expect(ours?.method).toBe(curl.method)
      expect(ours?.target).toBe(curl.target)
      expect(ours?.body.toString()).toBe(curl.body.toString())
      if (ours) expect(defined(ours, curl)).toEqual(defined(curl, ours))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
