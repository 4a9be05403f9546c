import { MiB } from '../contract/limits'
import { uiStatePath } from '../host/ui-state'
import { cookieJarPath } from '../host/cookies'
import { DEFAULT_PORT, startServe } from '../serve'
import { defaultHistoryFile } from '../workspace/history'
import type { ServeCommand } from './args'
import type { CliIo } from './run'

/**
 * `sockeye serve`: start browser mode, print its URL (with the per-run token) and keep serving until
 * the signal aborts (SIGINT/SIGTERM), then close. Ctrl+C is the normal way to stop, so that exits 0.
 */
export async function serve(command: ServeCommand, io: CliIo): Promise<number> {
  let server: Awaited<ReturnType<typeof startServe>>
  try {
    // History survives restarts of `sockeye serve`: $SOCKEYE_STATE_DIR or ~/.local/state/sockeye.
    const historyFile = defaultHistoryFile(io.env ?? process.env)
    server = await startServe({
      port: command.port,
      preferredPort: DEFAULT_PORT,
      open: command.open,
      bodyBudget: command.bodyBudgetMiB === null ? undefined : command.bodyBudgetMiB * MiB,
      historyFile,
      uiStatePath: uiStatePath(io.env ?? process.env),
      cookieJarPath: cookieJarPath(io.env ?? process.env),
      note: (line) => void io.stderr.write(`${line}\n`),
    })
  } catch (err) {
    io.stderr.write(`sockeye: serve: ${describe(err, command.port)}\n`)
    return 1
  }
  io.stdout.write(`Sockeye browser mode: ${server.url}\nPress Ctrl+C to stop.\n`)
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve()
    io.signal?.addEventListener('abort', () => resolve(), { once: true })
  })
  await server.close()
  return 0
}

function describe(err: unknown, port: number | undefined): string {
  const code = (err as NodeJS.ErrnoException | null)?.code
  if (code === 'EADDRINUSE') return `port ${port} is already in use; pick another with --port, or omit it`
  if (code === 'EACCES') return `port ${port} needs privileges; use a port above 1023`
  const message = err instanceof Error ? err.message : String(err)
  return message.split('\n')[0] ?? 'could not start'
}
