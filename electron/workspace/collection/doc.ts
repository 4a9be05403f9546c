import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { FileError, readFileBounded } from '../files'
import { COLLECTION_FILE, FOLDER_FILE, LIMITS } from './layout'
import { decodeUtf8, isRecord, parseYaml } from './yaml'

/** One collection file as a map ({} when absent); a bad file throws a one-line FileError. */
export async function readDocAt(full: string): Promise<Record<string, unknown>> {
  const bytes = await readFileBounded(full, LIMITS.fileBytes).catch((err: unknown) => {
    if (err instanceof FileError && err.code === 'ENOENT') return null
    throw err
  })
  if (bytes === null) return {}
  const text = decodeUtf8(bytes)
  if (!text.ok) throw new FileError(`${basename(full)}:${text.line}: ${text.message}`, 'INVALID')
  const parsed = parseYaml(text.text ?? '')
  if (!parsed.ok) throw new FileError(`${basename(full)}:${parsed.line ?? 1}: ${parsed.message}`, 'INVALID')
  return isRecord(parsed.value) ? parsed.value : {}
}

/** The seq after the highest one among a folder's requests and subfolders (1 when none). */
export async function nextSeq(dir: string): Promise<number> {
  let max = 0
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = /\.ya?ml$/i.test(name) ? join(dir, name) : join(dir, name, FOLDER_FILE)
    if (name === FOLDER_FILE || name === COLLECTION_FILE || name.startsWith('.')) continue
    const doc = await readDocAt(file).catch(() => ({}) as Record<string, unknown>)
    const seq = isRecord(doc.info) ? doc.info.seq : undefined
    if (typeof seq === 'number' && Number.isFinite(seq)) max = Math.max(max, seq)
  }
  return max + 1
}
