import type { EngineEvent, PoolSettings, RequestResult, Snapshot } from '../../electron/contract'
import type { EngineApi, RunOptions } from '../../electron/engine/api'

/** Events without envelope; the fake engine numbers them. */
export type BareEvent = EngineEvent extends infer E
  ? E extends EngineEvent
    ? Omit<E, 'seq' | 't'>
    : never
  : never

export const DEFAULTS: PoolSettings = {
  connections: 6,
  pipelining: 1,
  keepAliveTimeout: 4000,
  keepAliveMaxTimeout: 600_000,
  allowH2: false,
  rejectUnauthorized: true,
  connectTimeout: 10_000,
  headersTimeout: 300_000,
  bodyTimeout: 300_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxDecodedBytes: 50 * 1024 * 1024,
  maxTime: 0,
}

/**
 * A stand-in engine for host unit tests: records calls, emits events on demand. The host's
 * behaviour against the real engine is covered by the browser-mode integration tests.
 */
export function fakeEngine() {
  const listeners = new Set<(event: EngineEvent) => void>()
  let seq = 0
  const runs: RunOptions[] = []
  const configured: Array<[string, Partial<PoolSettings>]> = []
  const emit = (event: BareEvent) => {
    const full = { ...event, seq: ++seq, t: performance.now() } as EngineEvent
    for (const l of listeners) l(full)
  }
  const snapshot = (): Snapshot => ({
    requests: [],
    connections: [],
    pools: [],
    settings: {},
    defaults: DEFAULTS,
    lastSeq: seq,
  })
  const engine: EngineApi = {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    send: () => Promise.reject(new Error('not used')),
    run(options) {
      runs.push(options)
      const requestIds = Array.from({ length: options.repeat ?? 1 }, (_, i) => 100 + i)
      // Never settles: `send` must answer without waiting for the batch.
      return { runId: 7, requestIds, done: new Promise<RequestResult[]>(() => {}) }
    },
    cancel: (requestId) => requestId >= 100,
    useCookies: () => {},
    cancelRun: (runId) => (runId === 7 ? 1 : 0),
    settled: async () => {},
    defaults: () => DEFAULTS,
    getSettings: () => DEFAULTS,
    configure(origin, patch) {
      configured.push([origin, patch])
      return { ...DEFAULTS, ...patch }
    },
    closePool: async () => 0,
    stats: () => [],
    connections: () => [],
    results: () => [],
    getBody: () => null,
    clearHistory: () => {},
    snapshot,
    listRequests: () => ({ requests: [], older: 0 }),
    memory: (budget) => ({
      bodyBudgetBytes: budget ?? 0,
      keptBytes: 0,
      keptBodies: 0,
      evictedBodies: 0,
      requests: 0,
    }),
    toHar: () => ({ log: { version: '1.2', creator: { name: 'sockeye', version: '0' }, entries: [] } }),
    harParts: () => ({ version: '1.2', creator: { name: 'sockeye', version: '0' }, entries: [] }),
    close: async () => {},
  }
  return { engine, emit, runs, configured, listenerCount: () => listeners.size }
}
