/** A row of a key/value table (query params, headers, form fields). */
export interface KeyValue {
  id: number
  name: string
  value: string
  enabled: boolean
}

let nextId = 1
/** A new table row with a unique id (the v-for key). */
export function kv(name = '', value = '', enabled = true): KeyValue {
  return { id: nextId++, name, value, enabled }
}

/** Split a URL into what precedes the query, the query (without '?') and the fragment (with '#'). */
export function splitUrl(url: string): { base: string; query: string | null; hash: string } {
  const hashAt = url.indexOf('#')
  const hash = hashAt >= 0 ? url.slice(hashAt) : ''
  const rest = hashAt >= 0 ? url.slice(0, hashAt) : url
  const q = rest.indexOf('?')
  return q >= 0
    ? { base: rest.slice(0, q), query: rest.slice(q + 1), hash }
    : { base: rest, query: null, hash }
}

function decode(s: string): string {
  // application/x-www-form-urlencoded: '+' is a space (WHATWG URL, urlencoded parser).
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

// Leave the sub-delims that are legal in a query (RFC 3986 §3.4) readable; encode the rest. A
// `{{variable}}` stays as typed: Send puts its value in as the variable holds it (as Bruno and Postman do).
function encode(s: string): string {
  return s
    .split(/(\{\{[^{}]*\}\})/)
    .map((piece, i) =>
      i % 2 === 1
        ? piece
        : encodeURIComponent(piece).replace(/%(2C|3A|2F|40|21|24|27|28|29|2A|3B)/gi, (m) =>
            decodeURIComponent(m),
          ),
    )
    .join('')
}

/** The query string's pairs, decoded, in order (duplicates kept). */
export function parseQuery(query: string | null): Array<[string, string]> {
  if (!query) return []
  return query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      return eq >= 0 ? [decode(p.slice(0, eq)), decode(p.slice(eq + 1))] : [decode(p), '']
    })
}

/** Rebuild a URL with the enabled, named params as its query; the rest of the URL is kept as typed. */
export function withParams(url: string, params: KeyValue[]): string {
  const { base, hash } = splitUrl(url)
  const pairs = params
    .filter((p) => p.enabled && p.name !== '')
    .map((p) => (p.value === '' ? encode(p.name) : `${encode(p.name)}=${encode(p.value)}`))
  return pairs.length ? `${base}?${pairs.join('&')}${hash}` : `${base}${hash}`
}

/** The params table for a URL: its query pairs, then the disabled rows the user kept aside. */
export function paramsFromUrl(url: string, previous: KeyValue[]): KeyValue[] {
  const pairs = parseQuery(splitUrl(url).query)
  const enabled = previous.filter((p) => p.enabled)
  const rows = pairs.map(([name, value], i) => {
    const old = enabled[i]
    return old && old.name === name && old.value === value ? old : kv(name, value)
  })
  return [...rows, ...previous.filter((p) => !p.enabled)]
}

/** `application/x-www-form-urlencoded` body from form rows. */
export function formBody(fields: KeyValue[]): string {
  return fields
    .filter((f) => f.enabled && f.name !== '')
    .map((f) => `${encodeURIComponent(f.name)}=${encodeURIComponent(f.value)}`.replace(/%20/g, '+'))
    .join('&')
}
