import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { createEngine } from '../engine'
import { installLastResort } from '../engine/last-resort'
import { createHost } from '../host/host'
import { defaultHistoryFile } from '../workspace/history'
import { uiStatePath } from '../host/ui-state'
import { cookieJarPath } from '../host/cookies'
import { forwardEvents, registerIpc } from './ipc'
import { APP_ENTRY, devRendererUrl, devToolsAllowed } from './policy'
import { registerAppScheme, serveRenderer } from './protocol'
import { hardenAllContents, hardenSession, openInBrowser } from './security'
import { createMainWindow } from './window'

// out/main/index.js → out/preload/index.cjs and out/renderer/ (inside app.asar when packaged).
const here = fileURLToPath(new URL('.', import.meta.url))
const PRELOAD = join(here, '../preload/index.cjs')
const RENDERER_ROOT = join(here, '../renderer')

// The dev server only when unpackaged and on loopback; otherwise the built files on app://.
const appUrl = devRendererUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged) ?? APP_ENTRY

// A bug must not take the app down with a dialog and a stack trace: one line on stderr.
installLastResort((line) => process.stderr.write(`${line}\n`))
const devTools = devToolsAllowed(app.isPackaged, process.argv, process.env)

let win: BrowserWindow | null = null
const getWindow = () => win

function openWindow(): void {
  win = createMainWindow({ preload: PRELOAD, url: appUrl, devTools })
  win.on('closed', () => {
    win = null
  })
}

if (!app.requestSingleInstanceLock()) {
  // Another Sockeye already runs: it gets focus (below) and this one leaves before opening anything.
  app.quit()
} else {
  // Before `ready`: privileged scheme registration and the global renderer sandbox must come first.
  registerAppScheme()
  app.enableSandbox()
  hardenAllContents(() => appUrl)

  const engine = createEngine()
  const host = createHost(engine, {
    openExternal: openInBrowser,
    historyFile: defaultHistoryFile(),
    uiStatePath: uiStatePath(),
    cookieJarPath: cookieJarPath(),
  })

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  app.whenReady().then(() => {
    hardenSession(session.defaultSession)
    serveRenderer(session.defaultSession, RENDERER_ROOT)
    registerIpc(host, getWindow, () => appUrl)
    forwardEvents(host, getWindow)
    openWindow()
    // macOS keeps the app alive without windows; clicking the dock icon opens one again.
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Close the engine's pools (sockets, demo server) before exiting; the host does not own the engine.
  let shutdown: Promise<void> | null = null
  app.on('will-quit', (event) => {
    if (shutdown) return
    event.preventDefault()
    shutdown = host
      .close()
      .then(() => engine.close())
      .catch(() => {})
      .finally(() => app.quit())
  })
}
