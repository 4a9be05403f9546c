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

/** The paths a request's chosen body reads, each once, with the field that names it. */
export function filesOf(request: HttpRequest): Array<{ path: string; what: string }> {
  const body = chosenBody(request.http)
  const out: Array<{ path: string; what: string }> = []
  if (body?.type === 'multipart-form') {
    for (const e of body.data ?? []) {
      if (!e || e.disabled || e.type !== 'file') continue
      for (const path of Array.isArray(e.value) ? e.value : [e.value])
        out.push({ path: String(path), what: `form part '${e.name}'` })
    }
  } else if (body?.type === 'file') {
    const variant = body.data.find((v) => v.selected) ?? body.data[0]
    if (variant) out.push({ path: variant.filePath, what: 'body file' })
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

/** Read every file a request names, or say in one line which one cannot be sent and why. */
export async function readRequestFiles(
  dir: string,
  request: HttpRequest,
  limit: number = LIMITS.bodyFileBytes,
): Promise<FilesRead> {
  const wanted = filesOf(request)
  const files = new Map<string, Buffer>()
  if (wanted.length === 0) return { ok: true, files }
  const root = await realpath(dir)
  let total = 0
  for (const { path, what } of wanted) {
    const named = `${what}: file ${JSON.stringify(path)}`
    if (path === '')
      return { ok: false, message: `${what}: no file named; pick a file in the collection folder` }
    let full: string
    try {
      full = insideRoot(root, path)
    } catch (err) {
      if (!(err instanceof PathError)) throw err
      return { ok: false, message: `${what}: ${err.message}; put the file inside the collection folder` }
    }
    let real: string
    try {
      real = await realpath(full)
    } catch (err) {
      const why = code(err) === 'ENOENT' ? 'does not exist' : `cannot be read (${code(err) || 'error'})`
      return { ok: false, message: `${named} ${why} in ${root}` }
    }
    // A symlink inside the folder may still point out of it.
    const inside = relative(root, real)
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      return {
        ok: false,
        message: `${named} is outside the collection folder ${root}; put it inside and name it relative to the folder`,
      }
    }
    // O_NONBLOCK: opening a FIFO put there after the check must not wait for a writer.
    let bytes: Buffer
    try {
      const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK)
      try {
        const stat = await handle.stat()
        if (!stat.isFile()) {
          return {
            ok: false,
            message: `${named} is not a regular file; name a file, not a directory or device`,
          }
        }
        // One byte past the room left is enough to refuse, whatever the size said: a file that grows
        // while it is read is refused, not cut.
        const room = limit - total
        bytes = await readUpTo(handle, room)
        if (bytes.length > room) {
          return {
            ok: false,
            message: `${named} takes the request's files past the body limit of ${limit / MiB} MiB; send a smaller file`,
          }
        }
      } finally {
        await handle.close()
      }
    } catch (err) {
      return { ok: false, message: `${named} cannot be read (${code(err) || 'error'})` }
    }
    total += bytes.length
    files.set(path, bytes)
  }
  return { ok: true, files }
}
