import {
  isCallName,
  isSockeyeError,
  parseCall,
  type BodyPayload,
  type CallName,
  type CallOutput,
  type CallParsed,
  type CallResult,
  type EngineEvent,
  type SockeyeError,
} from '../contract'
import { LIMITS, MiB } from '../contract/limits'
import type { EngineApi } from '../engine/api'
import { createBatcher } from './batcher'
import { oneLine, sockeyeError } from '../engine/errors'
import { startDemoServer, type DemoServer } from '../engine/demo'
import { formatHandlers } from './formats'
import { specToCurl } from '../workspace/export/curl'
import { bodyBuffer, sliceOf } from './body-wire'
import { createUiStateStore } from './ui-state'
import { createCookieJarHost } from './cookies'
import { createWorkspace, type WorkspaceOptions } from './workspace'
import { createFiles } from './files'

/**
 * The one place that turns the contract's calls into engine calls. The Electron main (IPC) and
 * the browser-mode server (WebSocket) both forward to a Host, so both validate and answer alike.
 */
export interface Host {
  /** Validates `name` (isCallName) and `input` (parseCall); returns a CallResult, never throws. */
  call(name: unknown, input: unknown): Promise<CallResult<unknown>>
  /** Batched events, at most one flush per 16 ms (~60/s), in seq order; returns unsubscribe. */
  onEvents(listener: (events: EngineEvent[]) => void): () => void
  /** Stop batching, close the demo server. The engine belongs to the caller and stays open. */
  close(): Promise<void>
}

export interface HostOptions extends WorkspaceOptions {
  /** Batch window for events (ms). Default 16 (~60 flushes per second). */
  flushIntervalMs?: number
  /**
   * Opens an http(s) URL in the system browser (Electron's `shell.openExternal`). The host has
   * already checked the scheme. Absent in browser mode: `openExternal` then answers `{opened:false}`.
   */
  openExternal?: (url: string) => Promise<boolean>
  /** The UI state file (see ui-state.ts `uiStatePath`); absent or null keeps UI state in memory only. */
  uiStatePath?: string | null
  /** The workspace's cookie jar file (cookies.ts `cookieJarPath`); absent or null: a jar in memory only. */
  cookieJarPath?: string | null
}

type Handlers = { [K in CallName]: (input: CallParsed<K>) => Promise<CallOutput<K>> | CallOutput<K> }

/** A typed failure thrown inside a handler; `call` turns it into the CallResult error. */
class CallError extends Error {
  constructor(
    readonly code: SockeyeError['code'],
    message: string,
    readonly phase: SockeyeError['phase'] = 'input',
  ) {
    super(message)
  }
}

const fail = (code: SockeyeError['code'], message: string): CallResult<never> => ({
  ok: false,
  error: { code, phase: 'input', message },
})

/** Thrown values become one-line errors; an engine's typed error keeps its code and phase. */
function toError(err: unknown, name: CallName): SockeyeError {
  if (isSockeyeError(err)) return sockeyeError(err.code, err.phase, err.message)
  const message = err instanceof Error ? err.message : String(err)
  return sockeyeError('INTERNAL', 'input', `${name}: ${message}`)
}

/** Names from the wire are shown back to the caller: keep them short and printable. */
const describeName = (name: string): string =>
  JSON.stringify(name.length > LIMITS.callNameChars ? `${name.slice(0, LIMITS.callNameChars)}…` : name)

