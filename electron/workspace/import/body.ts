import { isUtf8 } from 'node:buffer'
import type { RawBody } from '@opencollection/types/requests/http'

/** A text body as OpenCollection's raw body, typed by its Content-Type; null when not UTF-8. */
export function rawBody(bytes: Buffer | string, contentType: string | null | undefined): RawBody | null {
  if (typeof bytes !== 'string' && !isUtf8(bytes)) return null
  const data = typeof bytes === 'string' ? bytes : bytes.toString('utf8')
  return { type: rawType(contentType), data }
}

/** OpenCollection's raw body kinds: json, xml, or text for everything else. */
export function rawType(contentType: string | null | undefined): RawBody['type'] {
  const type = (contentType ?? '').toLowerCase()
  if (/[/+]json\b/.test(type)) return 'json'
  if (/[/+]xml\b/.test(type)) return 'xml'
  return 'text'
}

/** curl's Content-Type for an uploaded file by its extension (lib/mime.c), else octet-stream. */
const TYPES: Record<string, string> = {
  gif: 'image/gif',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  txt: 'text/plain',
  htm: 'text/html',
  html: 'text/html',
  pdf: 'application/pdf',
  xml: 'application/xml',
}

export function guessType(filename: string): string {
  const ext = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() ?? ''
  return TYPES[ext] ?? 'application/octet-stream'
}
