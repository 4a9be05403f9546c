import { readFile, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

/** The built renderer, ready to serve. */
export interface Site {
  /** Absolute directory; no file outside it is ever served. */
  root: string
  indexHtml: Buffer
  /** The renderer's own Content-Security-Policy, sent as a header too. */
  csp: string
}

/** Used when the built page carries no CSP meta tag (it always should): the same policy. */
const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:*; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

/** Content type by extension; unknown files are bytes, never sniffed into HTML. */
export const contentType = (file: string): string =>
  TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'

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
 * Map a request path to a file under `root`, or null. `..` segments are refused on the raw path
 * (WHATWG URL parsing would silently drop them, hiding the attempt) and again after decoding
 * (`%2e%2e`, `%2f`); the resolved path must still lie under root.
 */
export function resolveAsset(root: string, rawPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return null
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.split('/')
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null
  const file = resolve(root, `.${decoded}`)
  return file.startsWith(root + sep) ? file : null
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
