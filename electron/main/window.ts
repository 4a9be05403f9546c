import { BrowserWindow } from 'electron'

export interface WindowOptions {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preload: string
  /** What the window loads: `app://sockeye/index.html`, or the dev server's URL. */
  url: string
  /** DevTools may be opened (policy.devToolsAllowed: never when packaged). */
  devTools: boolean
}

/**
 * The one app window, with every web preference of Electron's security checklist spelled out
 * (even where it is the default, so a reader or electronegativity sees it). Shown only when the
 * first paint is ready, to avoid a white flash.
 */
export function createMainWindow({ preload, url, devTools }: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Sockeye',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 520,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
      // Middle-click would otherwise ask for a new window (denied anyway by the window-open handler).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  win.once('ready-to-show', () => win.show())
  win.loadURL(url).catch((error: unknown) => {
    // Usually a missing build (out/renderer): say so in one line rather than an unhandled rejection.
    const reason = String((error as Error)?.message ?? error).split('\n')[0]
    console.error(`Sockeye: could not load ${url} (${reason}); run \`npm run build\` first`)
  })
  return win
}
