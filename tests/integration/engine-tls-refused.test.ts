/**
 * A certificate that fails verification is refused before any request byte is written, and the
 * engine keeps what the handshake showed: the peer certificate summary on the failed result and on
 * the socket's ConnectionInfo (authorized false, Node's verification code). Node's own
 * X509Certificate is the judge of the fingerprint; the server's request count says nothing was sent.
 */
import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { makeCertificate, startHttpsServer, type Handler } from '../helpers/servers'
import { closeAfterEach, get } from '../helpers/engine'

const t = closeAfterEach()

/** Counts the requests that reached the handler (a refused socket must carry none). */
function counting(): { handler: Handler; count: () => number } {
  let n = 0
  return {
    handler: (_req, res) => {
      n++
      res.end('ok')
    },
    count: () => n,
  }
}

describe('TLS verification refused', () => {
  it('keeps the self-signed certificate it refused, with the fingerprint Node computes', async () => {
    const seen = counting()
    const server = await startHttpsServer(seen.handler)
    t.server = server
    t.engine = createEngine()
    const result = await t.engine.send(get(`${server.url}/secret`))

    expect(result.error?.code).toBe('TLS_SELF_SIGNED')
    const x509 = new X509Certificate(server.cert)
    expect(result.peer?.fingerprint256).toBe(x509.fingerprint256)
    expect(result.peer).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost', selfSigned: true })
    expect(result.peer?.san).toEqual(['DNS:localhost', 'IP Address:127.0.0.1'])
    expect(new Date(result.peer!.validTo).getTime()).toBe(new Date(x509.validTo).getTime())
    const socket = t.engine.connections().find((c) => c.id === result.socket || c.error)
    expect(socket?.tls).toMatchObject({
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      peer: { fingerprint256: x509.fingerprint256 },
    })
    expect(socket?.closeReason).toBe('error')
    expect(seen.count()).toBe(0)
  })

  it('keeps an expired certificate it refused, with its validity dates', async () => {
    const seen = counting()
    const certificate = await makeCertificate({ expired: true })
    t.server = await startHttpsServer(seen.handler, certificate)
    t.engine = createEngine()
    const result = await t.engine.send(get(t.server.url))
    const x509 = new X509Certificate(certificate.cert)
    expect(result.error?.code).toBe('TLS_EXPIRED')
    expect(new Date(result.peer!.validTo).getTime()).toBe(new Date(x509.validTo).getTime())
    expect(new Date(result.peer!.validTo).getTime()).toBeLessThan(Date.now())
    expect(result.peer?.fingerprint256).toBe(x509.fingerprint256)
    expect(seen.count()).toBe(0)
  })

  it('still sends once verification is off for the origin, and then reports it as not verified', async () => {
    const seen = counting()
    t.server = await startHttpsServer(seen.handler)
    t.engine = createEngine()
    const refused = await t.engine.send(get(t.server.url))
    expect(refused.error?.code).toBe('TLS_SELF_SIGNED')
    t.engine.configure(t.server.origin, { rejectUnauthorized: false })
    const sent = await t.engine.send(get(t.server.url))
    expect([sent.error, sent.status, sent.peer]).toEqual([null, 200, undefined])
    expect(seen.count()).toBe(1)
    const open = t.engine.connections().find((c) => c.id === sent.socket)
    expect(open?.tls).toMatchObject({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
  })
})
