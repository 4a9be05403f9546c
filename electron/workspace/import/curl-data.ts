/**
 * curl's request-body rules, as its tool_getparam.c applies them (curl 7.88+): what `-d`,
 * `--data-raw`, `--data-binary`, `--data-urlencode`, `--json` and `--url-query` turn into bytes.
 */

/** Reads a file named in a command (`@file`, `-d @-` for stdin); null when reading is not allowed. */
export type ReadFile = (path: string) => Buffer | null

/** One body piece: the option's kind and its argument, as curlconverter's option table gives them. */
export type DataPiece = [kind: 'data' | 'binary' | 'raw' | 'urlencode' | 'json', value: string]

/** A body piece that names a file curl would read, kept when the file cannot be read here. */
export interface FileRef {
  kind: DataPiece[0]
  path: string
}

/**
 * curl's `--data-urlencode` escaping (curl_easy_escape, then a space as `+`, as HTML forms do):
 * every byte but ALPHA / DIGIT / `-._~` becomes `%XX` (upper-case hex).
 */
export function escape(bytes: Buffer | string, lower = false): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
  let out = ''
  for (const b of buf) {
    const unreserved =
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d
    if (unreserved || b === 0x2e || b === 0x5f || b === 0x7e) out += String.fromCharCode(b)
    else if (b === 0x20) out += '+'
    else {
      const hex = b.toString(16).padStart(2, '0')
      out += `%${lower ? hex : hex.toUpperCase()}`
    }
  }
  return out
}

/** The outcome of turning pieces into bytes: the bytes, or the files that could not be read. */
export type DataBytes = { ok: true; bytes: Buffer } | { ok: false; missing: FileRef[] }

/**
 * One `--data-urlencode` or `--url-query` argument: `content`, `=content`, `name=content`,
 * `@file`, `name@file` (curl looks for the first `=` or `@`).
 */
function urlencoded(
  value: string,
  read: ReadFile,
  missing: FileRef[],
  kind: DataPiece[0],
  lower = false,
): Buffer {
  const at = value.search(/[=@]/)
  if (at < 0) return Buffer.from(escape(value, lower))
  const name = value.slice(0, at)
  const prefix = name === '' ? '' : `${name}=`
  if (value[at] === '=') return Buffer.from(prefix + escape(value.slice(at + 1), lower))
  const path = value.slice(at + 1)
  const content = read(path)
  if (!content) {
    missing.push({ kind, path })
    return Buffer.alloc(0)
  }
  return Buffer.from(prefix + escape(content, lower))
}

/** `-d @file` drops carriage returns and newlines (curl's ASCII mode); `--data-binary` keeps them. */
function stripNewlines(bytes: Buffer): Buffer {
  return Buffer.from(bytes.filter((b) => b !== 0x0a && b !== 0x0d))
}

/** Bytes of one piece; a file that cannot be read is recorded in `missing`. */
function pieceBytes([kind, value]: DataPiece, read: ReadFile, missing: FileRef[]): Buffer {
  if (kind === 'urlencode') return urlencoded(value, read, missing, kind)
  if (kind === 'raw' || !value.startsWith('@')) return Buffer.from(value, 'utf8')
  const path = value.slice(1)
  const content = read(path)
  if (!content) {
    missing.push({ kind, path })
    return Buffer.alloc(0)
  }
  return kind === 'data' ? stripNewlines(content) : content
}

/**
 * The body curl sends for these pieces: joined with `&`, except that `--json` pieces follow each
 * other directly (curl concatenates repeated `--json`).
 */
export function dataBytes(pieces: readonly DataPiece[], read: ReadFile): DataBytes {
  const missing: FileRef[] = []
  const parts: Buffer[] = []
  pieces.forEach((piece, i) => {
    const previous = pieces[i - 1]
    if (previous && !(piece[0] === 'json' && previous[0] === 'json')) parts.push(Buffer.from('&'))
    parts.push(pieceBytes(piece, read, missing))
  })
  return missing.length > 0 ? { ok: false, missing } : { ok: true, bytes: Buffer.concat(parts) }
}

/**
 * `--url-query` arguments: like `--data-urlencode` but with lower-case hex (curl 7.88's tool builds
 * the query with its own `%02x`; the real-curl oracle test pins it); one that began with `+`
 * ("as is") arrives from curlconverter's option table as kind `raw` with the `+` removed.
 */
export function queryText(
  pieces: readonly DataPiece[],
  read: ReadFile,
): { text: string; missing: FileRef[] } {
  const missing: FileRef[] = []
  const parts = pieces.map(([kind, value]) =>
    kind === 'raw' ? value : urlencoded(value, read, missing, 'urlencode', true).toString('utf8'),
  )
  return { text: parts.join('&'), missing }
}

/** A single `--data-binary @file` / `--json @file` body: kept as a file reference, read at send time. */
export function soleFile(pieces: readonly DataPiece[]): string | null {
  if (pieces.length !== 1) return null
  const [kind, value] = pieces[0] as DataPiece
  return (kind === 'binary' || kind === 'json') && value.startsWith('@') && value !== '@-'
    ? value.slice(1)
    : null
}
