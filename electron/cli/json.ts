import type { ConnectionInfo, PoolStats, RequestResult } from '../contract'
import type { CliStream } from './run'

/** Requests per write: big enough that writes are few, small enough that no chunk is large. */
const CHUNK = 512

/** A stream that may ask the writer to wait (`write` returned false) until it drains. */
type Drainable = CliStream & { once?(event: 'drain', listener: () => void): unknown }

const indent = (json: string, pad: string) => pad + json.replace(/\n/g, `\n${pad}`)

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
    if (items.length === 0) return `[]${comma}\n`
    return `[\n${items.map((item) => indent(JSON.stringify(item, null, 2), '    ')).join(',\n')}\n  ]${comma}\n`
  }
  if (requests.length === 0) {
    await write(`{\n  "requests": []`)
  } else {
    await write('{\n  "requests": [\n')
    for (let i = 0; i < requests.length; i += CHUNK) {
      const part = requests.slice(i, i + CHUNK).map((r) => indent(JSON.stringify(r, null, 2), '    '))
      const more = i + CHUNK < requests.length
      await write(`${part.join(',\n')}${more ? ',\n' : '\n  ]'}`)
    }
  }
  await write(`,\n  "connections": ${list(connections, false)}  "pools": ${list(pools, true)}}\n`)
}
