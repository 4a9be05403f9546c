import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { sendFromComposer, useUiHarness } from './helpers/app'
import { echo, startHttpServer, startHttpsServer } from '../helpers/servers'

// Registered before the harness: after-hooks run last-registered first, so the apps using a
// state directory are closed before it is removed.
const stateDirs: string[] = []
afterEach(async () => {
  for (const dir of stateDirs.splice(0)) await rm(dir, { recursive: true, force: true })
})
const ui = useUiHarness()

/** An echo server that also remembers each request (method, URL, headers, and the body bytes it received). */
async function recordingServer() {
  const seen: Array<Pick<IncomingMessage, 'method' | 'url' | 'headers'> & { body: Buffer }> = []
  const server = await ui.track(
    startHttpServer((req, res) => {
      const record = { method: req.method, url: req.url, headers: req.headers, body: Buffer.alloc(0) }
      seen.push(record)
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => (record.body = Buffer.concat(chunks)))
      echo(req, res)
    }),
  )
  return { server, seen }
}

/** A UI state file (as the host keeps it on disk) holding one saved composer draft. */
async function stateFileWithDraft(draft: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sockeye-loop-'))
  stateDirs.push(dir)
  const path = join(dir, 'ui-state.json')
  await writeFile(path, JSON.stringify({ 'sockeye.composer.v1': JSON.stringify(draft) }), { mode: 0o600 })
  return path
}

const selectedId = (page: Page) => page.locator('.request-list-row.selected').getAttribute('data-id')
const title = (page: Page) => page.locator('.detail-pane-title').innerText()

describe('send and see', () => {
  it('selects each new request at Send and shows its response, or its error, at once', async () => {
    const { server } = await recordingServer()
    const gone = await startHttpServer()
    const refused = `${gone.url}/nobody`
    await gone.close()
    const { page } = await ui.open()
    await sendFromComposer(page, `${server.url}/one`)
    await expect.poll(() => selectedId(page)).toBe('1')
    await sendFromComposer(page, `${server.url}/two`)
    await expect.poll(() => selectedId(page)).toBe('2')
    await expect.poll(() => title(page)).toBe(`req 2 GET ${server.url}/two`)
    await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
    await sendFromComposer(page, refused)
    await expect.poll(() => selectedId(page)).toBe('3')
    await expect
      .poll(() => page.locator('.detail-pane-trust-error').innerText())
      .toMatch(/^CONNECTION_REFUSED \(connect\): connection refused by 127\.0\.0\.1:\d+/)
    // The full code in the row, not cut to CONNECTION_R…, and the whole message in its tooltip.
    const cell = page.locator('.request-list-row[data-id="3"] .status')
    expect(await cell.innerText()).toBe('CONNECTION_REFUSED')
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    expect(await cell.getAttribute('title')).toMatch(/^CONNECTION_REFUSED \(connect\): connection refused/)
  })

  it('follows the newest row, and offers an "N new" pill once the user scrolled up', async () => {
    // Each answer takes a moment, so a Repeat 60 run adds its rows over a second or two.
    const server = await ui.track(startHttpServer((req, res) => void setTimeout(() => echo(req, res), 25)))
    const { page } = await ui.open()
    await page.setViewportSize({ width: 1280, height: 600 })
    await page.getByLabel('Repeat').fill('60')
    await sendFromComposer(page, `${server.url}/many`)
    const scroller = page.getByRole('grid', { name: /Request list/ })
    const atBottom = () => scroller.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2)
    // Enough rows to scroll away from (the list draws only the rows in view while it follows).
    await expect
      .poll(() => scroller.evaluate((el) => el.scrollHeight > 2 * el.clientHeight), { timeout: 10_000 })
      .toBe(true)
    expect(await atBottom()).toBe(true)
    const box = (await scroller.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, -100_000)
    const pill = page.getByRole('button', { name: /^\d+ new ↓$/ })
    await pill.waitFor()
    expect(await atBottom()).toBe(false)
    await pill.click()
    await expect.poll(atBottom).toBe(true)
    await expect
      .poll(() => page.getByText('60 requests', { exact: true }).isVisible(), { timeout: 10_000 })
      .toBe(true)
    await expect.poll(() => page.locator('.request-list-row[data-id="60"]').isVisible()).toBe(true)
    expect(await pill.count()).toBe(0)
  })
})

