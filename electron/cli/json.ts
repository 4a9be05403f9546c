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

const write = async (out: Drainable, text: string) => {
  if (out.write(text) === false && out.once) await new Promise<void>((r) => out.once?.('drain', r))
}

const list = (items: readonly unknown[], last: boolean) => {
  const comma = last ? '' : ','
  return items.length === 0 ? `[]${comma}\n` : `[\n${nested(items)}\n  ]${comma}\n`
}

/**
 * The `--json` document (`{ requests, connections, pools }`, 2-space indented, byte for byte what
 * `JSON.stringify(doc, null, 2)` prints) written while the run goes on: each result is written
 * (in chunks of a few hundred, or after 16 ms) as its request ends, so the engine need not keep
 * 100,000 records for a report at the end, and no string holds more than one chunk.
 */
export class JsonReportStream {
  private pending: RequestResult[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private first = true

  constructor(private readonly out: Drainable) {
    out.write('{\n  "requests": [')
  }

  push(result: RequestResult): void {
    this.pending.push(result)
    if (this.pending.length >= CHUNK) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), 16)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.pending.length === 0) return
    this.out.write(`${this.first ? '\n' : ',\n'}${nested(this.pending)}`)
    this.first = false
    this.pending = []
  }

  /** Close the requests list and write connections and pools; waits for the stream to drain. */
  async end(connections: readonly ConnectionInfo[], pools: readonly PoolStats[]): Promise<void> {
    this.flush()
    const close = this.first ? ']' : '\n  ]'
    await write(
      this.out,
      `${close},\n  "connections": ${list(connections, false)}  "pools": ${list(pools, true)}}\n`,
    )
  }
}

/** The whole `--json` document for results already at hand, a chunk at a time. */
export async function writeJsonReport(
  out: Drainable,
  requests: readonly RequestResult[],
  connections: readonly ConnectionInfo[],
  pools: readonly PoolStats[],
): Promise<void> {
  const stream = new JsonReportStream(out)
  for (const r of requests) stream.push(r)
  await stream.end(connections, pools)
}
