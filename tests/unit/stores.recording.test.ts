import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useRequestsStore } from '../../renderer/src/stores/requests'
import { useConnectionsStore } from '../../renderer/src/stores/connections'
import { useRecordingStore } from '../../renderer/src/stores/recording'
import { useUiStore } from '../../renderer/src/stores/ui'
import { setApi, type RendererApi } from '../../renderer/src/api/current'
import { connection, ev, lifecycle, ORIGIN, result, stats } from '../e2e/helpers/fabricate'

/** What openHar answers for three entries, two on Chrome connection 41 and one on 97. */
const RECORDING = {
  requests: [
    result(1, { url: `${ORIGIN}/a`, socket: 1, nth: 1 }),
    result(2, { url: `${ORIGIN}/b`, socket: 2, nth: 1 }),
    result(3, { url: `${ORIGIN}/c`, socket: 1, nth: 2, reused: true }),
  ],
  connections: [
    { ...connection(1), recorded: '41' },
    { ...connection(2), recorded: '97' },
  ],
  pools: [stats(ORIGIN, { numConnections: 2, numRequests: 3 })],
}

beforeEach(() => {
  setActivePinia(createPinia())
  const openHar = ({ text }: { text: string }) =>
    text === 'page' ? Promise.resolve(RECORDING) : Promise.reject(new Error('not a HAR'))
  setApi({ openHar } as unknown as RendererApi)
})

describe('recording store', () => {
  it('shows a HAR instead of the live rows and sockets, and gives live back on close', async () => {
    const requests = useRequestsStore()
    const connections = useConnectionsStore()
    const recording = useRecordingStore()
    const ui = useUiStore()
    requests.apply(lifecycle(1, 1, { open: true }))
    connections.apply([ev('socket:opened', { connection: connection(1) })])
    ui.select(1)

    await recording.open('page', 'page.har')
    expect(requests.rows.map((r) => [new URL(r.url).pathname, r.socket, r.recorded])).toEqual([
      ['/a', 1, true],
      ['/b', 2, true],
      ['/c', 1, true],
    ])
    expect(connections.all.map((c) => recording.recordedId(c.id))).toEqual(['41', '97'])
    expect(ui.selectedId).toBe(1)

    // Live events keep arriving underneath, unseen until the recording closes.
    requests.apply(lifecycle(2, 3, { open: true }))
    connections.apply([ev('socket:opened', { connection: connection(3) })])
    expect(requests.rows).toHaveLength(3)
    expect(connections.byId.has(3)).toBe(false)

    recording.close()
    expect(requests.rows.map((r) => [r.id, r.recorded])).toEqual([
      [1, undefined],
      [2, undefined],
    ])
    expect([...connections.byId.keys()]).toEqual([1, 3])
    expect(recording.active).toBe(false)
  })

  it('drops the filters of one side when switching to the other (times and sockets differ)', async () => {
    const requests = useRequestsStore()
    const recording = useRecordingStore()
    requests.setTimeRange({ from: 5_000, to: 6_000 })
    requests.socketFilter = 4
    await recording.open('page', 'page.har')
    expect([requests.timeRange, requests.socketFilter, requests.visible.length]).toEqual([null, null, 3])
    requests.setTimeRange({ from: 0, to: 1 })
    recording.close()
    expect(requests.timeRange).toBeNull()
  })

  it('keeps what is shown when the file is not a HAR', async () => {
    const requests = useRequestsStore()
    const recording = useRecordingStore()
    await recording.open('page', 'page.har')
    await expect(recording.open('nope', 'bad.har')).rejects.toThrow('not a HAR')
    expect([recording.name, requests.rows.length]).toEqual(['page.har', 3])
  })

  it('returns to live when a request is sent, keeping the new selection', async () => {
    const recording = useRecordingStore()
    const ui = useUiStore()
    await recording.open('page', 'page.har')
    ui.select(9)
    ui.reveal()
    await Promise.resolve()
    expect(recording.active).toBe(false)
    expect(ui.selectedId).toBe(9)
  })
})
