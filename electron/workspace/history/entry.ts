import type { BodyPayload } from '../../contract/calls'
import type { HistoryEntry, HistoryQuery, HistorySummary } from '../../contract/workspace'

export type { HistoryEntry, HistoryQuery, HistorySummary }

export const HISTORY_LIMITS = {
  /** Entries kept. */
  entries: 10_000,
  /** Response body bytes kept per entry (text or base64 length). */
  bodyBytes: 64 * 1024,
  /** Request body bytes kept per entry. */
  requestBytes: 64 * 1024,
  /** One line of the log; a longer one is skipped as damaged. */
  lineBytes: 1024 * 1024,
  /** Compact when the log holds this many more lines than `entries`. */
  slack: 2_000,
} as const

export function summarize(
  entry: Omit<HistoryEntry, 'body'> & { body?: unknown; rawBody?: unknown },
): HistorySummary {
  const { body: _b, rawBody: _r, request, ...rest } = entry
  const { body, ...spec } = request
  return { ...rest, request: { ...spec, bodyBytes: body ? body.length : 0 } }
}

export function matches(entry: Pick<HistoryEntry, 'session' | 'result'>, query: HistoryQuery): boolean {
  if (query.session !== undefined && entry.session !== query.session) return false
  if (query.socket !== undefined && entry.result.socket !== query.socket) return false
  if (query.status !== undefined) {
    const status = entry.result.status ?? 0
    const wanted = String(query.status).toLowerCase()
    if (/^[1-5]xx$/.test(wanted)) {
      if (String(status)[0] !== wanted[0] || status < 100) return false
    } else if (String(status) !== wanted) return false
  }
  if (query.text) {
    const text = query.text.toLowerCase()
    if (!entry.result.url.toLowerCase().includes(text) && entry.result.method.toLowerCase() !== text)
      return false
  }
  return true
}

/** Cut a body to the budget (base64 is cut on a 4-character boundary so it stays decodable). */
export function budgetBody(body: BodyPayload | null, max: number): BodyPayload | null {
  if (!body || body.data.length <= max) return body
  const cut = body.encoding === 'base64' ? max - (max % 4) : max
  return { ...body, data: body.data.slice(0, cut), truncated: true }
}
