import { appendFile, mkdir, open, stat, truncate } from 'node:fs/promises'
import { dirname } from 'node:path'
import { checkReplaceable, FileError, writeFileSafe } from '../files'
import {
  HISTORY_LIMITS,
  matches,
  summarize,
  type HistoryEntry,
  type HistoryQuery,
  type HistorySummary,
} from './entry'

/**
 * History on disk as an append-only JSON Lines log: one entry per line, appended as requests end.
 * A crash can only tear the last line; on open it is ignored and cut off so the next append
 * starts clean. A line is `<entry JSON without body>\t<body JSON>` (JSON never holds a raw tab):
 * opening parses only the entries, a body is parsed when asked for, so 10,000 entries open fast. Bounded: beyond `entries` (+ slack) the log is compacted, atomically (temp file +
 * rename), to the newest `entries`. A line that does not parse (a disk error, a hand edit) is
 * skipped and counted, the rest loads.
 */
/** An entry in memory: its body still as the JSON text it was stored as. */
type Kept = Omit<HistoryEntry, 'body'> & { rawBody: string }

export class HistoryStore {
  private entries: Kept[] = []
  private readonly byId = new Map<string, Kept>()
  private lines = 0
  /** Writes run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve()
  /** Lines skipped on open because they did not parse. */
  skipped = 0

  private constructor(
    readonly file: string,
    private readonly max: number,
    private readonly slack: number,
  ) {}

  /** Open (or create) the log at `file`. Throws FileError when `file` is not a regular file. */
  static async open(file: string, options: { max?: number; slack?: number } = {}): Promise<HistoryStore> {
    const refused = await checkReplaceable(file)
    if (refused) throw new FileError(refused, 'NOT_REGULAR')
    await mkdir(dirname(file), { recursive: true, mode: 0o700 })
    const store = new HistoryStore(
      file,
      options.max ?? HISTORY_LIMITS.entries,
      options.slack ?? HISTORY_LIMITS.slack,
    )
    await store.load()
    return store
  }

  private async load(): Promise<void> {
    const size = await stat(this.file).then(
      (s) => s.size,
      () => -1,
    )
    if (size < 0) return
    const handle = await open(this.file, 'r')
    let text: string
    try {
      text = (await handle.readFile()).toString('utf8')
    } finally {
      await handle.close()
    }
    const end = text.lastIndexOf('\n') + 1
    // A last line without its newline was torn by a crash mid-append: ignore it and cut it off.
    if (end < text.length) await truncate(this.file, Buffer.byteLength(text.slice(0, end)))
    let start = 0
    while (start < end) {
      const stop = text.indexOf('\n', start)
      const line = text.slice(start, stop)
      start = stop + 1
      this.lines++
      if (line.length === 0) continue
      if (line.length > HISTORY_LIMITS.lineBytes) {
        this.skipped++
        continue
      }
      const entry = parseLine(line)
      if (entry) this.keep(entry)
      else this.skipped++
    }
    this.trim()
    if (this.lines > this.max + this.slack) await this.compact()
  }

  private keep(entry: Kept): void {
    const old = this.byId.get(entry.id)
    if (old) this.entries.splice(this.entries.indexOf(old), 1)
    this.entries.push(entry)
    this.byId.set(entry.id, entry)
  }

  private trim(): void {
    const excess = this.entries.length - this.max
    if (excess <= 0) return
    for (const dropped of this.entries.splice(0, excess)) this.byId.delete(dropped.id)
  }

  /** Keep `entry`: in memory at once, on disk once the append lands (awaited by the returned promise). */
  append(entry: HistoryEntry): Promise<void> {
    const { body, ...head } = entry
    const kept: Kept = { ...head, rawBody: JSON.stringify(body ?? null) }
    this.keep(kept)
    this.trim()
    const line = lineOf(kept)
    return this.enqueue(async () => {
      await appendFile(this.file, line, { mode: 0o600 })
      this.lines++
      if (this.lines > this.max + this.slack) await this.compact()
    })
  }

  /** Rewrite the log with only the kept entries (atomic: a crash leaves the old or the new log). */
  private async compact(): Promise<void> {
    await writeFileSafe(this.file, this.entries.map(lineOf).join(''))
    this.lines = this.entries.length
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task)
    this.queue = run.catch(() => undefined)
    return run
  }

  get size(): number {
    return this.entries.length
  }

  /** Newest first. */
  search(query: HistoryQuery = {}): HistorySummary[] {
    const limit = Math.max(1, Math.min(query.limit ?? 200, this.max))
    const out: HistorySummary[] = []
    let i = this.entries.length - 1
    if (query.before !== undefined) {
      const at = this.byId.get(query.before)
      i = at ? this.entries.indexOf(at) - 1 : -1
    }
    for (; i >= 0 && out.length < limit; i--) {
      const entry = this.entries[i] as Kept
      if (matches(entry, query)) out.push(summarize(entry))
    }
    return out
  }

  get(id: string): HistoryEntry | null {
    const kept = this.byId.get(id)
    return kept ? withBody(kept) : null
  }

  /** Every kept entry with its body, oldest first (for HAR export). */
  all(): HistoryEntry[] {
    return this.entries.map(withBody)
  }

  clear(): Promise<void> {
    this.entries = []
    this.byId.clear()
    return this.enqueue(() => this.compact())
  }

  /** Wait for pending writes. */
  flush(): Promise<void> {
    return this.queue
  }
}

/** The log line for an entry (exported for tests that build large logs). */
export function formatLine(entry: HistoryEntry): string {
  const { body, ...head } = entry
  return lineOf({ ...head, rawBody: JSON.stringify(body ?? null) })
}

function lineOf(kept: Kept): string {
  const { rawBody, ...head } = kept
  return `${JSON.stringify(head)}\t${rawBody}\n`
}

function withBody(kept: Kept): HistoryEntry {
  const { rawBody, ...head } = kept
  let body: HistoryEntry['body']
  try {
    body = JSON.parse(rawBody) as HistoryEntry['body']
  } catch {
    body = null
  }
  return { ...head, body: body && typeof body === 'object' && typeof body.data === 'string' ? body : null }
}

function parseLine(line: string): Kept | null {
  const tab = line.indexOf('\t')
  try {
    const value = JSON.parse(tab < 0 ? line : line.slice(0, tab)) as Kept & { body?: unknown }
    if (!value || typeof value.id !== 'string' || typeof value.result !== 'object' || !value.result)
      return null
    if (typeof value.result.url !== 'string' || typeof value.request !== 'object' || !value.request)
      return null
    value.rawBody = tab < 0 ? JSON.stringify(value.body ?? null) : line.slice(tab + 1)
    delete value.body
    return value
  } catch {
    return null
  }
}
