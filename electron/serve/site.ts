import { readFile, stat } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import { assetFile, contentSecurityPolicy, decodePath } from '../host/assets'

/** The built renderer, ready to serve. */
export interface Site {
  /** Absolute directory; no file outside it is ever served. */
  root: string
  indexHtml: Buffer
  /** The renderer's own Content-Security-Policy, sent as a header too. */
  csp: string
}

/** Used when the built page carries no CSP meta tag (it always should): the same policy. */
const FALLBACK_CSP = contentSecurityPolicy("'self' ws://127.0.0.1:*")

/** Thrown by `loadSite` with a one-line message for the person running `sockeye serve`. */
export class SiteMissingError extends Error {
  override name = 'SiteMissingError'
}

/** Read the built renderer's index page and its CSP; fails with one line when it was not built. */
export async function loadSite(dir: string): Promise<Site> {
  const root = resolve(dir)
  let indexHtml: Buffer
  try {
    indexHtml = await readFile(resolve(root, 'index.html'))
  } catch {
    throw new SiteMissingError(
      `the browser UI is not built (no ${root}${sep}index.html): run npm run build first`,
    )
  }
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(
    indexHtml.toString('utf8'),
  )
  const csp = (meta?.[1] ?? FALLBACK_CSP).replace(/\s+/g, ' ').trim()
  return { root, indexHtml, csp }
}

/**
 * Map a raw request path to a file under `root`, or null. The guard sees the decoded path, so
 * `%2e%2e` and `%2f` are refused like literal `..` (which WHATWG URL parsing would silently drop).
 */
export function resolveAsset(root: string, rawPath: string): string | null {
  const decoded = decodePath(rawPath)
  return decoded === null ? null : assetFile(root, decoded)
}

/** Read a regular file, or null when it does not exist (or is a directory). */
export async function readAsset(file: string): Promise<Buffer | null> {
  try {
    if (!(await stat(file)).isFile()) return null
    return await readFile(file)
  } catch {
    return null
  }
}

/** Headers on every response, including errors. Never any Access-Control-Allow-* header. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    // frame-ancestors only works as a header (not in a meta tag): no other page may frame the UI.
    'content-security-policy': `${csp}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    // Stops other sites from pulling our scripts in with <script src> (XSSI).
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
  }
}
