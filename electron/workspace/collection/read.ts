import { lstat, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { OpenCollection } from '@opencollection/types'
import type { Folder, Item } from '@opencollection/types/collection/item'
import type { Environment } from '@opencollection/types/config/environments'
import { FileError, readFileBounded } from '../files'
import { COLLECTION_FILE, FOLDER_FILE, ENVIRONMENTS_DIR, LIMITS } from './layout'
import { decodeUtf8, isRecord, parseYaml } from './yaml'
import type { CollectionNode, FolderNode, LoadedCollection, LoadedEnvironment, Problem } from './types'

/**
 * Read an OpenCollection folder as Bruno lays it out: `opencollection.yml`, one `<name>.yml` per
 * request, `folder.yml` per folder, `environments/<name>.yml`. Never throws for a bad file: each
 * becomes one Problem line and the rest loads. Symlinks are not followed (a link cannot pull a
 * file from outside the collection in), FIFOs and devices are skipped without being opened.
 */
export async function readCollection(dir: string): Promise<LoadedCollection> {
  const root = resolve(dir)
  const problems: Problem[] = []
  const budget = { files: LIMITS.files, folders: LIMITS.folders }
  const info = await lstat(root).catch(() => null)
  if (!info?.isDirectory()) {
    const message = info ? `${root} is not a folder` : `${root}: no such folder`
    return {
      dir: root,
      root: {},
      items: [],
      environments: [],
      problems: [{ file: '.', line: null, message }],
    }
  }
  const rootDoc = await readDoc(root, COLLECTION_FILE, problems)
  const collection: OpenCollection = isRecord(rootDoc) ? (rootDoc as OpenCollection) : {}
  if (rootDoc === undefined) {
    problems.push({
      file: COLLECTION_FILE,
      line: null,
      message: `no ${COLLECTION_FILE}: not an OpenCollection folder (read as one anyway)`,
    })
  }
  delete collection.items
  const environments = await readEnvironments(root, problems)
  const items = await readFolder(root, '', 0, problems, budget)
  return { dir: root, root: collection, items, environments, problems }
}

/** Read and parse one file; `undefined` when absent, `null` when it had a problem (recorded). */
async function readDoc(root: string, rel: string, problems: Problem[]): Promise<unknown> {
  let bytes: Buffer
  try {
    bytes = await readFileBounded(join(root, rel), LIMITS.fileBytes)
  } catch (err) {
    if (err instanceof FileError && err.code === 'ENOENT') return undefined
    const message = err instanceof FileError ? err.message.replace(join(root, rel), rel) : String(err)
    problems.push({ file: rel, line: null, message: `${message}` })
    return null
  }
  const text = decodeUtf8(bytes)
  if (!text.ok) {
    problems.push({ file: rel, line: text.line, message: text.message })
    return null
  }
  const parsed = parseYaml(text.text ?? '')
  if (!parsed.ok) {
    problems.push({ file: rel, line: parsed.line, message: parsed.message })
    return null
  }
  return parsed.value
}

async function list(full: string, rel: string, problems: Problem[]) {
  try {
    return await readdir(full, { withFileTypes: true })
  } catch (err) {
    problems.push({
      file: rel || '.',
      line: null,
      message: `cannot list (${(err as NodeJS.ErrnoException).code})`,
    })
    return []
  }
}

async function readFolder(
  root: string,
  rel: string,
  depth: number,
  problems: Problem[],
  budget: { files: number; folders: number },
): Promise<CollectionNode[]> {
  const entries = await list(join(root, rel), rel, problems)
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const nodes: CollectionNode[] = []
  for (const entry of entries) {
    const name = entry.name
    const path = rel ? `${rel}/${name}` : name
    if (name.startsWith('.') || name === 'node_modules') continue
    if (entry.isSymbolicLink()) {
      problems.push({
        file: path,
        line: null,
        message: 'symbolic link not followed (collections hold their own files)',
      })
      continue
    }
    if (entry.isDirectory()) {
      if (!rel && name === ENVIRONMENTS_DIR) continue
      if (--budget.folders < 0) {
        if (budget.folders === -1) {
          problems.push({
            file: path,
            line: null,
            message: `more than ${LIMITS.folders} folders; the rest are not loaded`,
          })
        }
        continue
      }
      if (depth + 1 > LIMITS.depth) {
        problems.push({
          file: path,
          line: null,
          message: `nested deeper than ${LIMITS.depth} folders; skipped`,
        })
        continue
      }
      nodes.push(await readSubfolder(root, path, name, depth, problems, budget))
      continue
    }
    if (!/\.ya?ml$/i.test(name) || name === FOLDER_FILE || (!rel && name === COLLECTION_FILE)) continue
    if (!entry.isFile()) {
      problems.push({ file: path, line: null, message: 'not a regular file; skipped' })
      continue
    }
    if (--budget.files < 0) {
      if (budget.files === -1)
        problems.push({
          file: path,
          line: null,
          message: `more than ${LIMITS.files} files; the rest are not loaded`,
        })
      continue
    }
    const doc = await readDoc(root, path, problems)
    if (doc === null || doc === undefined) continue
    const node = requestNode(path, doc, problems)
    if (node) nodes.push(node)
  }
  return sortNodes(nodes)
}

async function readSubfolder(
  root: string,
  path: string,
  name: string,
  depth: number,
  problems: Problem[],
  budget: { files: number; folders: number },
): Promise<FolderNode> {
  const doc = await readDoc(root, `${path}/${FOLDER_FILE}`, problems)
  const folder: Folder = isRecord(doc) ? (doc as Folder) : {}
  delete folder.items
  const items = await readFolder(root, path, depth + 1, problems, budget)
  return {
    kind: 'folder',
    path,
    name: typeof folder.info?.name === 'string' && folder.info.name ? folder.info.name : name,
    seq: seqOf(folder.info?.seq),
    folder,
    items,
  }
}

function requestNode(path: string, doc: unknown, problems: Problem[]): CollectionNode | null {
  if (!isRecord(doc)) {
    problems.push({
      file: path,
      line: 1,
      message: 'not an OpenCollection item (expected a map with info and http)',
    })
    return null
  }
  const info = isRecord(doc.info) ? doc.info : {}
  const type = typeof info.type === 'string' ? info.type : typeof doc.type === 'string' ? doc.type : ''
  if (!type) {
    problems.push({
      file: path,
      line: 1,
      message: 'no info.type (expected http, graphql, grpc, websocket, …); skipped',
    })
    return null
  }
  if (type === 'http' && doc.http !== undefined && !isRecord(doc.http)) {
    problems.push({ file: path, line: null, message: 'http must be a map (method, url, …); skipped' })
    return null
  }
  const stem =
    path
      .split('/')
      .pop()
      ?.replace(/\.ya?ml$/i, '') ?? path
  return {
    kind: 'request',
    path,
    name: typeof info.name === 'string' && info.name ? info.name : stem,
    seq: seqOf(info.seq),
    type,
    item: doc as Item,
  }
}

function seqOf(seq: unknown): number {
  return typeof seq === 'number' && Number.isFinite(seq) ? seq : Number.MAX_SAFE_INTEGER
}

/** Bruno's order: by seq, then by name. */
function sortNodes(nodes: CollectionNode[]): CollectionNode[] {
  return nodes.sort((a, b) => a.seq - b.seq || a.name.localeCompare(b.name))
}

async function readEnvironments(root: string, problems: Problem[]): Promise<LoadedEnvironment[]> {
  const info = await lstat(join(root, ENVIRONMENTS_DIR)).catch(() => null)
  if (!info?.isDirectory()) return []
  const out: LoadedEnvironment[] = []
  for (const entry of await list(join(root, ENVIRONMENTS_DIR), ENVIRONMENTS_DIR, problems)) {
    if (!/\.ya?ml$/i.test(entry.name) || entry.name.startsWith('.')) continue
    const path = `${ENVIRONMENTS_DIR}/${entry.name}`
    if (!entry.isFile()) {
      problems.push({ file: path, line: null, message: 'not a regular file; skipped' })
      continue
    }
    const doc = await readDoc(root, path, problems)
    if (doc === null || doc === undefined) continue
    if (!isRecord(doc)) {
      problems.push({
        file: path,
        line: 1,
        message: 'not an environment (expected a map with name and variables)',
      })
      continue
    }
    const environment = doc as unknown as Environment
    if (typeof environment.name !== 'string' || !environment.name)
      environment.name = entry.name.replace(/\.ya?ml$/i, '')
    if (environment.variables !== undefined && !Array.isArray(environment.variables)) {
      problems.push({ file: path, line: null, message: 'variables must be a list of {name, value}; ignored' })
      environment.variables = []
    }
    out.push({ path, environment })
  }
  return out.sort((a, b) => a.environment.name.localeCompare(b.environment.name))
}
