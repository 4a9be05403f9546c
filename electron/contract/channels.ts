import type { CallName } from './calls'

/**
 * Every call name as a plain literal list, for code that must not bundle the call schemas: the
 * sandboxed preload can `require` nothing but `electron`, so valibot must stay out of it. The type
 * below fails to compile when a call is added to `callSchemas` and not here; a unit test checks
 * that the order matches `CALL_NAMES` too.
 */
export const CALL_NAME_LIST = [
  'send',
  'getBody',
  'snapshot',
  'getPoolSettings',
  'configurePool',
  'closePool',
  'clearHistory',
  'exportHar',
  'startDemo',
  'openExternal',
  'listRequests',
  'configureMemory',
  'cancel',
  'cancelRun',
  // Workspace (contract/workspace.ts WORKSPACE_CALL_NAMES, same order).
  'openCollection',
  'newCollection',
  'closeCollection',
  'saveRequest',
  'createItem',
  'renameItem',
  'moveItem',
  'duplicateItem',
  'deleteItem',
  'saveEnvironment',
  'deleteEnvironment',
  'resolveRequest',
  'searchHistory',
  'getHistoryEntry',
  'exportHistory',
  'saveHistoryEntry',
  'clearSavedHistory',
  'resolveVariables',
  'importInto',
  'importCurl',
  'copyCurl',
  'openHar',
  'importText',
  'getUiState',
  'setUiState',
  // Cookie jar (contract/cookies.ts).
  'listCookies',
  'setCookie',
  'deleteCookie',
  'clearCookies',
  'setCookiesEnabled',
  // A collection request's files (contract/files.ts).
  'checkFiles',
] as const satisfies readonly CallName[]

type Unlisted = Exclude<CallName, (typeof CALL_NAME_LIST)[number]>
/** Compile-time proof that `CALL_NAME_LIST` names every call (the type is the missing names otherwise). */
export const CALL_NAME_LIST_IS_COMPLETE: [Unlisted] extends [never] ? true : Unlisted = true

/** IPC channel names, derived from the call names. */
export const IPC_PREFIX = 'sockeye:'
export const EVENTS_CHANNEL = 'sockeye:events'
export const ipcChannel = (name: CallName): string => `${IPC_PREFIX}${name}`
