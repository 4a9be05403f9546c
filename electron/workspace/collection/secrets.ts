import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { FileError, readFileBounded, writeFileSafe } from '../files'
import { LOCAL_DIR, SECRETS_FILE } from './layout'
import { isRecord } from './yaml'

/**
 * Secret variable values live beside the collection in `.sockeye/secrets.json`, which the
 * collection's generated `.gitignore` excludes: the YAML files (the part shared in git) only say
 * `secret: true`. Shape: environment name → variable name → value.
 */
export type Secrets = Record<string, Record<string, string>>

const MAX_SECRETS_BYTES = 1024 * 1024

export async function readSecrets(root: string): Promise<Secrets> {
  let bytes: Buffer
  try {
    bytes = await readFileBounded(join(root, SECRETS_FILE), MAX_SECRETS_BYTES)
  } catch (err) {
    if (err instanceof FileError && err.code === 'ENOENT') return {}
    throw err
  }
  let doc: unknown
  try {
    doc = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new FileError(`${SECRETS_FILE} is not valid JSON; fix or delete it`, 'INVALID')
  }
  const out: Secrets = Object.create(null) as Secrets
  if (!isRecord(doc)) return out
  for (const [env, vars] of Object.entries(doc)) {
    if (!isRecord(vars)) continue
    const kept: Record<string, string> = Object.create(null) as Record<string, string>
    for (const [name, value] of Object.entries(vars)) if (typeof value === 'string') kept[name] = value
    out[env] = kept
  }
  return out
}

/** Merge `secrets` into the file (per environment, per variable) and write it atomically. */
export async function writeSecrets(root: string, secrets: Secrets): Promise<void> {
  const current = await readSecrets(root).catch(() => ({}) as Secrets)
  for (const [env, vars] of Object.entries(secrets)) current[env] = { ...current[env], ...vars }
  await mkdir(join(root, LOCAL_DIR), { recursive: true, mode: 0o700 })
  await ensureGitignore(root)
  await writeFileSafe(join(root, SECRETS_FILE), `${JSON.stringify(current, null, 2)}\n`)
}

const IGNORE_LINE = `${LOCAL_DIR}/`

/** Make sure the collection's `.gitignore` excludes `.sockeye/` (created, or the line appended). */
export async function ensureGitignore(root: string): Promise<void> {
  const path = join(root, '.gitignore')
  let text = ''
  try {
    text = (await readFileBounded(path, MAX_SECRETS_BYTES)).toString('utf8')
  } catch (err) {
    if (!(err instanceof FileError && err.code === 'ENOENT')) return
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim())
  if (lines.includes(IGNORE_LINE) || lines.includes(LOCAL_DIR)) return
  const prefix = text && !text.endsWith('\n') ? `${text}\n` : text
  await writeFileSafe(
    path,
    `${prefix}# Sockeye's local files (secret values): never commit them\n${IGNORE_LINE}\n`,
  )
}
