import { app, shell, type Session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY, externalUrl, sameOrigin } from './policy'

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
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void openInBrowser(url).catch(() => {})
    return { action: 'deny' }
  })
}
