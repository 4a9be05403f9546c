import { describe, expect, it } from 'vitest'
import { startSync } from '../../renderer/src/api/sync'
import { createWsApi } from '../../renderer/src/api/wsClient'
import type { LinkState, RendererApi } from '../../renderer/src/api/current'
import type { EngineEvent, Snapshot } from '../../electron/contract'
import { createPinia, setActivePinia } from 'pinia'
import { storeSink } from '../../renderer/src/stores/sync'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useConnectionsStore } from '../../renderer/src/stores/connections'
import { usePoolsStore } from '../../renderer/src/stores/pools'
import { useUiStore } from '../../renderer/src/stores/ui'
import { emptySnapshot, ev, lastSeq, lifecycle, result, stats } from '../e2e/helpers/fabricate'
import { recorder } from '../helpers/syncSink'

/** A controllable API: the test decides when the link opens and when the snapshot answers. */
function fakeApi() {
  let emit: (events: EngineEvent[]) => void = () => {}
  let link: (s: LinkState, d: string | null) => void = () => {}
  const snapshots: Array<(s: Snapshot) => void> = []
  const api = {
    onEvents: (l: typeof emit) => ((emit = l), () => {}),
    onLink: (l: typeof link) => ((link = l), () => {}),
    snapshot: () => new Promise<Snapshot>((resolve) => snapshots.push(resolve)),
  } as unknown as RendererApi
  return { api, emit: (e: EngineEvent[]) => emit(e), open: () => link('open', null), snapshots }
}

describe('sync', () => {
  it('applies only the events newer than the snapshot that arrive while it loads', async () => {
    const fake = fakeApi()
    const { log, sink } = recorder()
    startSync(fake.api, sink)
    fake.open()
    const [a, b, c] = lifecycle(1, 1).slice(0, 3)
    fake.emit([a!, b!])
    fake.emit([c!])
    fake.snapshots[0]!(emptySnapshot(a!.seq))
    await Promise.resolve()
    await Promise.resolve()
    expect(log).toEqual(['link open', `load@${a!.seq}`, `apply ${b!.seq},${c!.seq}`])
  })

  it('rebuilds from a new snapshot on reconnect and drops events it already has', async () => {
    const fake = fakeApi()
    const { log, sink } = recorder()
    startSync(fake.api, sink)
    fake.open()
    fake.snapshots[0]!(emptySnapshot(lastSeq()))
    await Promise.resolve()
    await Promise.resolve()
    const e = ev('request:headersSent', { requestId: 1 })
    fake.open()
    fake.snapshots[1]!(emptySnapshot(e.seq))
    await Promise.resolve()
    await Promise.resolve()
    fake.emit([e])
    expect(log.filter((l) => l.startsWith('load'))).toHaveLength(2)
    expect(log.some((l) => l.startsWith('apply'))).toBe(false)
  })
})

describe('store sink', () => {
  it('hands one batch to the requests, connections and pools stores', () => {
    setActivePinia(createPinia())
    storeSink().apply([...lifecycle(1, 1, { open: true }), ev('pool:stats', { stats: stats() })])
    expect(useRequestsStore().rows).toHaveLength(1)
    expect(useConnectionsStore().byId.has(1)).toBe(true)
    expect(Object.keys(usePoolsStore().stats)).toHaveLength(1)
  })

  it('drops a selection the new snapshot no longer has (history cleared while away)', () => {
    setActivePinia(createPinia())
    const ui = useUiStore()
    const sink = storeSink()
    sink.load({ ...emptySnapshot(1), requests: [result(1)] })
    ui.select(1)
    sink.load(emptySnapshot(2))
    expect(ui.selectedId).toBeNull()
    expect(ui.loaded).toBe(true)
  })
})

/** Just enough of a WebSocket for the client: the test plays the server. */
class FakeSocket {
  static all: FakeSocket[] = []
  sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((ev: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string) {
    this.sent.push(data)
  }
  reply(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
}

const wsApi = () =>
  createWsApi('ws://127.0.0.1:1/ws?token=t', (u) => new FakeSocket(u) as unknown as WebSocket)

describe('WebSocket client', () => {
  it('holds calls made before the socket opens and sends them on open', () => {
    const api = wsApi()
    const socket = FakeSocket.all.at(-1)!
    void api.startDemo({})
    expect(socket.sent).toHaveLength(0)
    socket.onopen?.()
    expect(JSON.parse(socket.sent[0]!)).toEqual({ kind: 'call', id: 1, name: 'startDemo', input: {} })
  })

  it('resolves a call with its result value', async () => {
    const api = wsApi()
    const socket = FakeSocket.all.at(-1)!
    socket.onopen?.()
    const pending = api.startDemo({})
    socket.reply({ kind: 'result', id: 1, result: { ok: true, value: { baseUrl: 'http://127.0.0.1:2' } } })
    expect(await pending).toEqual({ baseUrl: 'http://127.0.0.1:2' })
  })

  it('rejects a refused call with the error code, phase and message', async () => {
    const api = wsApi()
    const socket = FakeSocket.all.at(-1)!
    socket.onopen?.()
    const pending = api.getBody({ requestId: 9 })
    const error = { code: 'INVALID_OPTION', phase: 'input', message: 'getBody: unknown request 9' }
    socket.reply({ kind: 'result', id: 1, result: { ok: false, error } })
    await expect(pending).rejects.toMatchObject(error)
  })

  it('delivers event frames to every listener', () => {
    const api = wsApi()
    const socket = FakeSocket.all.at(-1)!
    const got: number[] = []
    api.onEvents((events) => got.push(...events.map((e) => e.seq)))
    socket.onopen?.()
    socket.reply({ kind: 'events', events: [{ type: 'request:headersSent', requestId: 1, seq: 5, t: 1 }] })
    expect(got).toEqual([5])
  })

  it('rejects calls in flight when the link drops and reports reconnecting', async () => {
    const api = wsApi()
    const socket = FakeSocket.all.at(-1)!
    const states: string[] = []
    api.onLink((s) => states.push(s))
    socket.onopen?.()
    const pending = api.exportHar({})
    socket.onclose?.()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    expect(states).toEqual(['connecting', 'open', 'connecting'])
  })
})
