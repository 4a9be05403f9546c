/** Which auth helper a draft uses. */
export type AuthKind = 'none' | 'basic' | 'bearer' | 'apikey'

/** The auth helper's fields; only the fields of `kind` are used. */
export interface Auth {
  kind: AuthKind
  user: string
  password: string
  token: string
  keyName: string
  keyValue: string
  keyIn: 'header' | 'query'
}

export const noAuth = (): Auth => ({
  kind: 'none',
  user: '',
  password: '',
  token: '',
  keyName: '',
  keyValue: '',
  keyIn: 'header',
})

/** UTF-8 bytes as base64 (RFC 7617 §2.1: the user-pass is UTF-8 when the server allows it). */
export function utf8Base64(text: string): string {
  let binary = ''
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b)
  return btoa(binary)
}

/** The header the helper adds, or null (none, or the fields are still empty). */
export function authHeader(auth: Auth): [string, string] | null {
  if (auth.kind === 'basic' && (auth.user !== '' || auth.password !== '')) {
    return ['authorization', `Basic ${utf8Base64(`${auth.user}:${auth.password}`)}`]
  }
  if (auth.kind === 'bearer' && auth.token.trim() !== '')
    return ['authorization', `Bearer ${auth.token.trim()}`]
  if (auth.kind === 'apikey' && auth.keyIn === 'header' && auth.keyName.trim() !== '') {
    return [auth.keyName.trim(), auth.keyValue]
  }
  return null
}

/** The query parameter the helper adds (API key in the query), or null. */
export function authQuery(auth: Auth): [string, string] | null {
  if (auth.kind === 'apikey' && auth.keyIn === 'query' && auth.keyName.trim() !== '') {
    return [auth.keyName.trim(), auth.keyValue]
  }
  return null
}

/** A restored auth object with every field checked (saved state is untrusted). */
export function toAuth(value: unknown): Auth {
  const out = noAuth()
  if (!value || typeof value !== 'object') return out
  const v = value as Record<string, unknown>
  if (v.kind === 'basic' || v.kind === 'bearer' || v.kind === 'apikey') out.kind = v.kind
  for (const key of ['user', 'password', 'token', 'keyName', 'keyValue'] as const) {
    if (typeof v[key] === 'string') out[key] = v[key]
  }
  if (v.keyIn === 'query') out.keyIn = 'query'
  return out
}

/** What may be remembered in browser storage: the kind and the names, never a secret. */
export function withoutSecrets(auth: Auth): Partial<Auth> {
  return { kind: auth.kind, user: auth.user, keyName: auth.keyName, keyIn: auth.keyIn }
}
