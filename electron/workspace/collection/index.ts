/** OpenCollection folders on disk: read, write, names, secrets. */
export { readCollection } from './read'
export { bundle, requestsInOrder } from './bundle'
export { writeCollection, environmentDoc, type WriteOptions, type WriteOutcome } from './write'
export { safeStem, uniqueStem, insideRoot, toRelative, PathError } from './names'
export { readSecrets, writeSecrets, ensureGitignore, type Secrets } from './secrets'
export { parseYaml, stringifyYaml } from './yaml'
export { COLLECTION_FILE, FOLDER_FILE, ENVIRONMENTS_DIR, SECRETS_FILE, LIMITS } from './layout'
export type * from './types'
export {
  prepareRequest,
  locate,
  scopeFor,
  sockeyeSettings,
  resolverFor,
  encodeBody,
  withBodyType,
  type Prepared,
} from './request'
export { resolveTexts, type ResolvedTexts, type VariableInfo } from './resolve'
export {
  createItem,
  renameItem,
  moveItem,
  duplicateItem,
  deleteItem,
  saveRequest,
  saveEnvironment,
  deleteEnvironment,
  checkedPath,
  type ItemKind,
} from './ops'
export { watchCollection, type CollectionWatcher } from './watch'
