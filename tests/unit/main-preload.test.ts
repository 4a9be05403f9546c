import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { CALL_NAMES, EVENTS_CHANNEL, ipcChannel, type EngineEvent } from '../../electron/contract'
import { CALL_NAME_LIST } from '../../electron/contract/channels'
import { createSockeyeApi, type IpcLike } from '../../electron/preload/bridge'

/** An ipcRenderer stand-in: `invoke` answers from a per-channel handler, events come from an emitter. */
function fakeIpc(handlers: Record<string, (input: unknown) => unknown>) {
  const emitter = new EventEmitter()
  const invoked: Array<[string, unknown]> = []
  const ipc: IpcLike = {
    async invoke(channel, input) {
      invoked.push([channel, input])
      const handler = handlers[channel]
      if (!handler)
        throw new Error(`Error invoking remote method '${channel}': No handler registered\n    at stack`)
      return handler(input)
    },
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener),
  }
  return { ipc, emitter, invoked }
}

describe('preload bridge', () => {
  it('lists the same call names, in the same order, as the contract’s call map', () => {
    expect([...CALL_NAME_LIST]).toEqual(CALL_NAMES)
  })

  it('exposes exactly one function per call plus onEvents, and nothing else', () => {
    const api = createSockeyeApi(fakeIpc({}).ipc)
    expect(Object.keys(api).sort()).toEqual([...CALL_NAMES, 'onEvents'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('sends a call on its own channel and resolves with the unwrapped value', async () => {
    const { ipc, invoked } = fakeIpc({
      [ipcChannel('send')]: () => ({ ok: true, value: { requestIds: [1, 2] } }),
    })
    const input = { request: { method: 'GET', url: 'http://127.0.0.1:1/', headers: [], body: null } }
    await expect(createSockeyeApi(ipc).send(input)).resolves.toEqual({ requestIds: [1, 2] })
    expect(invoked).toEqual([['sockeye:send', input]])
  })

  it('rejects with the typed error’s code, phase and one-line message', async () => {
    const error = { code: 'FORBIDDEN', phase: 'input', message: 'snapshot: refused' }
    const { ipc } = fakeIpc({ [ipcChannel('snapshot')]: () => ({ ok: false, error }) })
    await expect(createSockeyeApi(ipc).snapshot({})).rejects.toEqual({ name: 'SockeyeError', ...error })
  })

  it('turns a missing main handler into a one-line INTERNAL error without the stack', async () => {
    const rejection = await createSockeyeApi(fakeIpc({}).ipc)
      .exportHar({})
      .catch((e: unknown) => e)
    expect(rejection).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/^exportHar: .*No handler/),
    })
    expect((rejection as { message: string }).message).not.toContain('\n')
  })

  it('rejects a malformed reply from main instead of resolving with it', async () => {
    const { ipc } = fakeIpc({ [ipcChannel('clearHistory')]: () => 'not a result' })
    await expect(createSockeyeApi(ipc).clearHistory({})).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('hands event listeners the batch only, never the IPC event object', () => {
    const { ipc, emitter } = fakeIpc({})
    const received: unknown[][] = []
    createSockeyeApi(ipc).onEvents((events) => received.push([events]))
    const batch = [{ type: 'pool:closed', seq: 1, t: 0, origin: 'http://127.0.0.1:1' }] as EngineEvent[]
    emitter.emit(EVENTS_CHANNEL, { sender: 'ipcRenderer would leak here' }, batch)
    expect(received).toEqual([[batch]])
  })

  it('stops delivering events after unsubscribe', () => {
    const { ipc, emitter } = fakeIpc({})
    let batches = 0
    const unsubscribe = createSockeyeApi(ipc).onEvents(() => batches++)
    emitter.emit(EVENTS_CHANNEL, {}, [])
    unsubscribe()
    emitter.emit(EVENTS_CHANNEL, {}, [])
    expect(batches).toBe(1)
    expect(emitter.listenerCount(EVENTS_CHANNEL)).toBe(0)
  })
})
