import { setTimeout as delay } from 'node:timers/promises'
import { createEngine } from '../engine'
import { parseTarget } from '../engine/input'
import type { EngineApi } from '../engine'
import type { ErrorCode, RequestSpec } from '../contract'
import { parseArgv, USAGE, type RunCommand, type UsageError } from './args'
import { readBody, checkHarTarget, writeHar, type Stdin } from './files'
import { cookieNote, loadCookies, saveCookies } from './cookies'
import { JsonReportStream } from './json'
import { LineBuffer } from './lines'
import { failureLine, Layout, palette, requestLine, summary, type Palette } from './output'
import { version } from '../../package.json'
import { MiB } from '../contract/limits'

/** Where the CLI writes; `process.stdout`/`process.stderr` or test buffers. */
export interface CliStream {
  write(chunk: string): unknown
  isTTY?: boolean
}

export interface CliIo {
  stdout: CliStream
  stderr: CliStream
  /** Defaults to `process.env` (read for NO_COLOR). */
  env?: Record<string, string | undefined>
  /** Aborted on SIGINT/SIGTERM: stop sending, close the engine, print what happened so far. */
  signal?: AbortSignal
  /** What `-d @-` reads; defaults to `process.stdin`. */
  stdin?: Stdin
}

/** Exit statuses (documented in --help). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const

/** Run `sockeye` with `argv` (no `node`, no script path); resolves with the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (err) {
    // A bug, not bad input: still one line, no stack trace.
    const message = err instanceof Error ? err.message : String(err)
    io.stderr.write(`sockeye: internal error: ${message.split('\n')[0]} (please report it)\n`)
    return EXIT.failed
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgv(argv)
  if (!parsed.ok) return usageError(io, parsed.error)
  const command = parsed.command
  switch (command.kind) {
    case 'help':
      io.stdout.write(`${USAGE}\n`)
      return EXIT.ok
    case 'version':
      io.stdout.write(`sockeye ${version}\n`)
      return EXIT.ok
    case 'serve':
      // Browser mode (ws, valibot, the host) loads only when asked for: a run starts faster.
      return (await import('./serve')).serve(command, io)
    case 'run':
      return run(command, io)
  }
}

/** `sockeye: --connections must be …` or, when an error code applies, `sockeye: CODE: …`. */
export function usageError(io: CliIo, error: UsageError): number {
  const code = error.code === 'INVALID_OPTION' ? '' : `${error.code}: `
  io.stderr.write(`sockeye: ${code}${error.message}\n`)
  return EXIT.usage
}