describe('input errors', () => {
  it('shows an empty URL, a bad JSON body and a bad header at their fields, and sends nothing', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => page.locator('#composer-url-problem').innerText()).toMatch(/^Type a URL first/)
    expect(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    await page.getByLabel('URL', { exact: true }).fill(`${server.url}/post`)
    await expect.poll(() => page.locator('#composer-url-problem').count()).toBe(0)
    await page.getByRole('tab', { name: /^Body/ }).click()
    await page.getByLabel('JSON').check()
    await page.getByLabel('Request body').fill('{"a": 1,')
    // Validated while typing, before any Send.
    await expect
      .poll(() => page.locator('#composer-body-problem').innerText())
      .toMatch(/^Body is not valid JSON: /)
    await page.getByLabel('Request body').fill('{"a": 1}')
    await expect.poll(() => page.getByText('valid JSON', { exact: true }).isVisible()).toBe(true)
    await page.getByRole('tab', { name: /^Headers/ }).click()
    await page.getByLabel('header 1 name').fill('bad name')
    await page.getByLabel('header 1 value').fill('x')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/^not a header name/)
    expect(await page.locator('.request-list-row').count()).toBe(0)
    expect(seen).toHaveLength(0)
  })

  it('refuses a header value with a line break, pasted or restored, with a message and sends nothing', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByRole('tab', { name: /^Headers/ }).click()
    await page.getByLabel('header 1 name').fill('x-token')
    await page.getByLabel('header 1 value').fill('abc')
    // A text input would silently drop the CR/LF of pasted text: the paste is refused instead.
    await page.getByLabel('header 1 value').evaluate((el) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { setData(type: string, value: string): void }
        ClipboardEvent: new (type: string, init: object) => object
      }
      const data = new g.DataTransfer()
      data.setData('text/plain', 'abc\r\nX-Injected: 1')
      const paste = new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
      ;(el as unknown as { dispatchEvent(e: object): boolean }).dispatchEvent(paste)
    })
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(/^Not pasted: the text has a line break \(CR\/LF\)/)
    expect(await page.getByLabel('header 1 value').inputValue()).toBe('abc')
    // A draft restored from the saved UI state (drafts live in the host's file, not localStorage;
    // or a duplicated request) may hold one: refused at the field, never sent.
    const statePath = await stateFileWithDraft({
      method: 'GET',
      url: `${server.url}/crlf`,
      headers: [['x-token', 'abc\r\nX-Injected: 1', true]],
      bodyMode: 'none',
      body: '',
      form: [],
      repeat: 1,
      concurrency: 1,
      fresh: false,
    })
    const restored = (await ui.open({ statePath })).page
    expect(await restored.getByLabel('URL', { exact: true }).inputValue()).toBe(`${server.url}/crlf`)
    await restored.getByRole('button', { name: 'Send', exact: true }).click()
    await expect
      .poll(() => restored.getByRole('alert').innerText())
      .toBe('a header value is one line: remove the line break (CR/LF)')
    await restored.getByRole('tab', { name: /^Headers/ }).click()
    expect(await restored.getByLabel('header 1 name').getAttribute('aria-invalid')).toBe('true')
    expect(await restored.getByLabel('header 1 value').getAttribute('aria-describedby')).toMatch(
      /^header-problem-/,
    )
    expect(await restored.locator('.request-list-row').count()).toBe(0)
    expect(seen).toHaveLength(0)
  })
})

