import { assetFile, contentSecurityPolicy, decodePath } from '../host/assets'
import type { SockeyeError } from '../contract'
import { LIMITS } from '../contract/limits'

/**
 * The Electron main process's security decisions as plain functions (no `electron` import), so
 * they can be unit-tested in Node. The Electron glue in this folder only feeds them facts.
 */

/**
 * The packaged renderer is served from a custom standard scheme rather than `file://`: every
 * `file://` page shares one origin with every other local file, so neither CSP `'self'` nor an
 * origin check could tell our page from any other file (Electron security checklist, item 18).
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'sockeye'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** The renderer's Content-Security-Policy, sent as a response header; the desktop app talks IPC only. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self'")

/** The parsed URL, or null when `value` is not an absolute URL. */
function parseUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/**
 * `scheme://host[:port]` of a URL, or null when it does not parse or has no host. Computed by hand
 * because WHATWG `URL.origin` is the opaque "null" for non-special schemes such as `app:`, which
 * would make every custom-scheme URL look alike.
 */
export function originOf(url: string): string | null {
  const parsed = parseUrl(url)
  if (!parsed || parsed.host === '') return null
  return `${parsed.protocol}//${parsed.host}`.toLowerCase()
}

/** True when both URLs parse and share scheme, host and port. `file:` never matches anything. */
export function sameOrigin(a: string, b: string): boolean {
  const originA = originOf(a)
  return originA !== null && originA === originOf(b)
}

/**
 * The URL the system browser may open, or null. Only absolute http(s) URLs pass: anything else
 * (`file:`, `smb:`, custom handlers, `javascript:`) can launch programs on the user's machine,
 * which is what an unchecked `shell.openExternal` allowed in Bruno (CVE-2024-48463).
 */
export function externalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > LIMITS.urlChars) return null
  const parsed = parseUrl(url)
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null
  return parsed.hostname === '' ? null : parsed.href
}

/**
 * The dev-server URL from electron-vite (`ELECTRON_RENDERER_URL`), accepted only when unpackaged
 * and only on loopback http: an environment variable must not be able to point the privileged
 * window (which has our preload) at a remote site.
 */
export function devRendererUrl(value: string | undefined, packaged: boolean): string | null {
  if (packaged || value === undefined || value === '') return null
  const parsed = parseUrl(value)
  if (!parsed) return null
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
  return parsed.protocol === 'http:' && loopback ? parsed.href : null
}

/** What main knows about the frame that sent an IPC message. */
export interface SenderFacts {
  /** The message came from our window's webContents. */
  fromOurWindow: boolean
  /** The sending frame is that webContents' top-level frame (not an iframe). */
  isMainFrame: boolean
  /** The sending frame's current URL; null when the frame is gone (navigated or destroyed). */
  frameUrl: string | null
}

/**
 * Whether an IPC message may reach the engine: only our window's top frame, while it shows our
 * app. Electron's checklist item 17: any frame (an iframe, or the window after a navigation)
 * can reach `ipcRenderer` through a compromised preload context.
 */
export function isTrustedSender(sender: SenderFacts, appUrl: string): boolean {
  return (
    sender.fromOurWindow &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    sameOrigin(sender.frameUrl, appUrl)
  )
}

/** The error an untrusted sender gets back instead of a result. */
export function forbiddenSender(name: string): SockeyeError {
  return {
    code: 'FORBIDDEN',
    phase: 'input',
    message: `${name}: refused, the message did not come from the Sockeye window`,
  }
}

/**
 * The file under `root` that an `app://sockeye/…` request maps to, or null when the request is
 * for another host or would escape `root` (`..`, encoded separators, absolute paths). `/` maps to
 * index.html. URL parsing has already clamped literal dot segments; the shared guard checks the rest.
 */
export function appFilePath(root: string, requestUrl: string): string | null {
  const parsed = parseUrl(requestUrl)
  if (!parsed) return null
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  const pathname = decodePath(parsed.pathname)
  if (pathname === null) return null
  return assetFile(root, pathname === '/' || pathname === '' ? '/index.html' : pathname)
}

/** Content type for a renderer asset: the same table browser mode serves the same files with. */
export { contentType as mimeType } from '../host/assets'

/**
 * Whether the window may open DevTools: never in a packaged build (a user's DevTools console is the
 * easiest way to run code next to the preload's API), and in development only when asked for with
 * `--devtools` or `SOCKEYE_DEVTOOLS=1`.
 */
export function devToolsAllowed(packaged: boolean, argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return !packaged && (argv.includes('--devtools') || env.SOCKEYE_DEVTOOLS === '1')
}

/**
 * Whether a frame inside the window may navigate to `url`. Subframes never go anywhere: the only
 * frame the app makes is the sandboxed HTML preview, which loads its `srcdoc` (about:srcdoc) and
 * must not follow a link or a refresh to a page of the response's choosing.
 */
export function subframeNavigationAllowed(url: string): boolean {
  return url === 'about:srcdoc' || url === 'about:blank'
}

/** The question asked before a link leaves the app for the system browser. */
export function externalPrompt(url: string): { message: string; detail: string; buttons: string[] } {
  return {
    message: 'Open this link in your browser?',
    detail: url.length > 300 ? `${url.slice(0, 300)}…` : url,
    buttons: ['Open in browser', 'Cancel'],
  }
}
