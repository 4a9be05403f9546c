import { describe, expect, it } from 'vitest'
import { encodeMultipart, part } from '../../renderer/src/stores/multipart'
import { errorText } from '../../renderer/src/composables/errorText'
import { hintFrom, keepAliveText } from '../../renderer/src/composables/keepAlive'

// The composer's multipart encoding read back by a WHATWG parser (Response.formData), and the GUI wording
// of the engine's TLS messages (the e2e TLS test checks the real engine's text never shows --insecure).

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))

describe('multipart body', () => {
  it('encodes multipart fields and files that a WHATWG parser reads back', async () => {
    const file = {
      name: 'a "b".bin',
      type: 'application/octet-stream',
      bytes: new Uint8Array([0, 255, 13, 10, 45, 45]),
    }
    const out = encodeMultipart([
      part('title', 'héllo'),
      part('upload', '', file),
      { ...part('off', 'x'), enabled: false },
    ])
    const form = await new Response(fromBase64(out.base64), {
      headers: { 'content-type': out.contentType },
    }).formData()
    expect(form.get('title')).toBe('héllo')
    const got = form.get('upload') as File
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(file.bytes)
    expect(form.has('off')).toBe(false)
  })
})

describe('GUI wording of engine errors', () => {
  const tls = (code: 'TLS_SELF_SIGNED' | 'TLS_EXPIRED' | 'TLS_HOSTNAME_MISMATCH', message: string) => ({
    code,
    phase: 'tls' as const,
    message,
  })

  it('drops the CLI flag from the engine’s TLS messages and names the GUI’s way out', () => {
    const cases = [
      tls(
        'TLS_SELF_SIGNED',
        'TLS: self-signed certificate for 127.0.0.1:8443; use --insecure to skip verification',
      ),
      tls(
        'TLS_EXPIRED',
        "TLS: certificate for h:1 has expired; check the server's certificate (or the clock) or use --insecure",
      ),
      tls(
        'TLS_HOSTNAME_MISMATCH',
        'TLS: certificate of h:1 is for other.test, not 127.0.0.1; use a matching host name or --insecure',
      ),
    ]
    expect(cases.map((c) => errorText(c))).toEqual([
      "TLS: self-signed certificate for 127.0.0.1:8443; to go on anyway, trust this origin from the request's detail",
      "TLS: certificate for h:1 has expired; check the server's certificate (or the clock); to go on anyway, trust this origin from the request's detail",
      "TLS: certificate of h:1 is for other.test, not 127.0.0.1; use a matching host name; to go on anyway, trust this origin from the request's detail",
    ])
  })

  it('leaves the hint out where the trust offer sits beside the message', () => {
    const e = tls(
      'TLS_SELF_SIGNED',
      'TLS: self-signed certificate for h:1; use --insecure to skip verification',
    )
    expect(errorText(e, { hint: false })).toBe('TLS: self-signed certificate for h:1')
  })

  it('leaves other messages as the engine wrote them', () => {
    const e = {
      code: 'CONNECTION_REFUSED' as const,
      phase: 'connect' as const,
      message: 'connection refused by h:1',
    }
    expect(errorText(e)).toBe('connection refused by h:1')
  })
})

describe('keep-alive line', () => {
  const s = { keepAliveTimeout: 4000, keepAliveMaxTimeout: 600_000 }
  it('reads naturally when the server hint gives the default timer', () => {
    expect(keepAliveText(5, s)).toBe(
      'The server keeps idle sockets 5 s (Keep-Alive: timeout=5); Sockeye closes this one after 4.00 s idle: 1.00 s before the server would, so a socket is never reused just as the server closes it.',
    )
  })

  it('names the default it replaces, and the cap when the hint is above it', () => {
    expect(keepAliveText(30, s)).toMatch(
      /after 29.00 s idle \(instead of the default 4.00 s\): 1.00 s before/,
    )
    expect(keepAliveText(30, { ...s, keepAliveMaxTimeout: 10_000 })).toMatch(
      /after 10.00 s idle \(instead of the default 4.00 s\): the keep-alive maximum \(10.00 s\)\.$/,
    )
    expect(keepAliveText(null, s)).toBe(
      'No Keep-Alive hint from the server: Sockeye closes an idle socket after 4.00 s.',
    )
  })

  it('reads the hint from a Keep-Alive header', () => {
    expect(hintFrom([['Keep-Alive', 'timeout=5, max=100']])).toBe(5)
    expect(hintFrom([['content-type', 'text/plain']])).toBeNull()
  })
})