describe('auth helpers', () => {
  it('shows the Basic header it adds and sends exactly that', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByRole('tab', { name: /^Auth/ }).click()
    await page.getByLabel('Basic').check()
    await page.getByLabel('User').fill('ada')
    await page.getByLabel('Password').fill('lovelace')
    const expected = `Basic ${Buffer.from('ada:lovelace').toString('base64')}`
    await expect
      .poll(() => page.getByLabel('Resulting header').locator('code').innerText())
      .toBe(`authorization: ${expected}`)
    await sendFromComposer(page, `${server.url}/private`)
    await expect.poll(() => seen.length).toBe(1)
    expect(seen[0]!.headers.authorization).toBe(expected)
  })

  it('puts an API key in the query when asked', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByRole('tab', { name: /^Auth/ }).click()
    await page.getByLabel('API key').check()
    await page.getByLabel('Key name').fill('api_key')
    await page.getByLabel('Key value').fill('k-1')
    await page.getByLabel('Add to').selectOption('query')
    await sendFromComposer(page, `${server.url}/q?x=1`)
    await expect.poll(() => seen.length).toBe(1)
    expect(seen[0]!.url).toBe('/q?x=1&api_key=k-1')
  })
})

describe('bodies and methods', () => {
  it('sends a custom method and a multipart form with a file', async () => {
    const { server, seen } = await recordingServer()
    const { page } = await ui.open()
    await page.getByLabel('Method').fill('PURGE')
    await sendFromComposer(page, `${server.url}/cache`)
    await expect.poll(() => seen.map((s) => s.method)).toEqual(['PURGE'])
    await page.getByLabel('Method').fill('POST')
    await page.getByRole('tab', { name: /^Body/ }).click()
    await page.getByLabel('Multipart').check()
    await page.getByRole('button', { name: 'Add part' }).click()
    await page.getByLabel('part 1 name').fill('note')
    await page.getByLabel('part 1 value').fill('hello')
    await page.getByRole('button', { name: 'Add part' }).click()
    await page.getByLabel('Choose a file for part 2').setInputFiles({
      name: 'data.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0, 1, 2, 255]),
    })
    await expect.poll(() => page.getByLabel('part 2 name').inputValue()).toBe('file')
    await sendFromComposer(page, `${server.url}/upload`)
    await expect.poll(() => seen.length).toBe(2)
    expect(seen[1]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    // Answered, so the server has the whole body (it answers at the body's end).
    await page.locator('.request-list-row[data-id="2"]').click()
    await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
    // What the server received is the oracle (the body view is virtualized rows, not one text).
    const received = seen[1]!.body
    const boundary = /boundary=(.+)$/.exec(String(seen[1]!.headers['content-type']))![1]!
    expect(received.toString('latin1')).toContain(`--${boundary}\r\n`)
    expect(received.toString('latin1')).toContain('name="note"\r\n\r\nhello\r\n')
    expect(received.toString('latin1')).toContain('name="file"; filename="data.bin"')
    // The file's bytes arrive unchanged (no UTF-8 re-encoding of 0xff).
    expect(received.includes(Buffer.from([13, 10, 13, 10, 0, 1, 2, 255, 13, 10]))).toBe(true)
    expect(received.toString('latin1').trimEnd()).toMatch(new RegExp(`--${boundary}--$`))
  })
})

describe('TLS in the GUI', () => {
  it('offers to trust a self-signed origin in place, never says --insecure, and resends', async () => {
    const tls = await ui.track(startHttpsServer())
    const { page } = await ui.open()
    await sendFromComposer(page, `${tls.url}/secure`)
    await expect.poll(() => page.locator('.request-list-row .status').innerText()).toBe('TLS_SELF_SIGNED')
    const detail = page.getByRole('region', { name: 'Request detail' })
    await expect.poll(() => detail.innerText()).toMatch(/self-signed certificate/)
    expect(await page.locator('body').innerText()).not.toContain('--insecure')
    expect(await page.locator('.request-list-row .status').getAttribute('title')).not.toContain('--insecure')
    await page.getByRole('button', { name: 'Trust this origin until restart (skip verification)' }).click()
    await expect.poll(() => selectedId(page)).toBe('2')
    await expect.poll(() => page.locator('.detail-pane-summary-status').innerText()).toBe('200 OK')
    await page.getByRole('tab', { name: 'Connection', exact: true }).click()
    await expect.poll(() => detail.innerText()).toMatch(/Issuer[\s\S]*\(self-signed\)/)
  })
})
