/** File names of the OpenCollection on-disk layout (as Bruno writes it) and the reader's bounds. */
export const COLLECTION_FILE = 'opencollection.yml'
export const FOLDER_FILE = 'folder.yml'
export const ENVIRONMENTS_DIR = 'environments'
/** Sockeye's local, never-committed folder beside the collection files (secrets). */
export const LOCAL_DIR = '.sockeye'
export const SECRETS_FILE = '.sockeye/secrets.json'

export const LIMITS = {
  /** One collection file; a request body is at most 10 MiB, its YAML a little more. */
  fileBytes: 16 * 1024 * 1024,
  /** Files read in one collection. */
  files: 10_000,
  /** Folder nesting. */
  depth: 32,
  /** Folders walked in one collection (opening `/` by mistake must not walk the whole disk). */
  folders: 2_000,
} as const
