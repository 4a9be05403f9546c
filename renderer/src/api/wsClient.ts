import { ApiError } from './errors'
import type { CallName, CallResult, ClientFrame, EngineEvent, ServerFrame } from './contract'
import type { LinkState, RendererApi } from './current'

// A record rather than the contract's CALL_NAMES so the renderer bundle carries no schemas;
// `satisfies` still fails the build when the contract gains a call this list lacks.
const CALLS = {
  send: true,
  getBody: true,
  snapshot: true,
  getPoolSettings: true,
  configurePool: true,
  closePool: true,
  clearHistory: true,
  exportHar: true,
  startDemo: true,
  openExternal: true,
  listRequests: true,
  configureMemory: true,
  cancel: true,
  cancelRun: true,
  // Workspace: collections, environments, history on disk.
  openCollection: true,
  newCollection: true,
  closeCollection: true,
  saveRequest: true,
  createItem: true,
  renameItem: true,
  moveItem: true,
  duplicateItem: true,
  deleteItem: true,
  saveEnvironment: true,
  deleteEnvironment: true,
  resolveRequest: true,
  searchHistory: true,
  getHistoryEntry: true,
  exportHistory: true,
  saveHistoryEntry: true,
  clearSavedHistory: true,
  resolveVariables: true,
  importInto: true,
  importCurl: true,
  copyCurl: true,
  openHar: true,
  importText: true,
  getUiState: true,
  setUiState: true,
  // Cookie jar.
  listCookies: true,
  setCookie: true,
  deleteCookie: true,
  clearCookies: true,
  setCookiesEnabled: true,
  checkFiles: true,
} as const satisfies Record<CallName, true>

const MIN_BACKOFF_MS = 200
const MAX_BACKOFF_MS = 5000

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
}

/**
 * Browser mode: the contract over one WebSocket. Calls are matched to results by id; calls made
 * while (re)connecting wait in an outbox; calls in flight when the socket drops reject, because
 * the server may or may not have run them and only the caller knows whether to retry.
 */
export function createWsApi(url: string, makeSocket = (u: string) => new WebSocket(u)): RendererApi {
  let socket: WebSocket | null = null
  let state: LinkState = 'connecting'
  let detail: string | null = null
  let nextId = 1
  let failures = 0
  const pending = new Map<number, Pending>()
  const outbox: ClientFrame[] = []
  const eventListeners = new Set<(events: EngineEvent[]) => void>()
  const linkListeners = new Set<(state: LinkState, detail: string | null) => void>()

  const setState = (next: LinkState, why: string | null) => {
    state = next
    detail = why
    for (const l of linkListeners) l(state, detail)
  }

  const onMessage = (raw: unknown) => {
    let frame: ServerFrame
    try {
      frame = JSON.parse(String(raw)) as ServerFrame
    } catch {
      return
    }
    if (frame.kind === 'events') {
      for (const l of eventListeners) l(frame.events)
    } else if (frame.kind === 'result') {
      const p = pending.get(frame.id)
      if (!p) return
      pending.delete(frame.id)
      const result = frame.result as CallResult<unknown>
      if (result.ok) p.resolve(result.value)
      else p.reject(new ApiError(result.error))
    }
  }

  const connect = () => {
    const ws = makeSocket(url)
    socket = ws
    ws.onopen = () => {
      failures = 0
      setState('open', null)
      for (const frame of outbox.splice(0)) ws.send(JSON.stringify(frame))
    }
    ws.onmessage = (ev) => onMessage(ev.data)
    ws.onclose = () => {
      socket = null
      for (const p of pending.values()) {
        p.reject(
          new ApiError({ code: 'ABORTED', phase: 'send', message: 'Lost the link to Sockeye; call again' }),
        )
      }
      pending.clear()
      failures++
      const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (failures - 1))
      setState(
        'connecting',
        failures > 2
          ? 'Cannot reach the Sockeye server: is `sockeye serve` running, and is the token in the URL current?'
          : 'Reconnecting to Sockeye…',
      )
      setTimeout(connect, delay)
    }
  }

  const call = (name: CallName, input: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const frame: ClientFrame = { kind: 'call', id: nextId++, name, input }
      pending.set(frame.id, { resolve, reject })
      if (socket && state === 'open') socket.send(JSON.stringify(frame))
      else outbox.push(frame)
    })

  const api = {
    onEvents(listener: (events: EngineEvent[]) => void) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onLink(listener: (state: LinkState, detail: string | null) => void) {
      linkListeners.add(listener)
      listener(state, detail)
      return () => linkListeners.delete(listener)
    },
  } as Record<string, unknown>
  for (const name of Object.keys(CALLS) as CallName[]) api[name] = (input: unknown) => call(name, input)
  connect()
  return api as unknown as RendererApi
}
