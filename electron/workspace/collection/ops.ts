import { cp, lstat, mkdir, readdir, realpath, rename, rm, unlink } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import type { Environment } from '@opencollection/types/config/environments'
import { writeFileSafe } from '../files'
import { COLLECTION_FILE, ENVIRONMENTS_DIR, FOLDER_FILE } from './layout'
import { insideRoot, PathError, safeStem, toRelative, uniqueStem } from './names'
import { nextSeq, readDocAt } from './doc'
import { writeSecrets } from './secrets'
import { environmentDoc } from './write'
import { isRecord, stringifyYaml } from './yaml'

/**
 * Create, rename, move, duplicate and delete requests and folders; save a request or an
 * environment. Every path comes from a caller (the renderer, over the contract): it is resolved
 * inside the collection root, and the real path of what it names (after symlinks) must be inside
 * the root's real path too. Returns collection-relative paths.
 */

export type ItemKind = 'request' | 'folder'

/** The absolute path of `rel`, checked inside the root even after following symlinks. */
export async function checkedPath(root: string, rel: string): Promise<string> {
  const full = insideRoot(root, rel)
  const realRoot = await realpath(resolve(root))
  let probe = full
  // The deepest part that exists must really be inside the root (a symlinked folder may not).
  for (;;) {
    const real = await realpath(probe).catch(() => null)
    if (real !== null) {
      const rest = relative(realRoot, real)
      if (rest.startsWith('..') || rest.split(sep)[0] === '..' || resolve(realRoot, rest) !== real) {
        throw new PathError(`path '${rel}' leaves the collection through a symbolic link`)
      }
      return full
    }
    const parent = dirname(probe)
    if (parent === probe) return full
    probe = parent
  }
}

async function kindOf(full: string): Promise<'file' | 'folder' | null> {
  const info = await lstat(full).catch(() => null)
  if (!info) return null
  if (info.isSymbolicLink()) throw new PathError(`${basename(full)} is a symbolic link; not changed`)
  return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : null
}

async function folderAt(root: string, rel: string): Promise<string> {
  const full = await checkedPath(root, rel)
  if (rel !== '' && (await kindOf(full)) !== 'folder')
    throw new PathError(`'${rel}' is not a folder of the collection`)
  if (rel.split('/')[0] === ENVIRONMENTS_DIR) throw new PathError(`'${rel}' holds environments, not requests`)
  return full
}

async function itemAt(root: string, rel: string): Promise<{ full: string; kind: ItemKind }> {
  if (
    rel === '' ||
    rel === COLLECTION_FILE ||
    rel.split('/')[0] === ENVIRONMENTS_DIR ||
    basename(rel) === FOLDER_FILE
  ) {
    throw new PathError(`'${rel || '.'}' is not a request or folder`)
  }
  const full = await checkedPath(root, rel)
  const kind = await kindOf(full)
  if (kind === 'folder') return { full, kind: 'folder' }
  if (kind === 'file' && /\.ya?ml$/i.test(rel)) return { full, kind: 'request' }
  throw new PathError(`no request or folder at '${rel}'`)
}

async function stemsIn(dir: string): Promise<Set<string>> {
  return new Set((await readdir(dir).catch(() => [] as string[])).map((n) => n.replace(/\.ya?ml$/i, '')))
}

function setName(doc: Record<string, unknown>, name: string): Record<string, unknown> {
  return { ...doc, info: { ...(isRecord(doc.info) ? doc.info : {}), name } }
}

export async function createItem(
  root: string,
  parent: string,
  kind: ItemKind,
  name: string,
): Promise<string> {
  const dir = await folderAt(root, parent)
  const stem = uniqueStem(safeStem(name), await stemsIn(dir))
  const seq = await nextSeq(dir)
  if (kind === 'folder') {
    await mkdir(join(dir, stem))
    await writeFileSafe(join(dir, stem, FOLDER_FILE), stringifyYaml({ info: { name, type: 'folder', seq } }))
    return toRelative(root, join(dir, stem))
  }
  const doc = { info: { name, type: 'http', seq }, http: { method: 'GET', url: '' } }
  await writeFileSafe(join(dir, `${stem}.yml`), stringifyYaml(doc))
  return toRelative(root, join(dir, `${stem}.yml`))
}

