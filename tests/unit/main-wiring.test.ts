import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as electron from 'electron'
import { CALL_NAMES, EVENTS_CHANNEL, ipcChannel, type EngineEvent } from '../../electron/contract'
import { CONTENT_SECURITY_POLICY } from '../../electron/main/policy'
import * as engineModule from '../../electron/engine'
import type { EngineApi } from '../../electron/engine/api'
import { startHttpServer, type TestServer } from '../helpers/servers'
import type { FakeElectron, FakeWebContents } from './main-fake-electron'

// The Electron binary cannot run here: main runs in Node against a recording stand-in (see
// main-fake-electron.ts) with the real engine and host, and a real loopback server.
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./main-fake-electron')
  const fake = createFakeElectron()
  return { ...fake.module, __fake: fake }
})

// The real engine, kept reachable so the quit test can see its pools closed.
vi.mock('../../electron/engine', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/engine')>()
  const created: EngineApi[] = []
  const createEngine: typeof real.createEngine = (options) => {
    const engine = real.createEngine(options)
    created.push(engine)
    return engine
  }
  return { ...real, createEngine, __created: created }
})

const fake = (electron as unknown as { __fake: FakeElectron }).__fake
type Handler = (event: unknown, input: unknown) => Promise<{ ok: boolean; value?: never; error?: never }>

let contents: FakeWebContents
let server: TestServer
const handler = (name: string) => fake.handlers.get(ipcChannel(name as never)) as Handler
/** An IPC event as Electron builds it for our window's top frame showing the app. */
const trusted = () => ({ sender: contents, senderFrame: { ...contents.mainFrame } })

beforeAll(async () => {
  server = await startHttpServer((_req, res) => res.end('hello'))
  await import('../../electron/main/index')
  fake.app.readyResolve()
  await fake.app.whenReady()
  // whenReady().then(...) in main runs on the same resolved promise, one turn later.
  await new Promise<void>((resolve) => setImmediate(resolve))
  contents = fake.windows[0]!.webContents
})

afterAll(async () => {
  await server.close()
})

