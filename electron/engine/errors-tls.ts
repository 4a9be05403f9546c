import type { SockeyeError } from '../contract'
import { firstLine, sockeyeError, str, type ErrorLike } from './errors-base'
import type { ErrorContext } from './errors'

/* TLS and DNS failures: the ones a person fixes outside Sockeye (certificate, host name, resolver). */

/** Codes of OpenSSL certificate verification failures that mean "self-signed" (openssl verify(1)). */
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'])
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const TLS_OTHER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'EPROTO',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
])

/** OpenSSL verification and handshake failures, by Node's error code. */
export function classifyTls(code: string, e: ErrorLike, at: string): SockeyeError | null {
  if (SELF_SIGNED.has(code)) {
    return sockeyeError(
      'TLS_SELF_SIGNED',
      'tls',
      `TLS: self-signed certificate for ${at}; use --insecure to skip verification`,
    )
  }
  if (EXPIRED.has(code)) {
    const when = code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not yet valid'
    return sockeyeError(
      'TLS_EXPIRED',
      'tls',
      `TLS: certificate for ${at} ${when}; check the server's certificate (or the clock) or use --insecure`,
    )
  }
  if (TLS_OTHER.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return sockeyeError(
      'TLS_FAILED',
      'tls',
      `TLS handshake with ${at} failed: ${firstLine(e, code)} (${code})`,
    )
  }
  return null
}

/** ERR_TLS_CERT_ALTNAME_INVALID: the certificate is valid, but not for the host name asked for. */
export function classifyAltName(e: ErrorLike, c: ErrorContext, at: string): SockeyeError {
  // Node attaches the peer certificate; its subjectAltName says which names it is valid for.
  const san = str((e as { cert?: { subjectaltname?: unknown } }).cert?.subjectaltname)
  const names = san
    .split(',')
    .map((n) => n.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean)
  const valid =
    names.length > 0 ? `is for ${names.slice(0, 3).join(', ')}, not ${c.host}` : `is not for ${c.host}`
  return sockeyeError(
    'TLS_HOSTNAME_MISMATCH',
    'tls',
    `TLS: certificate of ${at} ${valid}; use a matching host name or --insecure`,
  )
}

/** getaddrinfo failures: ENOTFOUND (no such name) and the EAI_* family (resolver trouble). */
export function classifyDns(code: string, c: ErrorContext): SockeyeError | null {
  if (code === 'ENOTFOUND') {
    return sockeyeError('DNS_FAILED', 'dns', `DNS: cannot resolve ${c.host} (ENOTFOUND); check the host name`)
  }
  if (!code.startsWith('EAI_')) return null
  const hint = code === 'EAI_AGAIN' ? 'temporary failure; check your network or DNS server' : 'lookup failed'
  return sockeyeError('DNS_FAILED', 'dns', `DNS: cannot resolve ${c.host} (${code}): ${hint}`)
}
