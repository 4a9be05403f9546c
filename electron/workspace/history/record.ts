import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Har } from 'har-format'
import type { HttpRequest } from '@opencollection/types/requests/http'
import type { BodyPayload } from '../../contract/calls'
import type { ConnectionInfo, RequestResult, RequestSpec } from '../../contract/model'
import { buildHar } from '../../engine/har'
import { budgetBody, HISTORY_LIMITS, type HistoryEntry } from './entry'

/** The history log's default place: $SOCKEYE_STATE_DIR, $XDG_STATE_HOME/sockeye or ~/.local/state/sockeye. */
export function defaultHistoryFile(env: Record<string, string | undefined> = process.env): string {
  const dir =
    env.SOCKEYE_STATE_DIR ||
    (env.XDG_STATE_HOME ? join(env.XDG_STATE_HOME, 'sockeye') : join(homedir(), '.local', 'state', 'sockeye'))
  return join(dir, 'history.jsonl')
}

/** A session id: when this engine started, in base 36 (sortable, short). */
export function newSession(now = Date.now()): string {
  return now.toString(36)
}

/** Build the entry for a finished request; `spec` is what was sent (null: rebuilt from the result). */
export function historyEntry(
  session: string,
  result: RequestResult,
  spec: RequestSpec | null,
  connection: ConnectionInfo | null,
  body: BodyPayload | null,
): HistoryEntry {
  const request: RequestSpec = spec
    ? {
        ...spec,
        body: spec.body !== null && spec.body.length > HISTORY_LIMITS.requestBytes ? null : spec.body,
      }
    : { method: result.method, url: result.url, headers: result.requestHeaders, body: null }
  return {
    id: `${session}-${result.id}`,
    session,
    savedAt: Date.now(),
    result,
    request,
    connection,
    body: budgetBody(body, HISTORY_LIMITS.bodyBytes),
  }
}

/**
 * HAR 1.2 of history entries (the engine's own HAR builder, so both exports agree). Bodies are
 * included newest first until `bodyBudget` characters (10,000 entries × 64 KiB would be 640 MB,
 * far past what one IPC message or WebSocket frame should carry); older entries then go without.
 */
export function historyToHar(entries: readonly HistoryEntry[], bodyBudget = 8 * 1024 * 1024): Har {
  const connections = new Map<number, ConnectionInfo>()
  for (const e of entries) if (e.connection) connections.set(e.connection.id, e.connection)
  const withBody = new Set<HistoryEntry>()
  let left = bodyBudget
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as HistoryEntry
    const size = (e.body?.data.length ?? 0) + (e.request.body?.length ?? 0)
    if (size > left) break
    left -= size
    withBody.add(e)
  }
  return buildHar(
    entries.map((e) => ({
      result: e.result,
      body: withBody.has(e) ? e.body : null,
      requestBody:
        e.request.body === null
          ? null
          : Buffer.from(e.request.body, e.request.bodyEncoding === 'base64' ? 'base64' : 'utf8'),
    })),
    [...connections.values()],
  )
}

/** A history entry as an OpenCollection request, to save into a collection. */
export function historyToItem(entry: HistoryEntry, name?: string): HttpRequest {
  const { method, url, headers, body } = entry.request
  const contentType = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? ''
  const http: NonNullable<HttpRequest['http']> = { method, url }
  if (headers.length > 0) http.headers = headers.map(([n, v]) => ({ name: n, value: v }))
  if (body !== null && entry.request.bodyEncoding !== 'base64') {
    const type = /json/i.test(contentType) ? 'json' : /xml/i.test(contentType) ? 'xml' : 'text'
    http.body = { type, data: body }
  }
  return { info: { name: name || `${method} ${url}`.slice(0, 100), type: 'http' }, http }
}
