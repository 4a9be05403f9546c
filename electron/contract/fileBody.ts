import type { HttpRequestBody } from '@opencollection/types/requests/http'
import type { SendFiles } from './files'

/**
 * `send`'s `files` body as the OpenCollection body a request file holds (a file body as its one
 * selected variant). Types only besides this function, so the renderer can import it without the
 * contract's schemas: the host builds the bytes from it (host/files.ts), Duplicate a draft
 * (the composer reads it as it reads a request file).
 */
export function fileBody(body: SendFiles['body']): HttpRequestBody {
  if (body.type === 'multipart-form') return { type: 'multipart-form', data: body.data }
  return {
    type: 'file',
    data: [{ filePath: body.filePath, contentType: body.contentType, selected: true }],
  }
}
