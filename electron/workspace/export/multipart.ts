import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import type { MultipartFormEntry } from '@opencollection/types/requests/http'
import { guessType } from '../import/body'
import type { ReadFile } from '../import/curl-data'

/**
 * multipart/form-data as curl writes it (RFC 7578): CRLF lines, `name` and `filename` with `"`,
 * CR and LF percent-encoded (HTML's rule, curl's default without --form-escape).
 */

/** A boundary shaped like curl's (24 dashes and 16 hex digits); random, so no body contains it. */
export function makeBoundary(): string {
  return `${'-'.repeat(24)}${randomBytes(8).toString('hex')}`
}

const quoted = (s: string) => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

export type Multipart = { ok: true; body: Buffer; contentType: string } | { ok: false; message: string }

export function buildMultipart(
  entries: readonly MultipartFormEntry[],
  read: ReadFile,
  boundary = makeBoundary(),
): Multipart {
  const parts: Buffer[] = []
  const head = (lines: string[]) => Buffer.from(`--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`)
  for (const entry of entries) {
    if (entry.disabled) continue
    const disposition = `Content-Disposition: form-data; name="${quoted(entry.name)}"`
    if (entry.type === 'text') {
      const lines = [disposition]
      if (entry.contentType) lines.push(`Content-Type: ${entry.contentType}`)
      const value = Array.isArray(entry.value) ? entry.value.join(',') : entry.value
      parts.push(head(lines), Buffer.from(value, 'utf8'), Buffer.from('\r\n'))
      continue
    }
    for (const path of Array.isArray(entry.value) ? entry.value : [entry.value]) {
      const content = read(path)
      if (!content) return { ok: false, message: `form field ${entry.name}: cannot read file ${path}` }
      // Without a type, the one curl would pick for the file name (so a copied command matches).
      const type = `Content-Type: ${entry.contentType ?? guessType(basename(path))}`
      parts.push(head([`${disposition}; filename="${quoted(basename(path))}"`, type]), content)
      parts.push(Buffer.from('\r\n'))
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { ok: true, body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}
