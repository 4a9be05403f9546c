import { LineCounter, parseDocument, stringify, type Node } from 'yaml'

/**
 * YAML in and out for collection files. Parsing is bounded and inert: aliases are capped (a
 * "billion laughs" file stops at `maxAliasCount`), merge keys and custom tags are off, and
 * invalid UTF-8 is refused with its line rather than decoded into U+FFFD and saved back.
 * Writing is stable and diff-friendly: known keys in the format's order (Bruno's), unknown keys
 * after them in their original order, a blank line before each top-level block (as Bruno does).
 */

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; line: number | null; message: string }

const MAX_ALIASES = 100
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decode UTF-8 strictly; on failure say on which line the first bad byte sits. */
export function decodeUtf8(bytes: Uint8Array): ParseOutcome & { text?: string } {
  try {
    return { ok: true, value: null, text: utf8.decode(bytes) }
  } catch {
    const at = firstInvalid(bytes)
    let line = 1
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++
    return { ok: false, line, message: `not valid UTF-8 (byte ${at}); save the file as UTF-8` }
  }
}

/** The offset of the first byte that makes the prefix invalid (binary search on streaming decode). */
function firstInvalid(bytes: Uint8Array): number {
  let lo = 0
  let hi = bytes.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true })
      lo = mid + 1
    } catch {
      hi = mid
    }
  }
  return lo
}

/** Parse one YAML document; errors carry the 1-based line. */
export function parseYaml(text: string): ParseOutcome {
  const lines = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter: lines,
    merge: false,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  })
  const error = doc.errors[0]
  if (error) return { ok: false, line: lines.linePos(error.pos[0]).line, message: firstLine(error.message) }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }) }
  } catch (err) {
    const message = err instanceof Error ? firstLine(err.message) : String(err)
    const line = aliasLine(doc.contents, lines)
    return { ok: false, line, message: /alias/i.test(message) ? `too many aliases (${message})` : message }
  }
}

function aliasLine(node: unknown, lines: LineCounter): number | null {
  const range = (node as Node | null)?.range
  return range ? lines.linePos(range[0]).line : null
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message
}

/** Key order per block; keys not listed follow in their own order. */
const ORDER: Record<string, readonly string[]> = {
  '': [
    'opencollection',
    'info',
    'http',
    'graphql',
    'grpc',
    'websocket',
    'config',
    'request',
    'runtime',
    'settings',
    'examples',
    'docs',
    'bundled',
    'extensions',
  ],
  info: ['name', 'type', 'seq', 'version', 'summary', 'tags', 'description'],
  http: ['method', 'url', 'headers', 'params', 'body', 'auth'],
  request: ['headers', 'auth', 'variables', 'actions', 'scripts'],
  settings: ['encodeUrl', 'timeout', 'followRedirects', 'maxRedirects', 'forwardAuthorizationHeader'],
}
const ENTRY_ORDER = ['name', 'value', 'type', 'secret', 'description', 'disabled']
/** Top-level keys with a blank line before them (Bruno's): every block but the two scalars. */
const BLOCKS = new Set([
  ...(ORDER[''] ?? []).filter((k) => k !== 'opencollection' && k !== 'bundled'),
  'items',
  'variables',
])

function ordered(value: unknown, block: string, depth: number): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, 'entry', depth + 1))
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  const order =
    depth === 0 ? ORDER[''] : block === 'entry' ? ENTRY_ORDER : depth === 1 ? ORDER[block] : undefined
  const keys = Object.keys(record).filter((k) => record[k] !== undefined)
  const known = order ? order.filter((k) => keys.includes(k)) : []
  const rest = keys.filter((k) => !known.includes(k))
  const out: Record<string, unknown> = {}
  for (const key of [...known, ...rest]) out[key] = ordered(record[key], key, depth + 1)
  return out
}

/** Stringify a collection document: stable key order, no line folding, Bruno's blank lines. */
export function stringifyYaml(doc: unknown): string {
  const text = stringify(ordered(doc, '', 0), {
    lineWidth: 0,
    indent: 2,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  })
  const out: string[] = []
  for (const line of text.split('\n')) {
    const key = /^([A-Za-z_]+):/.exec(line)?.[1]
    if (key && BLOCKS.has(key) && out.length > 0 && out[out.length - 1] !== '') out.push('')
    out.push(line)
  }
  return out.join('\n')
}

/** True for a plain object (a YAML map), not an array or scalar. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
