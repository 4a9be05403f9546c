import type { PeerCertificate, TLSSocket } from 'node:tls'
import type { CertificateSummary, TlsInfo } from '../../contract'

/*
 * A resumed TLS session skips the certificate exchange: Node then reports an empty peer
 * certificate. The certificate seen in the session's full handshake is kept per server name and
 * port (bounded) and shown for the resumed sockets, with `resumed: true`.
 */
const MAX_KEPT = 256
const certificates = new Map<string, CertificateSummary>()

/** TLS facts of a connected socket, keyed for resumption by `key` (servername:port). */
export function tlsInfo(socket: TLSSocket, key: string): TlsInfo {
  const info = describe(socket)
  const resumed = socket.isSessionReused()
  info.resumed = resumed
  if (info.peer) {
    if (certificates.size >= MAX_KEPT && !certificates.has(key)) {
      const oldest = certificates.keys().next().value
      if (oldest !== undefined) certificates.delete(oldest)
    }
    certificates.set(key, info.peer)
  } else if (resumed) info.peer = certificates.get(key) ?? null
  return info
}

function describe(socket: TLSSocket): TlsInfo {
  const cipher = socket.getCipher()
  const authError = socket.authorizationError as unknown
  return {
    version: socket.getProtocol() ?? '',
    cipher: cipher?.name ?? '',
    alpn: socket.alpnProtocol || null,
    servername: (socket as TLSSocket & { servername?: string | false }).servername || null,
    authorized: socket.authorized,
    authorizationError: authError ? String(authError) : null,
    peer: certificateSummary(socket.getPeerCertificate(false)),
  }
}

function dn(name: Record<string, string | string[]> | undefined): string {
  if (!name) return ''
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ')
}

/** Summary of the peer certificate, or null when the peer sent none. */
export function certificateSummary(cert: PeerCertificate | null | undefined): CertificateSummary | null {
  if (!cert || Object.keys(cert).length === 0) return null
  const subject = dn(cert.subject as unknown as Record<string, string>)
  const issuer = dn(cert.issuer as unknown as Record<string, string>)
  return {
    subject,
    issuer,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    san: cert.subjectaltname ? cert.subjectaltname.split(/,\s*/) : [],
    fingerprint256: cert.fingerprint256,
    selfSigned: subject === issuer,
  }
}
