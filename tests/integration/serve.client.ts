import http from 'node:http'
import { resolve } from 'node:path'
import WebSocket from 'ws'
import type { CallResult, EngineEvent, ServerFrame } from '../../electron/contract'

/** The built renderer (`npx electron-vite build`; `npm test` builds before vitest). */
export const STATIC_DIR = resolve(__dirname, '../../out/renderer')

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * A request with exactly these headers and this path: `fetch` would normalize `/../x` and
 * forbid setting Host or Origin, which are what these tests are about.
 */
export function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { host: `127.0.0.1:${port}`, ...headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** A contract client over `ws`, recording every frame it receives. */
export interface TestClient {
  ws: WebSocket
  events: EngineEvent[]
  call(name: unknown, input: unknown): Promise<CallResult<unknown>>
  /** Resolves with the first event (already received or future) matching `match`. */
  waitForEvent(match: (e: EngineEvent) => boolean): Promise<EngineEvent>
  /** Resolves with the close code. */
  closed: Promise<number>
}

export function connectClient(
  url: string,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(url, options)
    const events: EngineEvent[] = []
    const pending = new Map<number, (r: CallResult<unknown>) => void>()
    const watchers = new Set<() => void>()
    let nextId = 1
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)))
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame
      if (frame.kind === 'events') {
        events.push(...frame.events)
        for (const w of watchers) w()
      } else {
        pending.get(frame.id)?.(frame.result)
        pending.delete(frame.id)
      }
    })
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    ws.once('error', reject)
    ws.once('open', () =>
      resolvePromise({
        ws,
        events,
        closed,
        call(name, input) {
          const id = nextId++
          ws.send(JSON.stringify({ kind: 'call', id, name, input }))
          return new Promise((r) => pending.set(id, r))
        },
        waitForEvent(match) {
          return new Promise((r) => {
            const check = () => {
              const found = events.find(match)
              if (!found) return
              watchers.delete(check)
              r(found)
            }
            watchers.add(check)
            check()
          })
        },
      }),
    )
  })
}
