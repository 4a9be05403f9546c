import { parse as parseYamlText } from 'yaml'
import { LIMITS } from '../../contract/limits'
import { ImportError } from './types'

/**
 * Reading untrusted import files: bounded size, strict UTF-8, bounded nesting, no YAML alias
 * expansion bombs. Every refusal is an ImportError with one line naming the problem.
 */

/** The largest file `sockeye import` / `open` / the import dialog reads (a HAR with bodies fits). */
export const MAX_IMPORT_BYTES = LIMITS.importBytes

/** JSON/YAML deeper than this is refused before anything walks it (collections nest a few levels). */
export const MAX_DEPTH = 200

/** YAML aliases expanded at most this many times (yaml's `maxAliasCount`): a billion-laughs file stops. */
export const MAX_ALIASES = 100

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`

/** Bytes → text: too large, or not UTF-8, is one line; a UTF-8 byte order mark is dropped. */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ImportError(
      `${name} is larger than ${mib(MAX_IMPORT_BYTES)}, the import limit; split it or trim bodies`,
    )
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new ImportError(`${name} is not UTF-8 text; save it as UTF-8 and import again`)
  }
}

/** The deepest `[`/`{` nesting in JSON text (strings skipped), stopping once past `limit`. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth
      if (max > limit) return max
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return max
}

export function parseJson(text: string, name: string): unknown {
  if (jsonDepth(text, MAX_DEPTH) > MAX_DEPTH) {
    throw new ImportError(
      `${name} nests deeper than ${MAX_DEPTH} levels; it is not a collection Sockeye can import`,
    )
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new ImportError(`${name} is not valid JSON (${detail})`)
  }
}

/** Walks a parsed value once to refuse deep nesting YAML can build without brackets. */
function depthOf(value: unknown, limit: number): number {
  const stack: Array<[unknown, number]> = [[value, 1]]
  // YAML aliases make a graph of shared objects: visit each once, or a few aliases cost 2^n steps.
  const seen = new WeakSet<object>()
  let max = 0
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (typeof v !== 'object' || v === null || seen.has(v)) continue
    seen.add(v)
    if (d > max) max = d
    if (max > limit) return max
    for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return max
}

export function parseYaml(text: string, name: string): unknown {
  let value: unknown
  try {
    value = parseYamlText(text, { maxAliasCount: MAX_ALIASES, prettyErrors: false })
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new ImportError(`${name} is not YAML Sockeye can read (${detail})`)
  }
  if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
    throw new ImportError(
      `${name} nests deeper than ${MAX_DEPTH} levels; it is not a collection Sockeye can import`,
    )
  }
  return value
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
