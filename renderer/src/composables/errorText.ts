import type { ErrorCode, SockeyeError } from '../api/contract'

/** TLS failures the user can get past by trusting the origin (skipping verification) in the GUI. */
export const TRUSTABLE: ReadonlySet<ErrorCode> = new Set([
  'TLS_SELF_SIGNED',
  'TLS_EXPIRED',
  'TLS_HOSTNAME_MISMATCH',
])

// The engine's messages are written for the CLI too ("use --insecure"). A flag means nothing in the
// GUI, so its clause is dropped and the GUI's own way out is named instead.
// The CLI's --max-redirs is the composer's "Follow redirects (max N)".
const MAX_REDIRS = /raise --max-redirs/
const REDIRECTS_HINT = "raise the max beside 'Follow redirects' in the composer"
const CLI_HINT = /;\s*use --insecure to skip verification|,?\s*or use --insecure|,?\s*or --insecure/g

/**
 * An engine error's message as the GUI says it (no CLI flags). `hint: false` where the way out is
 * offered right beside the message (the request's detail).
 */
export function errorText(error: SockeyeError, options: { hint?: boolean } = {}): string {
  if (error.code === 'TOO_MANY_REDIRECTS') return error.message.replace(MAX_REDIRS, REDIRECTS_HINT)
  if (!error.message.includes('--insecure')) return error.message
  const text = error.message.replace(CLI_HINT, '')
  const hint = options.hint !== false && TRUSTABLE.has(error.code)
  return hint ? `${text}; to go on anyway, trust this origin from the request's detail` : text
}
