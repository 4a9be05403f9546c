import { isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * Names → file names that are safe on every OS, and relative paths that can never leave the
 * collection root. A request called `../../etc/passwd` becomes `_..-..-etc-passwd.yml` inside the
 * folder; `CON` becomes `_CON`; NUL and control characters become `-`.
 */

/** Windows device names, reserved with any extension (`CON.txt` is still the console). */
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i
/** Characters Windows forbids in file names, `/` and `\`, and every control character. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/g
const MAX_STEM = 120

/** File names the format or Sockeye reserves inside a collection folder. */
const RESERVED = new Set(['folder', 'opencollection', 'environments', '.sockeye', '.git', '.gitignore'])

/** A safe file-name stem (no extension) for an item called `name`. */
export function safeStem(name: string): string {
  let stem = name.normalize('NFC').replace(FORBIDDEN, '-').trim()
  // Windows drops trailing dots and spaces, so `a.` and `a` would be one file.
  stem = stem.replace(/[. ]+$/, '')
  if (stem.length > MAX_STEM) stem = stem.slice(0, MAX_STEM).replace(/[. ]+$/, '')
  if (stem === '' || /^\.+$/.test(stem)) stem = 'untitled'
  // A leading dot would hide the file (and `.git`, `.sockeye` are ours).
  if (stem.startsWith('.')) stem = `_${stem}`
  if (DEVICE.test(stem) || RESERVED.has(stem.toLowerCase())) stem = `_${stem}`
  return stem
}

/**
 * A stem not in `taken` (compared case-insensitively: macOS and Windows folders are). Adds
 * ` (2)`, ` (3)`, … like a file manager does.
 */
export function uniqueStem(stem: string, taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((t) => t.toLowerCase()))
  if (!lower.has(stem.toLowerCase())) return stem
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})`
    if (!lower.has(candidate.toLowerCase())) return candidate
  }
}

/** Thrown for a path that is absolute, climbs out, holds NUL, or is otherwise not a collection path. */
export class PathError extends Error {
  override name = 'PathError'
}

/**
 * Resolve a collection-relative path (`users/get.yml`) to an absolute path inside `root`, or
 * throw a one-line PathError. Accepts `/` or `\` separators; refuses `..`, absolute paths,
 * drive letters, NUL and device names in any segment.
 */
export function insideRoot(root: string, path: string): string {
  if (typeof path !== 'string' || path.length > 4096) throw new PathError('path is too long')
  if (path.includes('\0')) throw new PathError(`path '${printable(path)}' holds a NUL byte`)
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.startsWith('\\') || path.startsWith('/')) {
    throw new PathError(`path '${printable(path)}' is absolute; give one relative to the collection`)
  }
  const segments = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.')
  for (const segment of segments) {
    if (segment === '..') throw new PathError(`path '${printable(path)}' leaves the collection`)
    if (DEVICE.test(segment)) throw new PathError(`path '${printable(path)}' names a device (${segment})`)
  }
  const base = resolve(root)
  const full = resolve(base, ...segments)
  const rel = relative(base, full)
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new PathError(`path '${printable(path)}' leaves the collection`)
  }
  return full
}

/** The collection-relative, `/`-separated form of an absolute path inside `root`. */
export function toRelative(root: string, full: string): string {
  return relative(resolve(root), full).split(sep).join('/')
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, '?')
}