async function run(command: RunCommand, io: CliIo): Promise<number> {
  const body = command.data ? await readBody(command.data, io.stdin) : { ok: true as const, body: null }
  if (!body.ok) return usageError(io, body.error)
  if (command.har) {
    const target = await checkHarTarget(command.har)
    if (target) return usageError(io, target)
  }
  const jar = await loadCookies(command)
  if (!jar.ok) return usageError(io, jar.error)
  for (const note of jar.cookies?.notes ?? []) io.stderr.write(`sockeye: ${note}\n`)
  const cookieHeader = jar.cookies?.header
  const headers = cookieHeader
    ? [...command.headers, ['Cookie', cookieHeader] as [string, string]]
    : command.headers

  const colors = palette(io.stdout.isTTY, io.env ?? process.env)
  // One spec per URL; --repeat walks the list again (no copies: -n 100000 stays small).
  const specs: RequestSpec[] = command.urls.map((url) => ({
    method: command.method,
    url,
    headers,
    body: body.body?.data ?? null,
    bodyEncoding: body.body?.encoding ?? 'utf8',
    fresh: command.fresh,
    ...(command.redirects ? { redirects: command.redirects } : {}),
  }))

  // Bad input is a usage error, found before anything is sent (the engine's own validator).
  const invalid = checkSpecs(specs)
  if (invalid) return usageError(io, invalid)

  const engine = createEngine({
    defaults: command.pool,
    bodyBudget: command.bodyBudgetMiB === null ? undefined : command.bodyBudgetMiB * MiB,
    // Without --har nothing reads a body once its line is printed: keep none.
    keepBodies: command.har !== null,
    // --json streams each result as it ends; only --har reads the history afterwards.
    keepResults: command.har !== null,
    statsEvents: false,
    lifecycleEvents: false,
    cookies: jar.cookies?.store ?? null,
  })
  const layout = new Layout(command.urls, command.method, specs.length * command.repeat)
  const lines = new LineBuffer(io.stdout)
  const json = command.json ? new JsonReportStream(io.stdout) : null
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'request:completed' || event.type === 'request:failed') json?.push(event.result)
    if (event.type === 'request:completed' && !json) {
      const note = cookieNote(event.result)
      lines.push(`${requestLine(event.result, layout, colors)}${note ? `  ${colors.dim(note)}` : ''}`)
    } else if (event.type === 'request:failed') {
      lines.flush()
      io.stderr.write(`${failureLine(event.result, event.willRetry, colors)}\n`)
    }
  })

  const failures = await sendAll(engine, specs, command, io.signal)
  const interrupted = io.signal?.aborted === true
  // On interrupt, close first: in-flight requests end (and get their line) before the summary.
  if (interrupted) await engine.close()
  // A server that closes right after its last response (Connection: close, HTTP/1.0, a FIN):
  // wait (bounded) for those closes so the summary shows the sockets closed, with their reason.
  else await engine.settled()
  unsubscribe()
  lines.flush()
  if (json) await json.end(engine.connections(), engine.stats())
  else report(engine, io, colors)
  const harFailed = command.har ? await saveHar(engine, command.har, io) : false
  const jarError =
    jar.cookies && command.cookieJar ? await saveCookies(jar.cookies.store, command.cookieJar) : null
  if (jarError) io.stderr.write(`sockeye: ${jarError}\n`)
  if (interrupted) return EXIT.interrupted
  await engine.close()
  return failures > 0 || harFailed || jarError ? EXIT.failed : EXIT.ok
}

const URL_CODES = new Set<ErrorCode>(['INVALID_URL', 'UNSUPPORTED_SCHEME', 'MISSING_HOST', 'INVALID_PORT'])

function checkSpecs(specs: readonly RequestSpec[]): UsageError | null {
  for (const spec of specs) {
    const target = parseTarget(spec)
    if (target.ok) continue
    const { code, message } = target.error
    // With several URLs, say which one; method and header errors are the same for every URL.
    const aboutUrl = URL_CODES.has(code) && !message.includes(spec.url)
    return { code, message: aboutUrl ? `${message} (URL '${spec.url}')` : message }
  }
  return null
}

/**
 * Send the URL list `repeat` times, `concurrency` at a time, in list order. Each lane waits
 * `delayMs` between its own sends, so with one lane the delay falls between consecutive requests.
 * Resolves with how many requests failed in their final attempt (after the engine's one
 * stale-socket retry), or early when the signal aborts: the caller then closes the engine.
 */
async function sendAll(
  engine: EngineApi,
  specs: readonly RequestSpec[],
  command: RunCommand,
  signal: AbortSignal | undefined,
): Promise<number> {
  const total = specs.length * command.repeat
  let failures = 0
  let next = 0
  const lane = async () => {
    for (let sent = 0; next < total && !signal?.aborted; sent++) {
      if (sent > 0 && command.delayMs > 0) {
        const waited = await delay(command.delayMs, true, { signal }).catch(() => false)
        if (!waited) return
      }
      const spec = specs[next++ % specs.length] as RequestSpec
      if ((await engine.send(spec)).error) failures++
    }
  }
  const lanes = Promise.all(Array.from({ length: Math.min(command.concurrency, total) }, lane))
  // On interrupt, do not wait for in-flight requests: closing the engine ends them.
  const aborted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve()
    signal?.addEventListener('abort', () => resolve(), { once: true })
  })
  await Promise.race([lanes, aborted])
  return failures
}

function report(engine: EngineApi, io: CliIo, colors: Palette): void {
  const text = summary(engine.stats(), engine.connections(), colors)
  if (text) io.stdout.write(`\n${text}\n`)
}

async function saveHar(engine: EngineApi, path: string, io: CliIo): Promise<boolean> {
  const error = await writeHar(path, engine.harParts())
  if (error) io.stderr.write(`sockeye: ${error}\n`)
  return error !== null
}
