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

/**
 * A certificate the engine refused, with what the handshake showed: the error undici passes on to
 * the socket's requests, so their results can show the certificate before the user trusts it.
 * `code` is Node's verification code (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID…),
 * which the error classifier matches; `cert` is the raw certificate, as Node attaches it to an
 * altname error.
 */
export class TlsRefusal extends Error {
  readonly code: string
  readonly tls: TlsInfo
  readonly cert: PeerCertificate
  constructor(code: string, tls: TlsInfo, cert: PeerCertificate) {
    super(VERIFY_TEXT[code] ?? `certificate verification failed (${code})`)
    this.name = 'TlsRefusal'
    this.code = code
    this.tls = tls
    this.cert = cert
  }
}

// OpenSSL's own wording for the common verification results (X509_verify_cert_error_string).
const VERIFY_TEXT: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  INVALID_CA: 'invalid CA certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: "Hostname/IP does not match certificate's altnames",
}

/**
 * The verification Node would have done with `rejectUnauthorized: true`, done one step later:
 * Node destroys a refused socket before anyone can read its certificate, so the engine connects
 * with verification reported (not enforced) and refuses here, before undici writes a byte, when
 * Node says the peer is not authorized (chain, or host name). Null: the socket may be used.
 */
export function refusal(socket: TLSSocket, key: string): TlsRefusal | null {
  if (socket.authorized) return null
  const info = tlsInfo(socket, key)
  return new TlsRefusal(info.authorizationError ?? 'CERT_UNTRUSTED', info, socket.getPeerCertificate(false))
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
