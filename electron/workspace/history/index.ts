/** Request history on disk (append-only JSON Lines log), its search, HAR export and save-to-collection. */
export { HistoryStore, formatLine } from './store'
export { HISTORY_LIMITS, type HistoryEntry, type HistoryQuery, type HistorySummary } from './entry'
export { defaultHistoryFile, historyEntry, historyToHar, historyToItem, newSession } from './record'
