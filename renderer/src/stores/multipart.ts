import { kv, type KeyValue } from './urlParams'

/** A file picked for a multipart field: its bytes stay in memory only (never saved). */
export interface PartFile {
  name: string
  type: string
  bytes: Uint8Array
}

/**
 * One multipart/form-data field: text; a file picked here when `file` is set; or a file of the
 * request's collection folder when `path` is set (relative to the folder, `{{variables}}` kept),
 * which the host reads on Send (the page never holds its bytes).
 */
export interface Part extends KeyValue {
  file: PartFile | null
  path: string | null
  /** The part's Content-Type as the request file sets it ('': none, or guessed for a file). */
  contentType: string
}

export const part = (name = '', value = '', file: PartFile | null = null): Part => ({
  ...kv(name, value),
  file,
  path: null,
  contentType: '',
})

/** A part naming a file of the collection folder. */
export const pathPart = (name: string, path: string, contentType = ''): Part => ({
  ...part(name),
  path,
  contentType,
})

// RFC 7578 §4.2: a name or filename is a quoted-string; escape the quote and line breaks as browsers do
// (WHATWG HTML "multipart/form-data encoding algorithm": " → %22, CR → %0D, LF → %0A).
const quoted = (s: string) => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/** A boundary that cannot occur in any part's bytes by chance (RFC 2046 §5.1.1: ≤ 70 chars). */
export function makeBoundary(random = () => Math.random()): string {
  let tail = ''
  for (let i = 0; i < 24; i++) tail += Math.floor(random() * 36).toString(36)
  return `----SockeyeFormBoundary${tail}`
}

function toBase64(bytes: Uint8Array): string {
  let out = ''
  // In slices: String.fromCharCode(...) over megabytes overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(out)
}

/** The enabled, named parts as one multipart/form-data body (base64) and its Content-Type. */
export function encodeMultipart(
  parts: Part[],
  boundary = makeBoundary(),
): { base64: string; contentType: string; bytes: number } {
  const enc = new TextEncoder()
  const chunks: Uint8Array[] = []
  for (const p of parts) {
    if (!p.enabled || p.name === '') continue
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(p.name)}"`
    if (p.file) {
      head += `; filename="${quoted(p.file.name)}"\r\nContent-Type: ${p.file.type || 'application/octet-stream'}`
    }
    chunks.push(
      enc.encode(`${head}\r\n\r\n`),
      p.file ? p.file.bytes : enc.encode(p.value),
      enc.encode('\r\n'),
    )
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`))
  const total = chunks.reduce((n, c) => n + c.length, 0)
  const all = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    all.set(c, at)
    at += c.length
  }
  return { base64: toBase64(all), contentType: `multipart/form-data; boundary=${boundary}`, bytes: total }
}
