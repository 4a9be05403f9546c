import type { BodyPayload } from '../contract'
import { LIMITS } from '../contract/limits'

/**
 * A kept body as it goes to the UI: always base64 bytes, with `text` saying whether the engine
 * found it to be UTF-8 text. As JSON text, a body of control bytes escapes each one to `\u00XX`
 * (6 bytes each: a 10 MiB body became a 63 MB frame and dropped the link); base64 is 4/3 whatever
 * the content, and the renderer decodes text itself, in slices that never block the page.
 */
export function bodyForUi(body: BodyPayload, offset = 0): BodyPayload {
  return sliceOf(body, bodyBuffer(body), offset)
}

/** The body's bytes, from either of the engine's encodings. */
export const bodyBuffer = (body: BodyPayload): Buffer =>
  Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8')

/**
 * One slice of a body's bytes, at most LIMITS.bodySliceBytes from `offset`: a 10 MiB body is 14
 * answers of ~1 MiB, each parsed by the page in a few ms, instead of one 13 MiB frame whose
 * JSON.parse alone holds the page for ~100 ms.
 */
export function sliceOf(body: BodyPayload, bytes: Buffer, offset: number): BodyPayload {
  const start = Math.min(offset, bytes.length)
  const end = Math.min(bytes.length, start + LIMITS.bodySliceBytes)
  return {
    ...body,
    encoding: 'base64',
    data: bytes.subarray(start, end).toString('base64'),
    bytes: bytes.length,
    offset: start,
    text: body.encoding === 'utf8',
  }
}
