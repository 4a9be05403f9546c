import { isUtf8 } from 'node:buffer'
import zlib from 'node:zlib'
import type { Transform } from 'node:stream'
import type { BodyPayload } from '../contract'

/** Keeps up to maxBytes of the (wire) body, counts the rest; truncated when more arrived than kept. */
export class BodyCollector {
  readonly #max: number
  #chunks: Buffer[] = []
  #kept = 0
  #wire = 0

  constructor(maxBytes: number) {
    this.#max = Math.max(0, maxBytes)
  }

  /** Adds a chunk; only the part that fits under the cap is kept (the chunk is not copied). */
  push(chunk: Buffer): void {
    this.#wire += chunk.length
    const room = this.#max - this.#kept
    if (room <= 0) return
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room)
    this.#chunks.push(part)
    this.#kept += part.length
  }

  /** Every body byte seen on the wire, kept or not. */
  get wireBytes(): number {
    return this.#wire
  }

  get truncated(): boolean {
    return this.#wire > this.#kept
  }

  /** The kept bytes as one buffer (concatenated once, then cached). */
  buffer(): Buffer {
    if (this.#chunks.length !== 1) {
      const all = Buffer.concat(this.#chunks, this.#kept)
      this.#chunks = [all]
    }
    return this.#chunks[0] ?? Buffer.alloc(0)
  }
}

/** The result of decoding a body for display. */
export interface Decoded {
  data: Buffer
  truncated: boolean
  error: string | null
  /** The coded data is damaged (not merely an unsupported coding). */
  corrupt?: boolean
}

type DecoderFactory = (first: Buffer) => Transform

const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress

// RFC 9110 §8.4.1.2: "deflate" is the zlib format (RFC 1950), but some servers send raw deflate
// (RFC 1951), as browsers tolerate. A zlib stream starts with CM=8 and a header divisible by 31.
function isZlibHeader(first: Buffer): boolean {
  const [a, b] = [first[0], first[1]]
  return a !== undefined && b !== undefined && (a & 0x0f) === 8 && ((a << 8) | b) % 31 === 0
}

const DECODERS: Record<string, DecoderFactory> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  deflate: (first) => (isZlibHeader(first) ? zlib.createInflate() : zlib.createInflateRaw()),
  ...(zstd ? { zstd: () => zstd() } : {}),
}

/** zlib's code for input that ends before the compressed stream does. */
const INCOMPLETE = new Set(['Z_BUF_ERROR', 'ERR_BROTLI_DECOMPRESSION_FAILED_INCOMPLETE'])

/** Decodes one coding, keeping at most `cap` output bytes; stops the decoder as soon as the cap is hit. */
function decodeOne(input: Buffer, make: DecoderFactory, cap: number, whole: boolean): Promise<Decoded> {
  return new Promise((resolve) => {
    const decoder = make(input)
    const out: Buffer[] = []
    let kept = 0
    let done = false
    const finish = (result: Decoded) => {
      if (done) return
      done = true
      decoder.destroy()
      resolve(result)
    }
    decoder.on('data', (chunk: Buffer) => {
      const room = cap - kept
      if (chunk.length > room) {
        // A decompression bomb stops here: memory stays at `cap` plus one zlib chunk.
        if (room > 0) out.push(chunk.subarray(0, room))
        kept = cap
        finish({ data: Buffer.concat(out, kept), truncated: true, error: null })
        return
      }
      out.push(chunk)
      kept += chunk.length
    })
    decoder.on('end', () => finish({ data: Buffer.concat(out, kept), truncated: false, error: null }))
    decoder.on('error', (err: NodeJS.ErrnoException) => {
      if (INCOMPLETE.has(err.code ?? '') && !whole) {
        // The kept wire body was cut (maxBodyBytes): show what decoded.
        finish({ data: Buffer.concat(out, kept), truncated: true, error: null })
        return
      }
      const incomplete = INCOMPLETE.has(err.code ?? '')
      finish({
        data: Buffer.alloc(0),
        truncated: false,
        error: incomplete
          ? `the body ended before its compressed data did (${err.code})`
          : `${err.message.split('\n', 1)[0] ?? 'decode error'}${err.code ? ` (${err.code})` : ''}`,
        corrupt: true,
      })
    })
    decoder.end(input)
  })
}

