import type { HttpRequestHeader } from '@opencollection/types/requests/http'
import { rawBody } from './body'
import { isRecord, list, str } from './text'
import { ImportError, type ImportResult, type SockeyeHttpRequest } from './types'

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) → one request per entry, in the order
 * recorded. Chrome DevTools exports included: their HTTP/2 pseudo-headers (`:authority`, …) are
 * dropped, as the URL carries them; so are headers the engine writes itself.
 */

/** Headers the engine (undici) computes from the URL and body; a copy would contradict it. */
const COMPUTED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive'])

/** `log.entries` of a HAR document, or an ImportError naming what is missing. */
export function harEntries(doc: unknown): Record<string, unknown>[] {
  const log = isRecord(doc) ? doc.log : undefined
  if (!isRecord(log) || !Array.isArray(log.entries)) {
    throw new ImportError(
      'not a HAR file: it has no log.entries (export HAR 1.2 from the browser or Sockeye)',
    )
  }
  return log.entries.filter(isRecord)
}

export function harCreator(doc: unknown): string {
  const creator = isRecord(doc) && isRecord(doc.log) ? doc.log.creator : undefined
  if (!isRecord(creator)) return 'an unknown tool'
  return `${str(creator.name, 'an unknown tool')}${creator.version ? ` ${str(creator.version)}` : ''}`
}

function requestOf(entry: Record<string, unknown>, seq: number, warnings: string[]): SockeyeHttpRequest {
  const request = isRecord(entry.request) ? entry.request : {}
  const method = str(request.method, 'GET')
  const url = str(request.url)
  const headers: HttpRequestHeader[] = list(request.headers)
    .filter(isRecord)
    .map((h) => ({ name: str(h.name), value: str(h.value) }))
    .filter((h) => h.name !== '' && !h.name.startsWith(':') && !COMPUTED.has(h.name.toLowerCase()))
  const out: SockeyeHttpRequest = {
    info: { name: `${method} ${pathOf(url)}`, type: 'http', seq },
    http: { method, url },
  }
  const http = out.http as NonNullable<SockeyeHttpRequest['http']>
  if (headers.length > 0) http.headers = headers
  const post = isRecord(request.postData) ? request.postData : null
  if (post) {
    const text = str(post.text)
    const mime = str(post.mimeType)
    if (post._encoding === 'base64') {
      warnings.push(`entry ${seq} (${method} ${url}): a binary request body is not kept`)
    } else if (text !== '') {
      http.body = rawBody(text, mime) ?? undefined
    } else if (list(post.params).length > 0) {
      const params = list(post.params).filter(isRecord)
      if (params.some((p) => p.fileName !== undefined)) {
        warnings.push(
          `entry ${seq} (${method} ${url}): uploaded files are not in the HAR; their fields are empty`,
        )
      }
      http.body = /multipart/i.test(mime)
        ? {
            type: 'multipart-form',
            data: params.map((p) => ({ name: str(p.name), type: 'text' as const, value: str(p.value) })),
          }
        : { type: 'form-urlencoded', data: params.map((p) => ({ name: str(p.name), value: str(p.value) })) }
    }
  }
  return out
}

export function pathOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)
  return match?.[1] || '/'
}

export function importHar(doc: unknown, name = 'HAR'): ImportResult {
  const entries = harEntries(doc)
  const warnings: string[] = []
  const items = entries.map((e, i) => requestOf(e, i + 1, warnings))
  if (items.length > 0) {
    warnings.push('responses, timings and connection ids are not imported (sockeye open shows them)')
  }
  return {
    format: 'har',
    collection: { opencollection: '1.0.0', info: { name: `${name} (from ${harCreator(doc)})` }, items },
    warnings,
  }
}
