/**
 * Helpers for engine integration tests: an event recorder that can wait for a real event, request
 * specs, and a raw TCP server (127.0.0.1, port 0) for responses no HTTP server would send.
 */
import net, { type AddressInfo, type Socket } from 'node:net'
import type { EngineEvent, EngineEventOf, EngineEventType, RequestSpec } from '../../electron/contract'
import type { EngineApi } from '../../electron/engine'
import { afterEach } from 'vitest'
import type { TestServer } from './servers'

export interface Recorder {
  events: EngineEvent[]
  of<K extends EngineEventType>(type: K): Array<EngineEventOf<K>>
  /** Resolves with the first event (past or future) matching; rejects after `ms`. */
  waitFor<K extends EngineEventType>(
    type: K,
    match?: (event: EngineEventOf<K>) => boolean,
    ms?: number,
  ): Promise<EngineEventOf<K>>
  stop(): void
}

export function record(engine: EngineApi): Recorder {
  const events: EngineEvent[] = []
  const waiters = new Set<(event: EngineEvent) => void>()
  const stop = engine.subscribe((event) => {
    events.push(event)
    for (const w of [...waiters]) w(event)
  })
  const of = <K extends EngineEventType>(type: K) =>
    events.filter((e) => e.type === type) as unknown as Array<EngineEventOf<K>>
  return {
    events,
    of,
    stop,
    waitFor(type, match = () => true, ms = 5000) {
      const seen = of(type).find(match)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`no ${type} event within ${ms} ms`))
        }, ms)
        const waiter = (event: EngineEvent) => {
          if (event.type !== type || !match(event as never)) return
          clearTimeout(timer)
          waiters.delete(waiter)
          resolve(event as never)
        }
        waiters.add(waiter)
      })
    },
  }
}

/** The engine and loopback server of the running test; set them as the test starts them. */
export interface TestResources {
  engine?: EngineApi
  server?: TestServer
}

/**
 * Resources closed after each test: the engine first, so its pooled keep-alive sockets are gone
 * before the server waits for its connections to end.
 */
export function closeAfterEach(): TestResources {
  const t: TestResources = {}
  afterEach(async () => {
    await t.engine?.close()
    await t.server?.close()
    t.engine = t.server = undefined
  })
  return t
}

export function get(url: string, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url, headers: [], body: null, ...extra }
}

export interface RawServer {
  url: string
  port: number
  close(): Promise<void>
}

/** A TCP server that hands each accepted socket to `onSocket` (for garbage and half responses). */
export async function startRawServer(onSocket: (socket: Socket) => void): Promise<RawServer> {
  const sockets = new Set<Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onSocket(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Holds responses until released: makes "in flight" a state the test controls. */
export function gate() {
  const waiting: Array<() => void> = []
  let arrivals: Array<() => void> = []
  return {
    /** Use inside a handler: resolves when the test calls `release()`. */
    hold(): Promise<void> {
      const p = new Promise<void>((resolve) => waiting.push(resolve))
      for (const a of arrivals) a()
      arrivals = []
      return p
    },
    /** Resolves once `n` requests are being held. */
    async held(n: number): Promise<void> {
      while (waiting.length < n) await new Promise<void>((resolve) => arrivals.push(resolve))
    },
    count: () => waiting.length,
    release(): void {
      for (const r of waiting.splice(0)) r()
    },
  }
}
