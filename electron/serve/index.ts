import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { dirname, join } from 'node:path'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import { createEngine } from '../engine'
import type { EngineApi } from '../engine/api'
import { createHost } from '../host/host'
import { createGuard, type Guard } from './guard'
import { createRequestHandler, splitTarget } from './http'
import { openInBrowser } from './open'
import { loadSite } from './site'
import { attachSocket, MAX_FRAME_BYTES } from './socket'

/** Options of `sockeye serve`. */
export interface ServeOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number
  /**
   * Try this port first and fall back to a free one (said in one `note` line) when it is taken.
   * `sockeye serve` uses DEFAULT_PORT: the same port is the same browser origin after a restart.
   */
  preferredPort?: number
  /** The UI state file (drafts, theme, pane sizes); absent or null keeps UI state in memory only. */
  uiStatePath?: string | null
  /**
   * The workspace's cookie jar file; absent: `cookies.json` beside `uiStatePath` (in memory when
   * that is absent too); null: in memory only.
   */
  cookieJarPath?: string | null
  /** Open the URL in the default browser. */
  open?: boolean
  /** For tests only; the server always binds 127.0.0.1 and refuses anything else. */
  host?: string
  /** The built renderer. Default: `out/renderer`, next to the bundled CLI in `out/main`. */
  staticDir?: string
  /** Total bytes of kept bodies for the engine created here (default LIMITS.bodyBudgetBytes). */
  bodyBudget?: number
  /** Use this engine (it stays open on close) instead of creating one. */
  engine?: EngineApi
  /** Where one-line notes go (e.g. no browser could be opened). Default: stderr. */
  note?: (line: string) => void
  /** The history log kept across restarts (`sockeye serve` passes the default); absent: none. */
  historyFile?: string | null
}

/** Browser mode's usual port: a stable origin, so the browser keeps the app's page state across restarts. */
export const DEFAULT_PORT = 7323

/** A running browser-mode server. */
export interface ServeHandle {
  /** `http://127.0.0.1:<port>/?token=<token>`: the only way in. */
  url: string
  token: string
  port: number
  close(): Promise<void>
}

/**
 * The built renderer next to this bundle: `out/main/cli.js` → `out/renderer`. Should the bundler
 * move this code into a shared chunk (`out/main/chunks/*.js`), the renderer is one level further up.
 */
function defaultStaticDir(): string {
  const inChunk = new URL('.', import.meta.url).pathname.endsWith('/chunks/')
  return fileURLToPath(new URL(inChunk ? '../../renderer/' : '../renderer/', import.meta.url))
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/**
 * Start browser mode: the built renderer and the contract's WebSocket twin on 127.0.0.1. One
 * engine and one host per server, shared by every tab. Rejects with a one-line error when the
 * UI is not built or the port cannot be used (the error's `code`, e.g. EADDRINUSE, is kept).
 */
export async function startServe(options: ServeOptions = {}): Promise<ServeHandle> {
  if (options.host !== undefined && options.host !== '127.0.0.1') {
    throw new Error(`sockeye serve binds 127.0.0.1 only (got host ${JSON.stringify(options.host)})`)
  }
  const note = options.note ?? ((line: string) => void process.stderr.write(`${line}\n`))
  const site = await loadSite(options.staticDir ?? defaultStaticDir())

  const server = http.createServer()
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const engine = options.engine ?? createEngine({ bodyBudget: options.bodyBudget })
  const host = createHost(engine, {
    historyFile: options.historyFile ?? null,
    uiStatePath: options.uiStatePath ?? null,
    cookieJarPath:
      options.cookieJarPath !== undefined
        ? options.cookieJarPath
        : options.uiStatePath
          ? join(dirname(options.uiStatePath), 'cookies.json')
          : null,
  })
  const shutdown = async () => {
    await host.close()
    if (!options.engine) await engine.close()
  }
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  try {
    const preferred = options.port === undefined ? options.preferredPort : undefined
    if (preferred !== undefined) {
      try {
        await listen(preferred)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
        await listen(0)
        const got = (server.address() as AddressInfo).port
        note(`sockeye serve: port ${preferred} is in use; serving on ${got} instead (a new browser origin)`)
      }
    } else await listen(options.port ?? 0)
  } catch (err) {
    await shutdown()
    throw err
  }
  const { port } = server.address() as AddressInfo
  const guard: Guard = createGuard(port)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const handle = createRequestHandler(site, guard)

  server.on('request', (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const refused = guard.checkSite(req)
    if (refused) return refuseUpgrade(socket, 403, 'Forbidden')
    const { path, query } = splitTarget(req.url)
    if (path !== '/ws') return refuseUpgrade(socket, 404, 'Not Found')
    // The query token, not the cookie: a cookie would ride along on any same-site page's socket.
    if (!guard.tokenMatches(query.get('token'))) return refuseUpgrade(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws, host))
  })

  const url = `http://127.0.0.1:${port}/?token=${guard.token}`
  if (options.open) openInBrowser(url, note)

  let closing: Promise<void> | null = null
  return {
    url,
    token: guard.token,
    port,
    close() {
      closing ??= (async () => {
        for (const ws of wss.clients) ws.terminate()
        wss.close()
        await shutdown()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          for (const socket of sockets) socket.destroy()
        })
      })()
      return closing
    },
  }
}