/** Create the host for one engine. */
export function createHost(engine: EngineApi, options: HostOptions = {}): Host {
  const listeners = new Set<(events: EngineEvent[]) => void>()
  let closed = false
  let demo: Promise<DemoServer> | null = null
  const uiState = createUiStateStore(options.uiStatePath ?? null)
  const cookies = createCookieJarHost(engine, options.cookieJarPath ?? null)
  let exported: string | null = null
  let paging: { requestId: number; body: BodyPayload; bytes: Buffer } | null = null

  const batcher = createBatcher((events) => {
    for (const listener of listeners) {
      // One broken listener (a closed window, a dead socket) must not starve the others.
      try {
        listener(events)
      } catch {
        /* the listener's owner reports its own failures */
      }
    }
  }, options.flushIntervalMs ?? 16)
  // Workspace events are the host's, not the engine's: each takes a seq just after the last
  // engine event's (n/1024 steps), so renderers that keep `seq > lastSeq` see both in order.
  let lastSeq = 0
  let step = 0
  const workspace = createWorkspace(engine, options, (dir, paths) => {
    if (listeners.size === 0 || closed) return
    step = Math.min(step + 1, 1023)
    batcher.push({ type: 'workspace:changed', seq: lastSeq + step / 1024, t: performance.now(), dir, paths })
  })
  const unsubscribe = engine.subscribe((event) => {
    lastSeq = event.seq
    step = 0
    workspace.observe(event)
    if (listeners.size > 0) batcher.push(event)
  })

  const files = createFiles(workspace)

  const handlers: Handlers = {
    async send({ files: from, ...input }) {
      // A collection request's file parts or file body: read and encoded here (host/files.ts).
      if (from) input.request = await files.body(input.request, from)
      const { runId, requestIds, done } = engine.run(input)
      workspace.sent(requestIds, input.request)
      // Results arrive as events; the promise is only kept from becoming an unhandled rejection.
      done.catch(() => {})
      return { runId, requestIds }
    },
    async copyCurl({ request, pool, files: from }) {
      // The body a Send with these files built, so curl sends the same bytes (a fresh boundary).
      const spec = from ? await files.body(request, from, 'nothing was copied') : request
      return { command: specToCurl(spec, pool) }
    },
    cancel: ({ requestId }) => ({ cancelled: engine.cancel(requestId) }),
    cancelRun: ({ runId }) => ({ cancelled: engine.cancelRun(runId) }),
    getBody({ requestId, offset }) {
      // The body being paged through stays decoded here: its slices are asked for one after another.
      if (paging?.requestId === requestId && offset) return sliceOf(paging.body, paging.bytes, offset)
      const body = engine.getBody(requestId)
      if (!body) throw new CallError('INVALID_OPTION', `getBody: no kept body for request ${requestId}`)
      const bytes = bodyBuffer(body)
      paging = bytes.length > LIMITS.bodySliceBytes ? { requestId, body, bytes } : null
      return sliceOf(body, bytes, offset ?? 0)
    },
    snapshot: () => engine.snapshot(),
    getPoolSettings: ({ origin }) => engine.getSettings(origin),
    configurePool: ({ origin, settings }) => engine.configure(origin, settings),
    closePool: async ({ origin }) => ({ closed: await engine.closePool(origin) }),
    clearHistory() {
      paging = null
      engine.clearHistory()
      return {}
    },
    exportHar({ offset }) {
      // A frame of 216 MB once dropped the link: the document is built once and read in slices.
      if (!offset) exported = JSON.stringify(engine.toHar(), null, 2)
      else if (exported === null)
        throw new CallError(
          'INVALID_OPTION',
          'exportHar: no export in progress; start again from the beginning',
        )
      const har = exported!.slice(offset ?? 0, (offset ?? 0) + LIMITS.harSliceChars)
      const total = exported!.length
      if ((offset ?? 0) + har.length >= total) exported = null
      return { har, offset: offset ?? 0, total }
    },
    listRequests: ({ limit, before }) => engine.listRequests(limit, before),
    configureMemory: ({ bodyBudgetMiB }) =>
      engine.memory(bodyBudgetMiB === undefined ? undefined : bodyBudgetMiB * MiB),
    async startDemo() {
      demo ??= startDemoServer()
      try {
        return { baseUrl: (await demo).baseUrl }
      } catch (err) {
        demo = null
        throw err
      }
    },
    async openExternal({ url }) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        throw new CallError('INVALID_URL', 'openExternal: not a valid URL')
      }
      // An unchecked shell.openExternal runs file:, smb: or custom-scheme handlers (Bruno's
      // CVE-2024-48463): only web links leave the app.
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new CallError('INVALID_OPTION', 'only http and https links can be opened')
      }
      if (!options.openExternal) return { opened: false }
      return { opened: await options.openExternal(parsed.href) }
    },
    getUiState: () => ({ entries: uiState.entries() }),
    async setUiState({ key, value }) {
      try {
        await uiState.set(key, value)
      } catch (err) {
        throw new CallError('INVALID_OPTION', (err as Error).message.split('\n')[0]!)
      }
      return {}
    },
    ...workspace.handlers,
    ...files.handlers,
    ...formatHandlers,
    ...cookies.handlers,
  }

  return {
    async call(name, input) {
      if (typeof name !== 'string') return fail('INVALID_OPTION', 'call name must be a string')
      if (!isCallName(name)) return fail('INVALID_OPTION', `unknown call ${describeName(name)}`)
      if (closed) return fail('POOL_CLOSED', `${name}: Sockeye is shutting down`)
      const parsed = parseCall(name, input)
      if (!parsed.ok) return { ok: false, error: { ...parsed.error, message: oneLine(parsed.error.message) } }
      try {
        const handler = handlers[name] as (input: unknown) => unknown
        return { ok: true, value: await handler(parsed.value) }
      } catch (err) {
        return { ok: false, error: toError(err, name) }
      }
    },
    onEvents(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    async close() {
      if (closed) return
      closed = true
      unsubscribe()
      batcher.close()
      listeners.clear()
      await workspace.close()
      await uiState.flush()
      await cookies.flush()
      const server = demo
      demo = null
      if (server) await server.then((s) => s.close()).catch(() => {})
    },
  }
}