describe('main process wiring', () => {
  it('declares app: a standard secure scheme, without the CORS privilege, and sandboxes every renderer', () => {
    expect(fake.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
    expect(fake.app.sandboxed).toBe(true)
  })

  it('opens one hardened window on app://sockeye/index.html, shown when ready', () => {
    expect(fake.windows).toHaveLength(1)
    const win = fake.windows[0]!
    expect(win.options.webPreferences).toMatchObject({
      preload: expect.stringMatching(/preload[/\\]index\.cjs$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    })
    expect(win.loadedUrl).toBe('app://sockeye/index.html')
    expect(win.shown).toBe(false)
    win.emit('ready-to-show')
    expect(win.shown).toBe(true)
  })

  it('registers exactly one IPC handler per contract call', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(CALL_NAMES.map(ipcChannel).sort())
  })

  it('refuses calls from a subframe, another webContents, a navigated or a destroyed frame', async () => {
    const other = new (
      fake.module.BrowserWindow as never as new (o: object) => { webContents: FakeWebContents }
    )({})
    const events = [
      { sender: contents, senderFrame: { ...contents.mainFrame, routingId: 99 } },
      { sender: other.webContents, senderFrame: other.webContents.mainFrame },
      { sender: contents, senderFrame: { ...contents.mainFrame, url: 'https://evil.example/' } },
      { sender: contents, senderFrame: null },
    ]
    for (const event of events) {
      await expect(Promise.resolve(handler('snapshot')(event, {}))).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', phase: 'input' },
      })
    }
  })

  it('answers bad input from the window with the contract’s one-line INVALID_OPTION error', async () => {
    const input = { request: { method: 'GE T', url: server.url, headers: [], body: null } }
    const result = await handler('send')(trusted(), input)
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OPTION' } })
  })

  it('sends a trusted request through the engine and streams its events to the window', async () => {
    const completed = new Promise<EngineEvent>((resolve) => {
      contents.on('sent', (channel: string, events: EngineEvent[]) => {
        const done = channel === EVENTS_CHANNEL && events.find((e) => e.type === 'request:completed')
        if (done) resolve(done)
      })
    })
    const input = { request: { method: 'GET', url: `${server.url}/x`, headers: [], body: null } }
    const result = await handler('send')(trusted(), input)
    expect(result).toMatchObject({ ok: true, value: { requestIds: [expect.any(Number)] } })
    const event = await completed
    expect(event.type === 'request:completed' && event.result).toMatchObject({ status: 200, socket: 1 })
  })

  it('denies every permission request and permission check', () => {
    const answers: boolean[] = []
    fake.defaultSession.permissionRequest!(contents, 'notifications', (ok) => answers.push(ok))
    expect(answers).toEqual([false])
    expect(fake.defaultSession.permissionCheck!(contents, 'clipboard-read', 'app://sockeye', {})).toBe(false)
    expect(fake.defaultSession.devicePermission!({ deviceType: 'usb' })).toBe(false)
  })

  it('puts the app’s CSP on http responses, replacing any the server sent', () => {
    let headers: Record<string, string[]> = {}
    fake.defaultSession.headersReceived!(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'x-other': ['1'] } },
      (response) => (headers = (response as { responseHeaders: Record<string, string[]> }).responseHeaders),
    )
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'x-other': ['1'] })
  })

  it('blocks navigation to another origin and allows it within the app', () => {
    expect(contents.fire('will-navigate', { url: 'https://evil.example/' })).toBe(true)
    expect(contents.fire('will-navigate', { url: 'app://sockeye.evil/index.html' })).toBe(true)
    expect(contents.fire('will-navigate', { url: 'app://sockeye/index.html#/connections' })).toBe(false)
  })

  it('refuses to attach a <webview>', () => {
    expect(contents.fire('will-attach-webview')).toBe(true)
  })

  it('denies new windows and asks before handing an http(s) link to the system browser', async () => {
    fake.opened.length = 0
    fake.asked.length = 0
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve))
    fake.dialog.answer = 1 // Cancel
    expect(contents.windowOpenHandler!({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' })
    await settle()
    expect(fake.asked).toMatchObject([
      { message: 'Open this link in your browser?', detail: 'https://example.com/docs' },
    ])
    expect(fake.opened).toEqual([])
    fake.dialog.answer = 0 // Open in browser
    expect(contents.windowOpenHandler!({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' })
    await settle()
    expect(fake.opened).toEqual(['https://example.com/docs'])
    // Other schemes are refused without a question.
    fake.asked.length = 0
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'smb://attacker/share' })).toEqual({ action: 'deny' })
    await settle()
    expect(fake.asked).toEqual([])
    expect(fake.opened).toEqual(['https://example.com/docs'])
  })

  it('keeps subframes from navigating anywhere but their srcdoc', () => {
    const frame = (url: string) => contents.fire('will-frame-navigate', { url, isMainFrame: false })
    expect(frame('https://evil.example/')).toBe(true)
    expect(frame('app://sockeye/index.html')).toBe(true)
    expect(frame('about:srcdoc')).toBe(false)
    expect(contents.fire('will-frame-navigate', { url: 'app://sockeye/index.html', isMainFrame: true })).toBe(
      false,
    )
  })

  it('turns DevTools off unless asked for in development', () => {
    expect(fake.windows[0]!.options.webPreferences).toMatchObject({ devTools: false })
  })

  it('opens web links asked for over IPC and refuses other schemes', async () => {
    fake.opened.length = 0
    const open = handler('openExternal')
    await expect(open(trusted(), { url: 'https://example.com/a' })).resolves.toEqual({
      ok: true,
      value: { opened: true },
    })
    await expect(open(trusted(), { url: 'file:///C:/Windows/System32/calc.exe' })).resolves.toMatchObject({
      ok: false,
    })
    expect(fake.opened).toEqual(['https://example.com/a'])
  })

  it('on quit, closes the host and the engine’s sockets first, then quits', async () => {
    const [engine] = (engineModule as unknown as { __created: EngineApi[] }).__created
    expect(engine!.connections().filter((c) => c.closedAt === null)).toHaveLength(1)
    expect(fake.app.quit()).toBe(true) // held back while pools close
    await new Promise<void>((resolve) => fake.app.once('will-quit', () => resolve()))
    expect(fake.app.quitCalls).toBe(2)
    expect(engine!.connections().map((c) => c.closeReason)).toEqual(['pool-closed'])
    await expect(handler('snapshot')(trusted(), {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'POOL_CLOSED' },
    })
  })
})