/**
 * Keep `extensions.sockeye.requests` (per-request settings keyed by path) pointing at the same
 * requests after a rename, move or delete (`to` null). opencollection.yml is rewritten only when
 * a key changes.
 */
async function rekey(root: string, from: string, to: string | null): Promise<void> {
  const file = join(resolve(root), COLLECTION_FILE)
  const doc = await readDocAt(file).catch(() => null)
  const ext =
    doc && isRecord(doc.extensions) && isRecord(doc.extensions.sockeye) ? doc.extensions.sockeye : null
  if (!doc || !ext || !isRecord(ext.requests)) return
  const requests: Record<string, unknown> = {}
  let changed = false
  for (const [key, value] of Object.entries(ext.requests)) {
    const hit = key === from || key.startsWith(`${from}/`)
    if (hit) changed = true
    if (!hit) requests[key] = value
    else if (to !== null) requests[to + key.slice(from.length)] = value
  }
  if (!changed) return
  await writeFileSafe(
    file,
    stringifyYaml({ ...doc, extensions: { ...(doc.extensions as object), sockeye: { ...ext, requests } } }),
  )
}

export async function renameItem(root: string, path: string, name: string): Promise<string> {
  const { full, kind } = await itemAt(root, path)
  const dir = dirname(full)
  const own = kind === 'folder' ? basename(full) : basename(full).replace(/\.ya?ml$/i, '')
  const taken = await stemsIn(dir)
  taken.delete(own)
  const stem = uniqueStem(safeStem(name), taken)
  const meta = kind === 'folder' ? join(full, FOLDER_FILE) : full
  await writeFileSafe(meta, stringifyYaml(setName(await readDocAt(meta), name)))
  const target = kind === 'folder' ? join(dir, stem) : join(dir, `${stem}.yml`)
  if (target !== full) await rename(full, target)
  await rekey(root, toRelative(root, full), toRelative(root, target))
  return toRelative(root, target)
}

export async function moveItem(root: string, path: string, parent: string): Promise<string> {
  const { full, kind } = await itemAt(root, path)
  const dir = await folderAt(root, parent)
  if (kind === 'folder' && (dir === full || dir.startsWith(`${full}${sep}`))) {
    throw new PathError(`cannot move folder '${path}' into itself`)
  }
  if (dirname(full) === dir) return path
  const own = basename(full)
  const stem = uniqueStem(kind === 'folder' ? own : own.replace(/\.ya?ml$/i, ''), await stemsIn(dir))
  const target = kind === 'folder' ? join(dir, stem) : join(dir, `${stem}.yml`)
  await rename(full, target)
  await rekey(root, toRelative(root, full), toRelative(root, target))
  return toRelative(root, target)
}

export async function duplicateItem(root: string, path: string): Promise<string> {
  const { full, kind } = await itemAt(root, path)
  const dir = dirname(full)
  const meta = kind === 'folder' ? join(full, FOLDER_FILE) : full
  const doc = await readDocAt(meta)
  const name = `${isRecord(doc.info) && typeof doc.info.name === 'string' ? doc.info.name : basename(full)} copy`
  const stem = uniqueStem(safeStem(name), await stemsIn(dir))
  const seq = await nextSeq(dir)
  const copy = { ...setName(doc, name), info: { ...(isRecord(doc.info) ? doc.info : {}), name, seq } }
  if (kind === 'folder') {
    const target = join(dir, stem)
    // Symlinks are copied as links (never followed), and an existing target is never overwritten.
    await cp(full, target, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true })
    await writeFileSafe(join(target, FOLDER_FILE), stringifyYaml(copy))
    return toRelative(root, target)
  }
  const target = join(dir, `${stem}.yml`)
  await writeFileSafe(target, stringifyYaml(copy))
  return toRelative(root, target)
}

