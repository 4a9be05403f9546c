import type { CallResult, EngineEvent, SockeyeApi, SockeyeError } from '../contract'
import { CALL_NAME_LIST, EVENTS_CHANNEL, ipcChannel } from '../contract/channels'

/** The slice of `ipcRenderer` the bridge uses (injected, so the bridge runs without Electron in tests). */
export interface IpcLike {
  invoke(channel: string, input: unknown): Promise<unknown>
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
}

/**
 * The rejection value of a failed call: the contract's `{code, phase, message}` as a plain object.
 * Not an `Error`: `contextBridge` copies an Error into the page with its message only and drops
 * every other property, so `code` and `phase` would never reach the renderer.
 */
export type CallRejection = SockeyeError & { name: 'SockeyeError' }

function rejection(error: SockeyeError): CallRejection {
  return { name: 'SockeyeError', code: error.code, phase: error.phase, message: error.message }
}

function isCallResult(value: unknown): value is CallResult<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const ok = (value as { ok?: unknown }).ok
  return ok === true || (ok === false && typeof (value as { error?: unknown }).error === 'object')
}

async function callMain(ipc: IpcLike, channel: string, name: string, input: unknown): Promise<unknown> {
  let result: unknown
  try {
    result = await ipc.invoke(channel, input)
  } catch (cause) {
    // invoke rejects only when main has no handler or the handler threw; main's handlers return
    // values, so this is a bug or a shutdown. Keep the first line only: no stack reaches the page.
    const detail = String((cause as Error)?.message ?? cause).split('\n')[0]
    throw rejection({ code: 'INTERNAL', phase: 'input', message: `${name}: ${detail}` })
  }
  if (!isCallResult(result)) {
    throw rejection({ code: 'INTERNAL', phase: 'input', message: `${name}: malformed reply from main` })
  }
  if (!result.ok) throw rejection(result.error)
  return result.value
}

/**
 * The renderer's API, one function per call name, derived from the contract's name list so no call
 * is wired by hand. Each resolves with the call's value or rejects with a `CallRejection`.
 * `onEvents` hands listeners the event batch only: the IpcRendererEvent (which carries `sender`,
 * i.e. ipcRenderer itself) never reaches the page.
 */
export function createSockeyeApi(ipc: IpcLike): SockeyeApi {
  const api: Record<string, unknown> = {}
  for (const name of CALL_NAME_LIST) {
    const channel = ipcChannel(name)
    api[name] = (input: unknown) => callMain(ipc, channel, name, input)
  }
  api.onEvents = (listener: (events: EngineEvent[]) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvents: listener must be a function')
    const relay = (_event: unknown, events: unknown): void => {
      if (Array.isArray(events)) listener(events as EngineEvent[])
    }
    ipc.on(EVENTS_CHANNEL, relay)
    return () => void ipc.removeListener(EVENTS_CHANNEL, relay)
  }
  return api as SockeyeApi
}
