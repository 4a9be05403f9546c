import { app, BrowserWindow, dialog, shell, type Session, type WebContents } from 'electron'
import {
  CONTENT_SECURITY_POLICY,
  externalPrompt,
  externalUrl,
  sameOrigin,
  subframeNavigationAllowed,
} from './policy'

/** Open a web link in the system browser; anything but http(s) is refused (see policy.externalUrl). */
export async function openInBrowser(url: string): Promise<boolean> {
  const safe = externalUrl(url)
  if (!safe) return false
  await shell.openExternal(safe)
  return true
}

/**
 * Session-wide rules: no permission is ever granted (the app needs none: no camera, no
 * notifications, no HID/USB), and every response loaded over http (the electron-vite dev server)
 * carries the app's CSP. Packaged builds get the same header from the app: protocol handler.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders }
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name]
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
    callback({ responseHeaders: headers })
  })
}

/**
 * Rules for every webContents the app ever creates (Electron security checklist 12–14): the
 * window may not navigate away from the app, may not open windows (web links go to the system
 * browser instead) and may not attach a <webview>.
 */
export function hardenAllContents(appUrl: () => string): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, appUrl))
}

function hardenContents(contents: WebContents, appUrl: () => string): void {
  contents.on('will-navigate', (event) => {
    if (!sameOrigin(event.url, appUrl())) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame && !sameOrigin(event.url, appUrl())) event.preventDefault()
  })
  // Electron checklist 13 covers the top frame; a subframe (the HTML preview) is held here.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !subframeNavigationAllowed(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void askThenOpen(contents, url).catch(() => {})
    return { action: 'deny' }
  })
}

/**
 * A link the page tried to open in a new window goes to the system browser only after the user
 * says so: a response (or a script that got into the page) must not be able to launch the
 * browser at a URL of its choosing, however harmless the scheme.
 */
async function askThenOpen(contents: WebContents, url: string): Promise<boolean> {
  const safe = externalUrl(url)
  if (!safe) return false
  const prompt = externalPrompt(safe)
  const options = { type: 'question' as const, defaultId: 1, cancelId: 1, noLink: true, ...prompt }
  const owner = BrowserWindow.fromWebContents(contents)
  const { response } = owner
    ? await dialog.showMessageBox(owner, options)
    : await dialog.showMessageBox(options)
  if (response !== 0) return false
  return openInBrowser(safe)
}
