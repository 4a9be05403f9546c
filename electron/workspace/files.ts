import { constants } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * The one way the workspace (and the CLI's `--har`) writes a file: atomically (temp file in the
 * same folder, fsync, rename, fsync of the folder) so a crash or a kill leaves the old or the new
 * content, never a partial file; and never over something that is not a regular file. A
 * symlink, FIFO, device (`/dev/null`) or folder at the path is refused with one line instead of
 * being silently replaced by a regular file (write-file-atomic alone follows symlinks and renames
 * over whatever is there).
 */

/** A write or read refused or failed; `message` is one line naming the path. */
export class FileError extends Error {
  override name = 'FileError'
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

/** What sits at `path`, in words, when it is not a regular file (null: a regular file or nothing). */
export async function notRegular(path: string): Promise<string | null> {
  const info = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null
    throw err
  })
  if (!info || info.isFile()) return null
  if (info.isSymbolicLink()) return 'a symbolic link'
  if (info.isDirectory()) return 'a directory'
  if (info.isFIFO()) return 'a FIFO (named pipe)'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

/** Check `path` can be replaced: null, or the one-line reason it cannot. */
export async function checkReplaceable(path: string): Promise<string | null> {
  try {
    const kind = await notRegular(path)
    return kind ? `${path} is ${kind}; refusing to replace it (give a regular file name)` : null
  } catch (err) {
    return `${path}: cannot check (${(err as NodeJS.ErrnoException).code ?? String(err)})`
  }
}

/**
 * Write `data` to `path` atomically; throws FileError with one line when refused or failed.
 * `mode` (e.g. 0o600 for a file holding secrets) is set on the new file; absent, write-file-atomic
 * keeps an existing file's mode.
 */
export async function writeFileSafe(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const refused = await checkReplaceable(path)
  if (refused) throw new FileError(refused, 'NOT_REGULAR')
  try {
    // Loaded on first write: the CLI's plain `sockeye <url>` runs should not pay for loading it.
    const { default: writeFileAtomic } = await import('write-file-atomic')
    await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data), { fsync: true, mode })
    await syncFolder(dirname(path))
  } catch (err) {
    if (err instanceof FileError) throw err
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
    const why =
      code === 'ENOENT'
        ? `folder ${dirname(path)} does not exist`
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOSPC'
            ? 'disk full'
            : `cannot write (${code})`
    throw new FileError(`${path}: ${why}`, code)
  }
}

/** fsync the folder so the rename itself survives a power loss (POSIX; a no-op where refused). */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => null)
  if (!handle) return
  await handle.sync().catch(() => undefined)
  await handle.close()
}

/**
 * Read a regular file of at most `max` bytes. Never blocks on a FIFO (O_NONBLOCK), never follows
 * a symlink (O_NOFOLLOW), never reads more than `max + 1` bytes of a file that grows meanwhile.
 */
export async function readFileBounded(path: string, max: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)
  const handle = await open(path, flags).catch((err: NodeJS.ErrnoException) => {
    const code = err.code ?? 'EIO'
    if (code === 'ELOOP') throw new FileError(`${path} is a symbolic link; not followed`, code)
    if (code === 'ENOENT') throw new FileError(`${path}: no such file`, code)
    throw new FileError(`${path}: cannot read (${code})`, code)
  })
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new FileError(`${path} is not a regular file; skipped`, 'NOT_REGULAR')
    if (info.size > max) throw new FileError(tooLarge(path, info.size, max), 'TOO_LARGE')
    const buffer = Buffer.alloc(Math.min(info.size, max) + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > max) throw new FileError(tooLarge(path, length, max), 'TOO_LARGE')
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}

function tooLarge(path: string, size: number, max: number): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`
  return `${path} is ${mib(size)}; the limit is ${mib(max)}`
}
