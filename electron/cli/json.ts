import type { ConnectionInfo, PoolStats, RequestResult } from '../contract'
import type { CliStream } from './run'

/** Requests per write: big enough that writes are few, small enough that no chunk is large. */
const CHUNK = 512

/** A stream that may ask the writer to wait (`write` returned false) until it drains. */
type Drainable = CliStream & { once?(event: 'drain', listener: () => void): unknown }

/**
 * `items` (at least one) as array elements at `depth` of a 2-space-indented document, joined by
 * commas: what `JSON.stringify(doc, null, 2)` prints for them there. No regex pass: they are
 * stringified inside `depth - 1` extra arrays, whose opening and closing lines are cut off.
 */
export function nested(items: readonly unknown[], depth = 2): string {
  let wrapped: unknown = items
  let open = ''
  let close = ''
  for (let level = 0; level < depth; level++) {
    if (level > 0) wrapped = [wrapped]
    open += `${'  '.repeat(level)}[\n`
    close = `\n${'  '.repeat(level)}]${close}`
  }
  const text = JSON.stringify(wrapped, null, 2)
  return text.slice(open.length, text.length - close.length)
}

/**
 * Write the `--json` document (`{ requests, connections, pools }`, 2-space indented, exactly as
 * `JSON.stringify(doc, null, 2)` would) a few hundred requests at a time, waiting for the stream to
 * drain between chunks. One string for 100,000 requests is ~150 MB, and building it took the peak
 * RSS past 600 MiB; written in chunks, memory stays at the records themselves.
 */
export async function writeJsonReport(
  out: Drainable,
  requests: readonly RequestResult[],
  connections: readonly ConnectionInfo[],
  pools: readonly PoolStats[],
): Promise<void> {
  const write = async (text: string) => {
    if (out.write(text) === false && out.once) await new Promise<void>((r) => out.once?.('drain', r))
  }
  const list = (items: readonly unknown[], last: boolean) => {
    const comma = last ? '' : ','
    return items.length === 0 ? `[]${comma}\n` : `[\n${nested(items)}\n  ]${comma}\n`
  }
  if (requests.length === 0) {
    await write(`{\n  "requests": []`)
  } else {
    await write('{\n  "requests": [\n')
    for (let i = 0; i < requests.length; i += CHUNK) {
      const more = i + CHUNK < requests.length
      await write(`${nested(requests.slice(i, i + CHUNK))}${more ? ',\n' : '\n  ]'}`)
    }
  }
  await write(`,\n  "connections": ${list(connections, false)}  "pools": ${list(pools, true)}}\n`)
}
