import type { HeaderList } from '../../contract'

/**
 * The last response's header list and reason phrase, shared by every engine in the process.
 * Responses from one server repeat their headers (often all but `Date`) and every result stays in
 * the history, so equal [name, value] pairs, and the whole list when nothing changed, are shared:
 * about half a kilobyte less retained heap per request, which the GC would otherwise copy and
 * trace. Results are read-only records (request heads are shared the same way in result.ts).
 */
let lastHeaders: HeaderList = []
let lastStatusText = 'OK'

/** `pairs` as a header list, reusing the previous response's pairs (or whole list) where equal. */
export function shareHeaders(pairs: ReadonlyArray<[string, string]>): HeaderList {
  const previous = lastHeaders
  const headers: HeaderList = []
  let same = previous.length === pairs.length
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!
    const old = previous[i]
    if (old !== undefined && old[0] === pair[0] && old[1] === pair[1]) headers.push(old)
    else {
      headers.push([pair[0], pair[1]])
      same = false
    }
  }
  if (same) return previous
  lastHeaders = headers
  return headers
}

/**
 * undici's raw header Buffers (name, value, …) as a header list, shared like `shareHeaders` without
 * building the pairs first: each Buffer is compared with the previous response's string byte by
 * byte (latin1: a byte is its char code), so while the response repeats the previous one's headers
 * nothing is allocated, and only the pairs that differ (usually `Date`) become new strings.
 */
export function shareRawHeaders(raw: readonly Buffer[]): HeaderList {
  const previous = lastHeaders
  const count = raw.length >> 1
  let headers: HeaderList | null = previous.length === count ? null : []
  for (let i = 0; i < count; i++) {
    const name = raw[2 * i]!
    const value = raw[2 * i + 1]!
    const old = previous[i]
    if (old !== undefined && spells(name, old[0]) && spells(value, old[1])) {
      headers?.push(old)
      continue
    }
    headers ??= previous.slice(0, i)
    headers.push([name.toString('latin1'), value.toString('latin1')])
  }
  if (headers === null) return previous
  lastHeaders = headers
  return headers
}

/** `bytes` read as latin1 are `text`. */
function spells(bytes: Buffer, text: string): boolean {
  const n = bytes.length
  if (n !== text.length) return false
  for (let i = 0; i < n; i++) if (bytes[i] !== text.charCodeAt(i)) return false
  return true
}

/** The reason phrase, shared with the previous response's when equal (undici builds it afresh). */
export function shareStatusText(text: string): string {
  if (text === lastStatusText) return lastStatusText
  lastStatusText = text
  return text
}
