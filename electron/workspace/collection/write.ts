import { lstat, mkdir, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { OpenCollection } from '@opencollection/types'
import type { Folder, Item } from '@opencollection/types/collection/item'
import type { Environment } from '@opencollection/types/config/environments'
import { writeFileSafe } from '../files'
import { nextSeq } from './doc'
import { COLLECTION_FILE, ENVIRONMENTS_DIR, FOLDER_FILE } from './layout'
import { safeStem, uniqueStem } from './names'
import { writeSecrets, ensureGitignore, type Secrets } from './secrets'
import { isRecord, stringifyYaml } from './yaml'

export interface WriteOptions {
  /** Secret values per environment name → variable name; go to `.sockeye/secrets.json`, never YAML. */
  secrets?: Secrets
}

export interface WriteOutcome {
  /** Collection-relative paths written, in order. */
  files: string[]
}

/**
 * Write an OpenCollection (bundled form: nested `items`, environments in `config.environments`)
 * as Bruno's folder layout under `dir`. Names become safe file names; a name already taken on
 * disk gets ` (2)` rather than replacing that file, and an existing `opencollection.yml` is kept,
 * so writing into an existing folder or collection loses nothing. Every file is written atomically.
 */
export async function writeCollection(
  dir: string,
  collection: OpenCollection,
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const root = resolve(dir)
  await mkdir(root, { recursive: true })
  const files: string[] = []
  const { items, config, ...rest } = collection
  const environments = config?.environments ?? []
  const rootDoc: Record<string, unknown> = {
    opencollection: '1.0.0',
    ...rest,
    info: { ...rest.info, name: rest.info?.name || 'Untitled Collection' },
    bundled: false,
  }
  if (config) {
    const { environments: _omit, ...kept } = config
    if (Object.keys(kept).length > 0) rootDoc.config = kept
  }
  // Writing into an existing collection adds its items and environments; its own
  // opencollection.yml (variables, headers, extensions) is kept, not replaced.
  const existing = await lstat(join(root, COLLECTION_FILE)).catch(() => null)
  if (!existing) await put(root, COLLECTION_FILE, rootDoc, files)
  await writeItems(root, '', items ?? [], files)
  if (environments.length > 0) {
    await mkdir(join(root, ENVIRONMENTS_DIR), { recursive: true })
    const taken = await existingStems(join(root, ENVIRONMENTS_DIR))
    for (const environment of environments) {
      const name = environment.name || 'environment'
      const stem = uniqueStem(safeStem(name), taken)
      taken.add(stem)
      // A second `local` becomes `local (2)` in name too, so the environment picker tells them apart.
      const renamed = { ...environment, name: `${name}${stem.slice(safeStem(name).length)}` }
      await put(root, `${ENVIRONMENTS_DIR}/${stem}.yml`, environmentDoc(renamed), files)
    }
  }
  await ensureGitignore(root)
  if (options.secrets && Object.keys(options.secrets).length > 0) await writeSecrets(root, options.secrets)
  return { files }
}

/** An environment as written: secret variables keep their name and `secret: true`, never a value. */
export function environmentDoc(environment: Environment): Environment {
  const variables = (environment.variables ?? []).map((v) => {
    if ('secret' in v && v.secret) {
      const { value: _drop, ...kept } = v as typeof v & { value?: unknown }
      return kept
    }
    return v
  })
  return { ...environment, variables }
}

function isFolder(item: Item): item is Folder {
  const info = (item as { info?: { type?: unknown } }).info
  if (isRecord(info) && info.type === 'folder') return true
  return Array.isArray((item as Folder).items) && !('http' in item)
}

function itemName(item: Item): string {
  const info = (item as { info?: { name?: unknown } }).info
  if (isRecord(info) && typeof info.name === 'string' && info.name.trim()) return info.name
  return (item as { type?: unknown }).type === 'script' ? 'script' : 'Untitled'
}

async function writeItems(root: string, rel: string, items: readonly Item[], files: string[]): Promise<void> {
  const taken = await existingStems(join(root, rel))
  // Into a folder that already has requests, the new ones follow them.
  let seq = taken.size > 0 ? (await nextSeq(join(root, rel))) - 1 : 0
  for (const item of items) {
    seq++
    const stem = uniqueStem(safeStem(itemName(item)), taken)
    taken.add(stem)
    const path = rel ? `${rel}/${stem}` : stem
    if (isFolder(item)) {
      await mkdir(join(root, path), { recursive: true })
      const { items: children, ...folder } = item
      await put(root, `${path}/${FOLDER_FILE}`, withSeq({ ...folder }, seq, 'folder', itemName(item)), files)
      await writeItems(root, path, children ?? [], files)
    } else {
      await put(root, `${path}.yml`, withSeq({ ...item }, seq, null, itemName(item)), files)
    }
  }
}

/** Fill `info.name`/`info.seq` (and `type` for folders) when the source had none. */
function withSeq(doc: Record<string, unknown>, seq: number, type: string | null, name: string) {
  if ((doc as { type?: unknown }).type === 'script') return doc
  const info = isRecord(doc.info) ? { ...doc.info } : {}
  if (typeof info.name !== 'string' || !info.name) info.name = name
  if (type && !info.type) info.type = type
  if (typeof info.seq !== 'number') info.seq = seq
  return { ...doc, info }
}

async function existingStems(dir: string): Promise<Set<string>> {
  const names = await readdir(dir).catch(() => [] as string[])
  return new Set(names.map((n) => n.replace(/\.ya?ml$/i, '')))
}

async function put(root: string, rel: string, doc: unknown, files: string[]): Promise<void> {
  await writeFileSafe(join(root, rel), stringifyYaml(doc))
  files.push(rel)
}
