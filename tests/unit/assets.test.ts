import { readFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assetFile, contentSecurityPolicy, contentType } from '../../electron/host/assets'
import { CONTENT_SECURITY_POLICY, mimeType } from '../../electron/main/policy'

const root = join(sep, 'opt', 'sockeye', 'out', 'renderer')

describe('shared renderer assets (desktop app and browser mode)', () => {
  it('states the same policy as the meta tag in renderer/index.html', () => {
    const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(contentSecurityPolicy("'self' ws://127.0.0.1:*"))
  })

  it('gives main the IPC-only variant of the same policy and the same type table', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(contentSecurityPolicy("'self'"))
    expect(mimeType('/x/a.woff2')).toBe(contentType('/x/a.woff2'))
  })

  it('maps decoded paths under the root and refuses dot segments, dot-files and separators', () => {
    expect(assetFile(root, '/assets/a.js')).toBe(join(root, 'assets', 'a.js'))
    for (const path of ['/../etc/passwd', '/a/./b', '/.env', '/a\\b', '/a\0b', 'relative', '/']) {
      expect(assetFile(root, path), path).toBeNull()
    }
  })
})