/** The content codings a `Content-Encoding` value applies, in order; `identity` and empty entries dropped. */
export function contentCodings(contentEncoding: string | null): string[] {
  if (!contentEncoding) return []
  return contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
}

/**
 * Decodes gzip/x-gzip/br/deflate (zlib and raw) with an output cap: a decompression bomb stops at
 * the cap with `truncated` true and memory bounded. identity passes through. Several codings
 * ("gzip, br") are undone in reverse order (RFC 9110 §8.4). An unknown coding or corrupt data gives
 * `error` and `data` = the raw bytes.
 */
export async function decodeBody(
  raw: Buffer,
  contentEncoding: string | null,
  maxDecodedBytes: number,
  /** The whole body arrived (nothing cut by maxBodyBytes): a stream that ends early is corrupt. */
  whole = false,
): Promise<Decoded> {
  const codings = contentCodings(contentEncoding)
  if (codings.length === 0 || raw.length === 0) return { data: raw, truncated: false, error: null }
  const unknown = codings.find((c) => !Object.hasOwn(DECODERS, c))
  if (unknown !== undefined) {
    return {
      data: raw,
      truncated: false,
      error: `unsupported content-encoding '${unknown}'; showing raw bytes`,
    }
  }
  const cap = Math.max(0, maxDecodedBytes)
  let data = raw
  let truncated = false
  for (const coding of codings.reverse()) {
    const step = await decodeOne(data, DECODERS[coding] as DecoderFactory, cap, whole)
    if (step.error !== null) {
      return {
        data: raw,
        truncated: false,
        error: `cannot decode ${coding} body: ${step.error}`,
        corrupt: true,
      }
    }
    data = step.data
    truncated ||= step.truncated
  }
  return { data, truncated, error: null }
}

/** Text-like media types are shown as UTF-8 text; everything else travels as base64. */
function isTextType(contentType: string): boolean {
  const essence = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase()
  if (essence.startsWith('text/')) return true
  const slash = essence.indexOf('/')
  if (slash < 0) return false
  const sub = essence.slice(slash + 1)
  return (
    sub === 'json' ||
    sub === 'xml' ||
    sub === 'javascript' ||
    sub === 'ecmascript' ||
    sub === 'x-javascript' ||
    sub === 'x-www-form-urlencoded' ||
    sub === 'x-ndjson' ||
    sub === 'graphql' ||
    sub.endsWith('+json') ||
    sub.endsWith('+xml') ||
    sub.endsWith('-json')
  )
}

/** Length of the longest valid UTF-8 prefix, allowing a multi-byte character cut by truncation. */
function utf8Length(data: Buffer, truncated: boolean): number {
  if (isUtf8(data)) return data.length
  if (!truncated) return -1
  for (let cut = 1; cut <= 3 && cut < data.length; cut++) {
    if (isUtf8(data.subarray(0, data.length - cut))) return data.length - cut
  }
  return -1
}

/**
 * The body as it crosses the contract: 'utf8' for text-like content types (text/*, json, xml,
 * javascript, x-www-form-urlencoded, +json, +xml, svg) and for valid UTF-8 with no content type;
 * 'base64' otherwise. A text type whose bytes are not UTF-8 (e.g. `charset=iso-8859-1`) is sent as
 * base64 so no byte is lost; the renderer can decode it with its charset.
 */
export function bodyPayload(
  requestId: number,
  data: Buffer,
  truncated: boolean,
  contentType: string | null,
  decodeError: string | null,
): BodyPayload {
  const texty = contentType === null || contentType.trim() === '' ? true : isTextType(contentType)
  const textLength = texty ? utf8Length(data, truncated) : -1
  const base = { requestId, bytes: data.length, truncated, contentType, decodeError }
  if (textLength >= 0) {
    return { ...base, encoding: 'utf8', data: data.toString('utf8', 0, textLength) }
  }
  return { ...base, encoding: 'base64', data: data.toString('base64') }
}
