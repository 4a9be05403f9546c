import type { BodyPayload } from '../contract'

/**
 * A kept body as it goes to the UI: always base64 bytes, with `text` saying whether the engine
 * found it to be UTF-8 text. As JSON text, a body of control bytes escapes each one to `\u00XX`
 * (6 bytes each: a 10 MiB body became a 63 MB frame and dropped the link); base64 is 4/3 whatever
 * the content, and the renderer decodes text itself, in slices that never block the page.
 */
export function bodyForUi(body: BodyPayload): BodyPayload {
  if (body.encoding === 'base64') return { ...body, text: false }
  return { ...body, encoding: 'base64', data: Buffer.from(body.data, 'utf8').toString('base64'), text: true }
}
