import { readFile } from 'node:fs/promises'
import { protocol, type Session } from 'electron'
import { APP_SCHEME, CONTENT_SECURITY_POLICY, appFilePath, mimeType } from './policy'

/**
 * Declare `app:` a standard, secure scheme. Must run before `app` is ready. `corsEnabled` stays
 * unset on purpose: it would let other origins read our files (electron/electron#52912), and
 * same-origin module scripts load without it.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

const notFound = () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } })

/**
 * Serve the built renderer (`root` = out/renderer, inside app.asar when packaged) on
 * `app://sockeye/`, with the CSP header on every response: `onHeadersReceived` does not see
 * custom-protocol responses, so the header is set here.
 */
export function serveRenderer(session: Session, root: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405 })
    const file = appFilePath(root, request.url)
    if (!file) return notFound()
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': mimeType(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        },
      })
    } catch {
      return notFound()
    }
  })
}
