import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  appFilePath,
  devRendererUrl,
  devToolsAllowed,
  subframeNavigationAllowed,
  externalUrl,
  forbiddenSender,
  isTrustedSender,
  mimeType,
  originOf,
  sameOrigin,
} from '../../electron/main/policy'

describe('main policy: origins', () => {
  it('gives a custom-scheme URL its own origin instead of the opaque "null"', () => {
    expect(originOf('app://sockeye/index.html')).toBe('app://sockeye')
    expect(new URL('app://sockeye/index.html').origin).toBe('null')
  })

  it('treats the app page and its assets as one origin', () => {
    expect(sameOrigin(APP_ENTRY, 'app://sockeye/assets/index.js#x')).toBe(true)
  })

  it('tells the app apart from a look-alike host, another scheme or another port', () => {
    expect(sameOrigin(APP_ENTRY, 'app://sockeye.evil/index.html')).toBe(false)
    expect(sameOrigin(APP_ENTRY, 'https://sockeye/index.html')).toBe(false)
    expect(sameOrigin('http://localhost:5173/', 'http://localhost:5174/')).toBe(false)
  })

  it('never matches file: URLs or unparsable input', () => {
    expect(sameOrigin('file:///etc/passwd', 'file:///tmp/x.html')).toBe(false)
    expect(sameOrigin('not a url', 'not a url')).toBe(false)
  })
})

describe('main policy: openExternal', () => {
  it('passes http and https URLs, normalized', () => {
    expect(externalUrl('https://example.com/a b')).toBe('https://example.com/a%20b')
    expect(externalUrl('HTTP://Example.com')).toBe('http://example.com/')
  })

  it('refuses schemes that can launch programs (the Bruno CVE-2024-48463 class)', () => {
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'smb://attacker/share/x.exe',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/etc/passwd',
    ]) {
      expect(externalUrl(url), url).toBeNull()
    }
  })

  it('refuses non-strings, relative URLs and oversize input without throwing', () => {
    for (const url of [undefined, null, 42, {}, '/relative', '', `https://x/${'a'.repeat(9000)}`]) {
      expect(externalUrl(url)).toBeNull()
    }
  })
})

describe('main policy: dev renderer URL', () => {
  it('accepts electron-vite’s loopback dev server when unpackaged', () => {
    expect(devRendererUrl('http://localhost:5173', false)).toBe('http://localhost:5173/')
    expect(devRendererUrl('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173/')
  })

  it('ignores the variable in a packaged app', () => {
    expect(devRendererUrl('http://localhost:5173', true)).toBeNull()
  })

  it('refuses a remote or non-http dev URL', () => {
    expect(devRendererUrl('https://evil.example/', false)).toBeNull()
    expect(devRendererUrl('http://localhost.evil.example:5173/', false)).toBeNull()
    expect(devRendererUrl('file:///tmp/index.html', false)).toBeNull()
    expect(devRendererUrl(undefined, false)).toBeNull()
  })
})

describe('main policy: IPC sender check', () => {
  const ok = { fromOurWindow: true, isMainFrame: true, frameUrl: 'app://sockeye/index.html' }

  it('trusts our window’s top frame showing the app', () => {
    expect(isTrustedSender(ok, APP_ENTRY)).toBe(true)
  })

  it('refuses another window, a subframe, a navigated frame or a destroyed frame', () => {
    expect(isTrustedSender({ ...ok, fromOurWindow: false }, APP_ENTRY)).toBe(false)
    expect(isTrustedSender({ ...ok, isMainFrame: false }, APP_ENTRY)).toBe(false)
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, APP_ENTRY)).toBe(false)
    expect(isTrustedSender({ ...ok, frameUrl: null }, APP_ENTRY)).toBe(false)
  })

  it('answers an untrusted sender with a one-line FORBIDDEN error naming the call', () => {
    const error = forbiddenSender('send')
    expect(error).toEqual({ code: 'FORBIDDEN', phase: 'input', message: expect.stringMatching(/^send: /) })
    expect(error.message).not.toContain('\n')
  })
})

describe('main policy: app:// file mapping', () => {
  const root = join(sep, 'opt', 'sockeye', 'out', 'renderer')

  it('maps the root to index.html and assets under the root', () => {
    expect(appFilePath(root, 'app://sockeye/')).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://sockeye/assets/index-1.js?v=1')).toBe(join(root, 'assets', 'index-1.js'))
  })

  it('refuses paths that escape the root, plain or percent-encoded', () => {
    for (const url of [
      'app://sockeye/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://sockeye/..%5c..%5cwindows',
      'app://sockeye/a%00.js',
      'app://sockeye/%E0%A4%A',
    ]) {
      expect(appFilePath(root, url), url).toBeNull()
    }
  })

  it('clamps literal dot segments at the root, as URL parsing does', () => {
    expect(appFilePath(root, 'app://sockeye/../../main/index.js')).toBe(join(root, 'main', 'index.js'))
    expect(appFilePath(root, 'app://sockeye/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'))
  })

  it('refuses another host or scheme', () => {
    expect(appFilePath(root, 'app://other/index.html')).toBeNull()
    expect(appFilePath(root, 'https://sockeye/index.html')).toBeNull()
  })

  it('serves known asset types with their MIME type and anything else as opaque bytes', () => {
    expect(mimeType('/x/index.html')).toBe('text/html; charset=utf-8')
    expect(mimeType('/x/a.JS')).toBe('text/javascript; charset=utf-8')
    expect(mimeType('/x/data.bin')).toBe('application/octet-stream')
  })
})

describe('main policy: Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/)
      return [name, values] as const
    }),
  )

  it('allows scripts only from the app itself (no inline, no eval)', () => {
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('default-src')).toEqual(["'self'"])
  })

  it('refuses plugins, base rewriting, form posts and remote connections', () => {
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('form-action')).toEqual(["'none'"])
    expect(directives.get('connect-src')).toEqual(["'self'"])
    expect(directives.get('frame-src')).toEqual(["'none'"])
  })
})

describe('main policy: DevTools and subframes', () => {
  it('never allows DevTools in a packaged build, even with the flag', () => {
    expect(devToolsAllowed(true, ['--devtools'], { SOCKEYE_DEVTOOLS: '1' })).toBe(false)
  })

  it('allows DevTools in development only with --devtools or SOCKEYE_DEVTOOLS=1', () => {
    expect(devToolsAllowed(false, [], {})).toBe(false)
    expect(devToolsAllowed(false, ['electron', '.', '--devtools'], {})).toBe(true)
    expect(devToolsAllowed(false, [], { SOCKEYE_DEVTOOLS: '1' })).toBe(true)
  })

  it('lets a subframe load only its srcdoc', () => {
    expect(subframeNavigationAllowed('about:srcdoc')).toBe(true)
    expect(subframeNavigationAllowed('http://127.0.0.1:8080/')).toBe(false)
    expect(subframeNavigationAllowed('javascript:alert(1)')).toBe(false)
  })
})