export async function deleteItem(root: string, path: string): Promise<void> {
  const { full, kind } = await itemAt(root, path)
  if (kind === 'folder') await rm(full, { recursive: true })
  else await unlink(full)
  await rekey(root, toRelative(root, full), null)
}

/** Top-level keys of a request file that Sockeye edits; anything else in the file is kept. */
const EDITED = ['info', 'http', 'settings']

/**
 * Save a request: the edited blocks replace the file's, every other key already in the file
 * (runtime scripts, examples, docs, another tool's extension) is kept as it was. Inside `http`
 * and `settings` the same holds one level down: a key the document leaves out stays as the file has it (another
 * tool's key added since the composer read the file is not lost), and `null` removes one.
 */
export async function saveRequest(
  root: string,
  path: string,
  item: Record<string, unknown>,
): Promise<string> {
  if (
    !/\.ya?ml$/i.test(path) ||
    basename(path) === FOLDER_FILE ||
    path === COLLECTION_FILE ||
    path.split('/')[0] === ENVIRONMENTS_DIR
  ) {
    throw new PathError(`'${path}' is not a request file (name.yml in the collection)`)
  }
  const full = await checkedPath(root, path)
  await folderAt(root, toRelative(root, dirname(full)))
  if ((await kindOf(full)) === 'folder') throw new PathError(`'${path}' is a folder`)
  const existing = await readDocAt(full)
  const merged: Record<string, unknown> = { ...existing }
  // A block the document names replaces the file's (null or undefined removes it); a block it
  // leaves out stays as it was.
  for (const key of EDITED) {
    if (!(key in item)) continue
    if (item[key] === undefined || item[key] === null) delete merged[key]
    else if (key !== 'info' && isRecord(existing[key]) && isRecord(item[key])) {
      const block: Record<string, unknown> = { ...existing[key], ...item[key] }
      for (const [k, v] of Object.entries(block)) if (v === null) delete block[k]
      merged[key] = block
    } else merged[key] = item[key]
  }
  for (const [key, value] of Object.entries(item)) if (!EDITED.includes(key)) merged[key] = value
  await writeFileSafe(full, stringifyYaml(merged))
  return path
}

/** Save an environment; values of secret variables go to `.sockeye/secrets.json`, never the YAML. */
export async function saveEnvironment(
  root: string,
  environment: Environment,
  secretValues: Record<string, string>,
): Promise<string> {
  const dir = join(resolve(root), ENVIRONMENTS_DIR)
  await mkdir(dir, { recursive: true })
  const existing = await findEnvironment(root, environment.name)
  const path =
    existing ?? `${ENVIRONMENTS_DIR}/${uniqueStem(safeStem(environment.name), await stemsIn(dir))}.yml`
  await writeFileSafe(await checkedPath(root, path), stringifyYaml(environmentDoc(environment)))
  if (Object.keys(secretValues).length > 0) await writeSecrets(root, { [environment.name]: secretValues })
  return path
}

export async function deleteEnvironment(root: string, name: string): Promise<void> {
  const path = await findEnvironment(root, name)
  if (!path) throw new PathError(`no environment named '${name}'`)
  await unlink(await checkedPath(root, path))
}

async function findEnvironment(root: string, name: string): Promise<string | null> {
  const dir = join(resolve(root), ENVIRONMENTS_DIR)
  for (const file of await readdir(dir).catch(() => [] as string[])) {
    if (!/\.ya?ml$/i.test(file)) continue
    const doc = await readDocAt(join(dir, file)).catch(() => ({}) as Record<string, unknown>)
    const own = typeof doc.name === 'string' && doc.name ? doc.name : file.replace(/\.ya?ml$/i, '')
    if (own === name) return `${ENVIRONMENTS_DIR}/${file}`
  }
  return null
}
