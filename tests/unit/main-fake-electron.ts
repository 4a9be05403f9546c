/**
 * A stand-in for the `electron` module, just large enough to run electron/main in plain Node: it
 * records what main registers (IPC handlers, protocol handlers, session rules, windows) and lets a
 * test fire the events Electron would. It checks main's wiring and decisions, not Electron itself;
 * the Playwright `_electron` smoke test does that where the binary exists.
 */
import { EventEmitter } from 'node:events'

export interface FakeFrame {
  processId: number
  routingId: number
  url: string
}

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<[string, unknown]> = []
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  mainFrame: FakeFrame
  constructor(id: number, url = '') {
    super()
    this.mainFrame = { processId: id, routingId: 1, url }
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload])
    this.emit('sent', channel, payload)
  }
  /** Fire a webContents event with a preventable event object; returns whether it was prevented. */
  fire(name: string, fields: Record<string, unknown> = {}): boolean {
    let prevented = false
    this.emit(name, { ...fields, preventDefault: () => (prevented = true) })
    return prevented
  }
}

let nextContentsId = 1

export function createFakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    sandboxed: false,
    quitCalls: 0,
    readyResolve: () => {},
    ready: null as unknown as Promise<void>,
    requestSingleInstanceLock: () => true,
    enableSandbox() {
      app.sandboxed = true
    },
    whenReady: () => app.ready,
    quit() {
      app.quitCalls++
      let prevented = false
      app.emit('will-quit', { preventDefault: () => (prevented = true) })
      return prevented
    },
  })
  app.ready = new Promise<void>((resolve) => (app.readyResolve = resolve))

  const windows: FakeBrowserWindow[] = []
  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows = () => windows.filter((w) => !w.destroyed)
    static fromWebContents = (wc: unknown) => windows.find((w) => w.webContents === wc) ?? null
    readonly webContents: FakeWebContents
    loadedUrl: string | null = null
    destroyed = false
    shown = false
    constructor(readonly options: Record<string, unknown>) {
      super()
      this.webContents = new FakeWebContents(nextContentsId++)
      windows.push(this)
      app.emit('web-contents-created', {}, this.webContents)
    }
    async loadURL(url: string) {
      this.loadedUrl = url
      this.webContents.mainFrame.url = url
    }
    show() {
      this.shown = true
    }
    isDestroyed = () => this.destroyed
    isMinimized = () => false
    restore() {}
    focus() {}
  }

  const handlers = new Map<string, (event: unknown, input: unknown) => unknown>()
  const ipcMain = {
    handle: (channel: string, fn: (event: unknown, input: unknown) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  }

  const schemes: unknown[] = []
  const protocol = { registerSchemesAsPrivileged: (list: unknown[]) => schemes.push(...list) }

  const protocolHandlers = new Map<string, (request: Request) => Promise<Response> | Response>()
  type PermissionRequest = (wc: unknown, permission: string, cb: (ok: boolean) => void) => void
  type Check = (...args: unknown[]) => boolean
  type HeadersReceived = (details: unknown, cb: (response: unknown) => void) => void
  const defaultSession = {
    permissionRequest: null as PermissionRequest | null,
    permissionCheck: null as Check | null,
    devicePermission: null as Check | null,
    headersReceived: null as HeadersReceived | null,
    setPermissionRequestHandler(fn: PermissionRequest) {
      defaultSession.permissionRequest = fn
    },
    setPermissionCheckHandler(fn: Check) {
      defaultSession.permissionCheck = fn
    },
    setDevicePermissionHandler(fn: Check) {
      defaultSession.devicePermission = fn
    },
    webRequest: {
      onHeadersReceived(fn: HeadersReceived) {
        defaultSession.headersReceived = fn
      },
    },
    protocol: {
      handle: (scheme: string, fn: (request: Request) => Promise<Response> | Response) =>
        protocolHandlers.set(scheme, fn),
    },
  }

  const opened: string[] = []
  const shell = {
    openExternal: async (url: string) => {
      opened.push(url)
    },
  }

  // Named by its shape: the class's static side inherits EventEmitter's unnameable option types,
  // which a composite project's declaration emit refuses (TS4058).
  const BrowserWindow: {
    new (options: Record<string, unknown>): FakeBrowserWindow
    getAllWindows(): FakeBrowserWindow[]
    fromWebContents(wc: unknown): FakeBrowserWindow | null
  } = FakeBrowserWindow

  /** Message boxes main showed, and the button index the next one answers with (0: the first). */
  const asked: Array<Record<string, unknown>> = []
  const dialog = {
    answer: 1,
    showMessageBox: async (...args: unknown[]) => {
      asked.push(args[args.length - 1] as Record<string, unknown>)
      return { response: dialog.answer, checkboxChecked: false }
    },
  }

  return {
    module: { app, BrowserWindow, dialog, ipcMain, protocol, session: { defaultSession }, shell },
    dialog,
    asked,
    app,
    windows,
    handlers,
    schemes,
    protocolHandlers,
    defaultSession,
    opened,
  }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>
