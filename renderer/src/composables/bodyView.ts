import type { BodyPayload } from '../api/contract'

/** The ways a response body can be shown. */
export type BodyView = 'pretty' | 'raw' | 'hex' | 'image' | 'preview'

/** Whether the engine found the bytes to be UTF-8 text (bodies reach the UI as base64 either way). */
export const isText = (body: BodyPayload): boolean => body.text ?? body.encoding === 'utf8'

/** The body's bytes, whatever encoding it crossed the boundary in (small bodies; see decodeBytes). */
export function bodyBytes(body: BodyPayload): Uint8Array {
  if (body.encoding === 'utf8') return new TextEncoder().encode(body.data)
  return fromBase64(body.data)
}

function fromBase64(data: string): Uint8Array {
  const bin = atob(data)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Work is cut into slices this big (bytes or characters), with a turn for the page between them. */
export const SLICE = 1 << 20
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * The body's bytes, decoded a slice at a time: 10 MiB of base64 in one go holds the page for
 * ~100 ms; in 1 MiB slices no task is longer than a few ms.
 */
export async function decodeBytes(body: BodyPayload, step = SLICE): Promise<Uint8Array> {
  if (body.encoding === 'utf8') return new TextEncoder().encode(body.data)
  const data = body.data
  // `step` base64 characters per slice: a multiple of 4, so each slice decodes alone.
  if (data.length <= step) return fromBase64(data)
  const parts: Uint8Array[] = []
  let total = 0
  for (let i = 0; i < data.length; i += step) {
    const part = fromBase64(data.slice(i, i + step))
    parts.push(part)
    total += part.length
    await yieldToPage()
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/**
 * A whole body, asked for slice by slice (the host answers at most ~768 KiB a call): the first
 * answer and every byte. Each slice is one small frame to parse and decode, so none blocks the page.
 */
export async function fetchBody(
  get: (offset: number) => Promise<BodyPayload>,
  stale: () => boolean = () => false,
): Promise<{ first: BodyPayload; bytes: Uint8Array } | null> {
  const first = await get(0)
  const parts = [await decodeBytes(first)]
  let have = parts[0]!.length
  while (have < first.bytes && first.offset !== undefined) {
    if (stale()) return null
    const next = await get(have)
    const part = await decodeBytes(next)
    if (part.length === 0) break
    parts.push(part)
    have += part.length
  }
  if (stale()) return null
  if (parts.length === 1) return { first, bytes: parts[0]! }
  const bytes = new Uint8Array(have)
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  return { first, bytes }
}

/** UTF-8 bytes to text, a slice at a time (a character cut between slices is carried over). */
export async function decodeText(bytes: Uint8Array, step = SLICE): Promise<string> {
  const decoder = new TextDecoder()
  if (bytes.length <= step) return decoder.decode(bytes)
  const parts: string[] = []
  for (let i = 0; i < bytes.length; i += step) {
    parts.push(decoder.decode(bytes.subarray(i, i + step), { stream: i + step < bytes.length }))
    await yieldToPage()
  }
  return parts.join('')
}

/** Longest displayed row of text: longer lines continue on the next row (no giant DOM line). */
export const ROW_CHARS = 160

/** Where each displayed row starts: one per line, and one per ROW_CHARS of a long line. */
export async function textRows(text: string, width = ROW_CHARS): Promise<Uint32Array> {
  const starts: number[] = [0]
  let nextYield = SLICE
  let at = 0
  for (;;) {
    const newline = text.indexOf('\n', at)
    const end = newline < 0 ? text.length : newline
    for (let cut = at + width; cut < end; cut += width) starts.push(cut)
    if (newline < 0) break
    at = newline + 1
    starts.push(at)
    if (at > nextYield) {
      nextYield = at + SLICE
      await yieldToPage()
    }
  }
  return Uint32Array.from(starts)
}

const mime = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase()
/** `application/json` and `+json` types (RFC 6839 structured syntax suffix). */
export const isJson = (ct: string | null) => /^application\/([\w.+-]+\+)?json$/.test(mime(ct))
/** Any `image/*` type. */
export const isImage = (ct: string | null) => mime(ct).startsWith('image/')
/** HTML, which is never rendered in the app: text by default, or a sandboxed preview on request. */
export const isHtml = (ct: string | null) => ['text/html', 'application/xhtml+xml'].includes(mime(ct))

/** Bitmap types an <img> shows as pixels only: anything else (SVG first) is rasterized first. */
const RASTER = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
])
/** The bitmap type to show the bytes as, or null when they must be rasterized (SVG, unknown). */
export const rasterType = (ct: string | null): string | null => (RASTER.has(mime(ct)) ? mime(ct) : null)

/** The JSON editor folds and highlights; past this size the raw view (virtualized) is the default. */
export const PRETTY_MAX_BYTES = 2 * 1024 * 1024

/**
 * The views that make sense for a body, best first. Markup (HTML, SVG) always starts as text: a
 * hostile response must be opened on purpose, and even then only in a sandbox or as pixels.
 */
export function viewsFor(body: BodyPayload): BodyView[] {
  const ct = body.contentType
  if (isImage(ct)) return mime(ct) === 'image/svg+xml' ? ['raw', 'image', 'hex'] : ['image', 'hex']
  if (isJson(ct)) return body.bytes <= PRETTY_MAX_BYTES ? ['pretty', 'raw', 'hex'] : ['raw', 'hex']
  if (isHtml(ct)) return ['raw', 'preview', 'hex']
  return isText(body) ? ['raw', 'hex'] : ['hex', 'raw']
}

/** One hex-dump row: offset, `per` bytes (16, or 8 in a narrow pane), ASCII. */
export function hexLine(bytes: Uint8Array, off: number, per = 16): string {
  const slice = bytes.subarray(off, Math.min(off + per, bytes.length))
  let hex = ''
  let ascii = ''
  for (let i = 0; i < slice.length; i++) {
    const b = slice[i]!
    hex += (i > 0 ? ' ' : '') + b.toString(16).padStart(2, '0')
    ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
  }
  return `${off.toString(16).padStart(8, '0')}  ${hex.padEnd(per * 3 - 1)}  ${ascii}`
}

/** A classic hex dump, capped (the UI's hex view is virtualized and shows every row). */
export function hexDump(bytes: Uint8Array, max = 64 * 1024): string {
  const lines: string[] = []
  const end = Math.min(bytes.length, max)
  for (let off = 0; off < end; off += 16) lines.push(hexLine(bytes.subarray(0, end), off))
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`)
  return lines.join('\n')
}

/**
 * An image the app shows as pixels only, as a `data:` URL: opened in a tab of its own, a `data:`
 * document has an opaque origin (never the app's), and a bitmap type cannot run script. SVG (and any
 * type not known as a bitmap) is drawn on a canvas first and shown as the PNG of that drawing, so its
 * scripts never run and its URL holds no markup. Returns null when the image cannot be drawn.
 */
export async function imageSource(bytes: Uint8Array, contentType: string | null): Promise<string | null> {
  const raster = rasterType(contentType)
  const b64 = await toBase64(bytes)
  if (raster) return `data:${raster};base64,${b64}`
  const img = new Image()
  img.src = `data:image/svg+xml;base64,${b64}`
  try {
    await img.decode()
  } catch {
    return null
  }
  const scale = Math.min(1, 4096 / Math.max(img.naturalWidth || 300, img.naturalHeight || 150))
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round((img.naturalWidth || 300) * scale))
  canvas.height = Math.max(1, Math.round((img.naturalHeight || 150) * scale))
  canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height)
  try {
    return canvas.toDataURL('image/png')
  } catch {
    return null
  }
}

async function toBase64(bytes: Uint8Array): Promise<string> {
  const parts: string[] = []
  const step = 3 * 32 * 1024
  for (let i = 0; i < bytes.length; i += step) {
    const slice = bytes.subarray(i, i + step)
    let bin = ''
    for (let j = 0; j < slice.length; j += 8192) {
      bin += String.fromCharCode(...slice.subarray(j, j + 8192))
    }
    parts.push(btoa(bin))
    if ((i / step) % 16 === 15) await yieldToPage()
  }
  return parts.join('')
}
