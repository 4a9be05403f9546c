import { randomBytes } from 'node:crypto'
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { LIMITS, MiB } from '../contract/limits'
import type { HarParts } from '../engine/har'
import type { DataArg, UsageError } from './args'
import { readUpTo } from '../workspace/collection/files'
import { nested } from './json'

/** The contract's cap on a request body file. */
const MAX_BODY_BYTES = LIMITS.bodyFileBytes

/** A request body ready for `RequestSpec`: UTF-8 text as is, anything else base64. */
export interface Body {
  data: string
  encoding: 'utf8' | 'base64'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** What `-d @-` reads: standard input, or a test's stream. */
export type Stdin = AsyncIterable<Buffer | string>

const tooLarge = (path: string): UsageError => ({
  code: 'INVALID_OPTION',
  message: `--data @${path} is more than ${MAX_BODY_BYTES} bytes; the limit is ${MAX_BODY_BYTES} (${MAX_BODY_BYTES / MiB} MiB)`,
})

/**
 * Read at most `max + 1` bytes, in order, from a file, device or FIFO (`-d @<(cmd)` is a FIFO):
 * one byte past the limit is enough to refuse, so `-d @/dev/zero` stops at 10 MiB + 1.
 */
export async function readAtMost(path: string, max: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    return await readUpTo(handle, max)
  } finally {
    await handle.close()
  }
}

/** `-d @-`: standard input up to the limit plus one byte. */
async function readStdin(stdin: Stdin, max: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    chunks.push(bytes)
    total += bytes.length
    if (total > max) break
  }
  return Buffer.concat(chunks, total)
}

/**
 * Resolve `-d TEXT` / `-d @file` / `-d @-` (standard input). A missing or unreadable file, or one
 * past the body limit, is a usage error, reported before sending.
 */
export async function readBody(
  data: DataArg,
  stdin: Stdin = process.stdin,
): Promise<{ ok: true; body: Body } | { ok: false; error: UsageError }> {
  if (data.kind === 'text') return { ok: true, body: { data: data.text, encoding: 'utf8' } }
  let bytes: Buffer
  try {
    bytes =
      data.path === '-' ? await readStdin(stdin, MAX_BODY_BYTES) : await readAtMost(data.path, MAX_BODY_BYTES)
  } catch (err) {
    return { ok: false, error: fileError(data.path, err) }
  }
  if (bytes.length > MAX_BODY_BYTES) return { ok: false, error: tooLarge(data.path) }
  try {
    return { ok: true, body: { data: utf8.decode(bytes), encoding: 'utf8' } }
  } catch {
    return { ok: true, body: { data: bytes.toString('base64'), encoding: 'base64' } }
  }
}

function fileError(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') {
    return { code: 'FILE_NOT_FOUND', message: `--data @${path}: no such file (looked in ${resolve(path)})` }
  }
  if (code === 'EISDIR')
    return { code: 'INVALID_OPTION', message: `--data @${path} is a directory, not a file` }
  if (code === 'EACCES') return { code: 'INVALID_OPTION', message: `--data @${path}: permission denied` }
  return { code: 'INVALID_OPTION', message: `--data @${path}: cannot read (${code ?? String(err)})` }
}

/**
 * Fail before sending anything when the HAR file (or, with `flag`, another output file) could not
 * be written: a directory must hold it.
 */
export async function checkHarTarget(path: string, flag = '--har'): Promise<UsageError | null> {
  const file = resolve(path)
  const dir = dirname(file)
  const [dirStat, fileStat] = await Promise.all([stat(dir).catch(() => null), stat(file).catch(() => null)])
  if (!dirStat) {
    return {
      code: 'INVALID_OPTION',
      message: `${flag} ${path}: directory ${dir} does not exist; create it first`,
    }
  }
  if (!dirStat.isDirectory())
    return { code: 'INVALID_OPTION', message: `${flag} ${path}: ${dir} is not a directory` }
  if (fileStat?.isDirectory()) {
    return { code: 'INVALID_OPTION', message: `${flag} ${path} is a directory; give a file name` }
  }
  // /dev/null, a FIFO or a symlink would be replaced by a regular file: refuse before sending.
  const { checkReplaceable } = await import('../workspace/files')
  const refused = await checkReplaceable(path)
  if (refused) return { code: 'INVALID_OPTION', message: `${flag} ${refused}` }
  return null
}

/** Entries per write: a few hundred entries' text at a time, never the whole document. */
const HAR_CHUNK = 256

/**
 * Write the HAR document atomically (a temp file beside it, fsync, rename): a crash or a full disk
 * never leaves a half-written file, and nothing but a regular file is replaced. Entries are written
 * a chunk at a time, so 100,000 requests do not become one 230 MB string (the bytes are what
 * `JSON.stringify(har, null, 2)` would write). Returns a one-line error or null.
 */
export async function writeHar(path: string, har: HarParts): Promise<string | null> {
  // Loaded here: only --har needs the workspace's file checks; other runs do not pay for them.
  const { checkReplaceable } = await import('../workspace/files')
  const refused = await checkReplaceable(path)
  if (refused) return `--har ${refused}`
  const temp = `${resolve(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  let file: FileHandle | null = null
  try {
    file = await open(temp, 'wx', 0o644)
    const head = `{\n  "log": {\n    "version": ${JSON.stringify(har.version)},\n    "creator": ${nested([har.creator], 2).trimStart()},\n    "entries": [`
    await file.write(head)
    let chunk: unknown[] = []
    let first = true
    const flush = async () => {
      await file!.write(`${first ? '\n' : ',\n'}${nested(chunk, 3)}`)
      first = false
      chunk = []
    }
    for (const entry of har.entries) {
      chunk.push(entry)
      if (chunk.length === HAR_CHUNK) await flush()
    }
    if (chunk.length > 0) await flush()
    await file.write(first ? ']\n  }\n}\n' : '\n    ]\n  }\n}\n')
    await file.sync()
    await file.close()
    file = null
    await rename(temp, path)
    return null
  } catch (err) {
    await file?.close().catch(() => {})
    await rm(temp, { force: true }).catch(() => {})
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return `--har ${path}: directory ${dirname(resolve(path))} does not exist`
    if (code === 'EACCES') return `--har ${path}: permission denied`
    if (code === 'EISDIR') return `--har ${path} is a directory; give a file name`
    return `--har ${path}: cannot write (${code ?? String(err)})`
  }
}
