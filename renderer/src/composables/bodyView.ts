import type { BodyPayload } from '../api/contract'

/** The ways a response body can be shown. */
export type BodyView = 'pretty' | 'raw' | 'hex' | 'image' | 'preview'

/** The body's bytes, whatever encoding it crossed the boundary in. */
export function bodyBytes(body: BodyPayload): Uint8Array {
  if (body.encoding === 'utf8') return new TextEncoder().encode(body.data)
  const bin = atob(body.data)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** The body as text (lossy for binary; only offered for text types). */
export function bodyText(body: BodyPayload): string {
  return body.encoding === 'utf8' ? body.data : new TextDecoder().decode(bodyBytes(body))
}

const mime = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase()
/** `application/json` and `+json` types (RFC 6839 structured syntax suffix). */
export const isJson = (ct: string | null) => /^application\/([\w.+-]+\+)?json$/.test(mime(ct))
/** Any `image/*` type. */
export const isImage = (ct: string | null) => mime(ct).startsWith('image/')
/** HTML, which is never rendered in the app: text by default, or a sandboxed preview on request. */
export const isHtml = (ct: string | null) => ['text/html', 'application/xhtml+xml'].includes(mime(ct))

/**
 * The views that make sense for a body, best first. Markup (HTML, SVG) always starts as text: a
 * hostile response must be opened on purpose, and even then only in a sandbox or an <img>.
 */
export function viewsFor(body: BodyPayload): BodyView[] {
  const ct = body.contentType
  if (isImage(ct)) return mime(ct) === 'image/svg+xml' ? ['raw', 'image', 'hex'] : ['image', 'hex']
  if (isJson(ct)) return ['pretty', 'raw', 'hex']
  if (isHtml(ct)) return ['raw', 'preview', 'hex']
  return body.encoding === 'utf8' ? ['raw', 'hex'] : ['hex', 'raw']
}

/** A classic hex dump: offset, 16 bytes, ASCII; capped so a large body cannot freeze the page. */
export function hexDump(bytes: Uint8Array, max = 64 * 1024): string {
  const lines: string[] = []
  const end = Math.min(bytes.length, max)
  for (let off = 0; off < end; off += 16) {
    const slice = bytes.subarray(off, Math.min(off + 16, end))
    const hex = [...slice].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    const ascii = [...slice].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`)
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`)
  return lines.join('\n')
}
