import { extname, resolve, sep } from 'node:path'

/**
 * What the desktop app (app:// protocol) and browser mode (HTTP) both need to serve the built
 * renderer: one content-type table, one Content-Security-Policy, one path guard. Plain Node, so
 * main never has to import browser mode (or the other way round) to share them.
 */

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

/**
 * The renderer's Content-Security-Policy (renderer/index.html's meta tag says the same).
 * `connectSrc` differs by host: the desktop app talks IPC only (`'self'`), browser mode also opens
 * its WebSocket. `frame-src 'none'`: the script-less preview of HTML/SVG responses is a sandboxed
 * `srcdoc` frame, which frame-src does not govern.
 */
export function contentSecurityPolicy(connectSrc = "'self'"): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src ${connectSrc}`,
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
}

/**
 * The file under `root` that a decoded request path (`/assets/x.js`) names, or null. NUL bytes,
 * backslashes, `.`/`..` segments and dot-files are refused, and the resolved path must still lie
 * under root, so no encoding trick reaches a file outside the built renderer.
 */
export function assetFile(root: string, decodedPath: string): string | null {
  if (!decodedPath.startsWith('/') || decodedPath.includes('\0') || decodedPath.includes('\\')) return null
  const segments = decodedPath.split('/')
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null
  const base = resolve(root)
  const file = resolve(base, `.${decodedPath}`)
  return file.startsWith(base + sep) ? file : null
}

/** `decodeURIComponent`, or null for malformed percent-encoding. */
export function decodePath(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}
