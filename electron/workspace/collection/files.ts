import { constants } from 'node:fs'
import { open, realpath, type FileHandle } from 'node:fs/promises'
import { isAbsolute, relative } from 'node:path'
import type { HttpRequest, HttpRequestBody } from '@opencollection/types/requests/http'
import { LIMITS, MiB } from '../../contract/limits'
import { insideRoot, PathError } from './names'

/**
 * The files a saved request sends (multipart file parts, a file body), read from the collection
 * folder before anything is sent. A path is relative to the folder and must stay inside it once
 * symlinks are followed (a shared collection must not upload `~/.ssh/id_rsa` through `../../`);
 * it must name a regular file (a FIFO would hang the run, `/dev/zero` never ends); and all of one
 * request's files together stay within the body limit.
 */

/** The bytes of each path a request names, by the path as written. */
export type RequestFiles = ReadonlyMap<string, Buffer>

export type FilesRead = { ok: true; files: RequestFiles } | { ok: false; message: string }

/** The request's body choice: a plain body, or the selected (else first) of its variants. */
export function chosenBody(http: HttpRequest['http']): HttpRequestBody | undefined {
  const body = http?.body
  if (!Array.isArray(body)) return body
  return (body.find((v) => v.selected) ?? body[0])?.body
}

/** Substitutes a path's `{{variables}}` (plain lookup) and names those left as text. */
export type Resolve = (text: string) => { text: string; unresolved: string[] }

const asWritten: Resolve = (text) => ({ text, unresolved: [] })

/** One file a request names: the path as written, as resolved, and the field that names it. */
export interface FileRef {
  written: string
  path: string
  what: string
  /** `{{names}}` the path still holds as text: such a path is not looked up. */
  unresolved: string[]
}

/** The paths a request's chosen body reads, each once (by resolved path), with the field that names it. */
export function filesOf(request: HttpRequest, resolve: Resolve = asWritten): FileRef[] {
  const body = chosenBody(request.http)
  const out: FileRef[] = []
  const add = (written: string, what: string) => {
    const done = resolve(written)
    out.push({ written, path: done.text, what, unresolved: done.unresolved })
  }
  if (body?.type === 'multipart-form') {
    for (const e of body.data ?? []) {
      if (!e || e.disabled || e.type !== 'file') continue
      for (const path of Array.isArray(e.value) ? e.value : [e.value])
        add(String(path), `form part '${e.name}'`)
    }
  } else if (body?.type === 'file') {
    const variant = body.data.find((v) => v.selected) ?? body.data[0]
    if (variant) add(variant.filePath, 'body file')
  }
  return out.filter((f, i) => out.findIndex((g) => g.path === f.path) === i)
}

/** At most `max + 1` bytes from an open file, device or FIFO, in order (one past `max` says "too big"). */
export async function readUpTo(handle: FileHandle, max: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  const buffer = Buffer.alloc(64 * 1024)
  while (total <= max) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, max + 1 - total), null)
    if (bytesRead === 0) break
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)))
    total += bytesRead
  }
  return Buffer.concat(chunks, total)
}

const code = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code ?? ''

/** A file of the collection folder, open for reading, or why it cannot be sent (a sentence tail). */
type Opened =
  | { ok: true; handle: FileHandle; size: number }
  /** `named`: `why` names the path itself (a path refused as written, before any lookup). */
  | { ok: false; why: string; named?: true }

/**
 * Open `path` (relative to the real folder `root`) the way every collection file is sent: inside
 * the folder once symlinks are followed, and a regular file (checked on the open handle, so a
 * FIFO or device put there after a check is still refused). `why` reads after "file \"path\"".
 */
async function openInside(root: string, path: string): Promise<Opened> {
  let full: string
  try {
    full = insideRoot(root, path)
  } catch (err) {
    if (!(err instanceof PathError)) throw err
    return { ok: false, why: `${err.message}; put the file inside the collection folder`, named: true }
  }
  let real: string
  try {
    real = await realpath(full)
  } catch (err) {
    const why = code(err) === 'ENOENT' ? 'does not exist' : `cannot be read (${code(err) || 'error'})`
    return { ok: false, why: `${why} in ${root}` }
  }
  // A symlink inside the folder may still point out of it.
  const inside = relative(root, real)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return {
      ok: false,
      why: `is outside the collection folder ${root}; put it inside and name it relative to the folder`,
    }
  }
  let handle: FileHandle
  try {
    // O_NONBLOCK: opening a FIFO put there after the check must not wait for a writer.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    return { ok: false, why: `cannot be read (${code(err) || 'error'})` }
  }
  try {
    const stat = await handle.stat()
    if (stat.isFile()) return { ok: true, handle, size: stat.size }
  } catch (err) {
    await handle.close()
    return { ok: false, why: `cannot be read (${code(err) || 'error'})` }
  }
  await handle.close()
  return { ok: false, why: 'is not a regular file; name a file, not a directory or device' }
}

const overLimit = (limit: number) =>
  `takes the request's files past the body limit of ${limit / MiB} MiB; send a smaller file`
const unresolvedWhy = (names: readonly string[]) =>
  `holds ${names.map((n) => `{{${n}}}`).join(', ')}, not defined here; define it in the environment, a folder or the collection`

/** Options of readRequestFiles and checkFiles. */
export interface FileOptions {
  /** At most this many bytes for all of one request's files together (default: the body limit). */
  limit?: number
  /** Substitute `{{variables}}` in the paths (default: paths as written). */
  resolve?: Resolve
  /**
   * readRequestFiles with `false`: every check made as when reading (the open handle inside the
   * folder, a regular file, its size against the limit), but no content read; each path then
   * maps to an empty buffer (`sockeye export --curl --env`, whose command reads the files itself).
   */
  contents?: boolean
}

/**
 * Read every file a request names, or say in one line which one cannot be sent and why. A path
 * with an undefined `{{variable}}` is not read (the caller reports it with the request's other
 * unresolved names; prepareRequest lists it).
 */
export async function readRequestFiles(
  dir: string,
  request: HttpRequest,
  options: FileOptions = {},
): Promise<FilesRead> {
  const limit = options.limit ?? LIMITS.bodyFileBytes
  const wanted = filesOf(request, options.resolve)
  const files = new Map<string, Buffer>()
  if (wanted.length === 0) return { ok: true, files }
  const root = await realpath(dir)
  let total = 0
  for (const { path, what, unresolved } of wanted) {
    if (unresolved.length > 0) continue
    if (path === '')
      return { ok: false, message: `${what}: no file named; pick a file in the collection folder` }
    const opened = await openInside(root, path)
    const named = `${what}: file ${JSON.stringify(path)}`
    if (!opened.ok)
      return { ok: false, message: opened.named ? `${what}: ${opened.why}` : `${named} ${opened.why}` }
    let bytes: Buffer
    try {
      // One byte past the room left is enough to refuse, whatever the size said: a file that grows
      // while it is read is refused, not cut.
      const room = limit - total
      if (opened.size > room) return { ok: false, message: `${named} ${overLimit(limit)}` }
      bytes = options.contents === false ? Buffer.alloc(0) : await readUpTo(opened.handle, room)
      if (bytes.length > room) return { ok: false, message: `${named} ${overLimit(limit)}` }
    } catch (err) {
      return { ok: false, message: `${named} cannot be read (${code(err) || 'error'})` }
    } finally {
      await opened.handle.close()
    }
    total += options.contents === false ? opened.size : bytes.length
    files.set(path, bytes)
  }
  return { ok: true, files }
}

/** What the composer shows for one file a request names: its size, or why it cannot be sent. */
export interface FileCheck {
  /** The path as written (`{{variables}}` kept). */
  written: string
  /** The path with its variables substituted. */
  path: string
  /** Bytes on disk; null when the file cannot be sent. */
  size: number | null
  /** One line (`does not exist in /col`, `is not a regular file; …`); null when it can be sent. */
  problem: string | null
}

/**
 * The checks readRequestFiles makes, without reading any content: each path's size, or the
 * reason it would be refused (outside the folder, not a regular file, past the body limit with
 * the files before it, an undefined variable).
 */
export async function checkFiles(
  dir: string,
  written: readonly string[],
  options: FileOptions = {},
): Promise<FileCheck[]> {
  const limit = options.limit ?? LIMITS.bodyFileBytes
  const resolve = options.resolve ?? asWritten
  const root = await realpath(dir)
  const out: FileCheck[] = []
  let total = 0
  for (const w of written) {
    const { text: path, unresolved } = resolve(w)
    const check = (size: number | null, problem: string | null) =>
      out.push({ written: w, path, size, problem })
    if (unresolved.length > 0) check(null, unresolvedWhy(unresolved))
    else if (path === '') check(null, 'no file named; name a file in the collection folder')
    else {
      const opened = await openInside(root, path)
      if (!opened.ok) check(null, opened.why)
      else {
        await opened.handle.close()
        const seen = out.some((f) => f.path === path && f.size !== null)
        if (!seen) total += opened.size
        if (total > limit) check(opened.size, overLimit(limit))
        else check(opened.size, null)
      }
    }
  }
  return out
}
