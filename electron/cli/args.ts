import { parseArgs } from 'node:util'
import type { ErrorCode, HeaderList, PoolSettings, RedirectSetting } from '../contract'
import { RANGES, REDIRECTS_DEFAULT, type RangeName } from '../contract/limits'

/** `-d TEXT` or `-d @file` (read later, by the runner: parsing stays pure). */
export type DataArg = { kind: 'text'; text: string } | { kind: 'file'; path: string }

/** `sockeye [options] <url>...` after parsing and validation. */
export interface RunCommand {
  kind: 'run'
  urls: string[]
  method: string
  headers: HeaderList
  data: DataArg | null
  repeat: number
  concurrency: number
  delayMs: number
  /** Pool settings given on the command line; applied to every origin of this run. */
  pool: Partial<PoolSettings>
  fresh: boolean
  /** `-L` (with `--max-redirs N`): follow redirects, each hop its own request line. */
  redirects: RedirectSetting | null
  json: boolean
  har: string | null
  /** `--body-budget MIB`: total kept bodies (for --har); null = the engine's default. */
  bodyBudgetMiB: number | null
  /** `-b 'a=1; b=2'` (sent as given) or `-b FILE` (a Netscape cookie file read into the jar), in order. */
  cookies: string[]
  /** `--cookie-jar FILE`: the jar written there after the run (Netscape format). */
  cookieJar: string | null
}

/** `sockeye serve [--port P] [--open]`. */
export interface ServeCommand {
  kind: 'serve'
  port: number | undefined
  open: boolean
  /** `--body-budget MIB`: total response bodies the UI can still open; null = the default. */
  bodyBudgetMiB: number | null
}

export type Command = RunCommand | ServeCommand | { kind: 'help' } | { kind: 'version' }

/** A usage error: one line naming the problem and the fix; `code` when an engine error code applies. */
export interface UsageError {
  code: ErrorCode
  message: string
}

export type ParseResult = { ok: true; command: Command } | { ok: false; error: UsageError }

export const USAGE = `Usage:
  sockeye [options] <url>...        send each URL in order; --repeat/--concurrency apply to the list
  sockeye serve [--port P] [--open] [--body-budget MIB]
                                    browser mode: the Sockeye UI in your browser
  sockeye run <folder> [--env NAME] run a collection's requests in order (--json, --har, -L, -b,
                                    --cookie-jar, pool options; see sockeye run --help)
  sockeye import <file> --into DIR  import cURL, Postman, Insomnia, OpenAPI 3 or HAR as a collection
  sockeye export <folder> --curl [--env NAME]  one curl command per request (variables resolved with --env)
  sockeye open <file.har> [--json]  a recorded HAR's connection story, as a live run prints it

Options:
  -X, --method M              request method (default GET, or POST with --data)
  -H, --header "Name: value"  add a request header (repeatable)
  -d, --data TEXT|@file       request body, or the contents of a file
  -n, --repeat N              send the URL list N times (default 1)
  -c, --concurrency C         requests in flight at once (default 1: in order)
      --delay MS              wait MS between sequential sends (per lane with -c)
      --connections K         sockets per origin (HTTP/1.1)
      --pipelining P          requests per socket in flight (HTTP/1.1)
      --h2                    allow HTTP/2 over https (ALPN; the default)
      --http1.1               never negotiate HTTP/2
      --insecure              do not verify TLS certificates
      --keep-alive-timeout MS close idle sockets after at most MS (overrides the server's hint)
      --timeout MS            connect, response-headers and body timeouts
      --max-time MS           total time per request, queue to last body byte (like curl -m)
      --fresh                 send every request on a new socket
  -L, --location              follow redirects; each hop is its own request, on its own line
      --max-redirs N          follow at most N redirects with -L (default ${REDIRECTS_DEFAULT}, up to ${RANGES.redirects[1]})
      --json                  print one JSON document (requests, connections, pools)
      --har FILE              write a HAR 1.2 file
      --body-budget MIB       keep at most MIB of bodies for --har (default 256; oldest dropped first)
  -b, --cookie 'a=1; b=2'|FILE  send these cookies, or read a Netscape cookie file (curl's) into the jar
      --cookie-jar FILE       write the jar to FILE after the run (Netscape format, curl -b reads it)
                              with -b or --cookie-jar a cookie jar is kept across the run's requests;
                              without them no cookies are kept (as curl; -c is --concurrency here)
  -h, --help                  show this help
      --version               show the version

Exit status: 0 every request got a response (any status), 1 a request failed, 2 usage error
(bad option, URL, header or file: nothing is sent), 130 interrupted.`

/** `-L`, `--max-redirs N`: shared by `sockeye <url>…` and `sockeye run <folder>`. */
export const redirectOptions = {
  location: { type: 'boolean', short: 'L' },
  'max-redirs': { type: 'string' },
} as const

/** `-b`, `--cookie-jar FILE`: shared by `sockeye <url>…` and `sockeye run <folder>`. */
export const cookieOptions = {
  cookie: { type: 'string', short: 'b', multiple: true },
  'cookie-jar': { type: 'string' },
} as const

const runOptions = {
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  repeat: { type: 'string', short: 'n' },
  concurrency: { type: 'string', short: 'c' },
  delay: { type: 'string' },
  connections: { type: 'string' },
  pipelining: { type: 'string' },
  h2: { type: 'boolean' },
  'http1.1': { type: 'boolean' },
  insecure: { type: 'boolean' },
  'keep-alive-timeout': { type: 'string' },
  timeout: { type: 'string' },
  'max-time': { type: 'string' },
  fresh: { type: 'boolean' },
  ...redirectOptions,
  json: { type: 'boolean' },
  har: { type: 'string' },
  'body-budget': { type: 'string' },
  ...cookieOptions,
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

const serveOptions = {
  port: { type: 'string' },
  open: { type: 'boolean' },
  'body-budget': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export class Usage extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'INVALID_OPTION',
  ) {
    super(message)
  }
}

/** Parse `sockeye`'s argv (without `node` and the script). Never throws. */
export function parseArgv(argv: readonly string[]): ParseResult {
  try {
    return { ok: true, command: argv[0] === 'serve' ? parseServe(argv.slice(1)) : parseRun(argv) }
  } catch (err) {
    if (err instanceof Usage) return { ok: false, error: { code: err.code, message: err.message } }
    throw err
  }
}

function parseRun(argv: readonly string[]): Command {
  const { values, positionals } = strictParse(argv, runOptions)
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  if (positionals.length === 0)
    throw new Usage('no URL given (usage: sockeye [options] <url>...; see --help)')
  const urls = positionals

  const data: DataArg | null =
    values.data === undefined
      ? null
      : values.data.startsWith('@')
        ? { kind: 'file', path: nonEmpty('--data @file', values.data.slice(1), 'a file name after @') }
        : { kind: 'text', text: values.data }
  // curl's rule: a body without an explicit method means POST.
  const method = values.method ?? (data ? 'POST' : 'GET')

  const pool = poolSettings(values)

  return {
    kind: 'run',
    urls,
    method,
    headers: (values.header ?? []).map(header),
    data,
    repeat: values.repeat === undefined ? 1 : ranged('--repeat', values.repeat, 'repeat'),
    concurrency: values.concurrency === undefined ? 1 : concurrency(values.concurrency),
    delayMs: values.delay === undefined ? 0 : ranged('--delay', values.delay, 'delayMs'),
    pool,
    fresh: values.fresh ?? false,
    redirects: redirects(values),
    json: values.json ?? false,
    har: values.har === undefined ? null : nonEmpty('--har', values.har, 'a file name'),
    bodyBudgetMiB: bodyBudget(values['body-budget']),
    ...cookieFlags(values),
  }
}

/** `-b …` and `--cookie-jar FILE` (shared with `sockeye run <folder>`). Throws Usage. */
export function cookieFlags(values: {
  cookie?: string[]
  'cookie-jar'?: string
}): Pick<RunCommand, 'cookies' | 'cookieJar'> {
  return {
    cookies: (values.cookie ?? []).map((c) => nonEmpty('--cookie', c, "cookies ('a=1; b=2') or a file name")),
    cookieJar:
      values['cookie-jar'] === undefined
        ? null
        : nonEmpty('--cookie-jar', values['cookie-jar'], 'a file name'),
  }
}

/** The pool options shared by `sockeye <url>…` and `sockeye run <folder>`. Throws Usage. */
export function poolSettings(values: {
  connections?: string
  pipelining?: string
  h2?: boolean
  'http1.1'?: boolean
  insecure?: boolean
  'keep-alive-timeout'?: string
  timeout?: string
  'max-time'?: string
}): Partial<PoolSettings> {
  const pool: Partial<PoolSettings> = {}
  if (values.connections !== undefined)
    pool.connections = ranged('--connections', values.connections, 'connections')
  if (values.pipelining !== undefined)
    pool.pipelining = ranged('--pipelining', values.pipelining, 'pipelining')
  if (values.h2 && values['http1.1']) throw new Usage('--h2 and --http1.1 contradict each other; give one')
  if (values.h2) pool.allowH2 = true
  if (values['http1.1']) pool.allowH2 = false
  if (values.insecure) pool.rejectUnauthorized = false
  if (values['keep-alive-timeout'] !== undefined) {
    const ms = ranged('--keep-alive-timeout', values['keep-alive-timeout'], 'keepAliveTimeout')
    // The server's `Keep-Alive: timeout=` hint would otherwise win; MS is an upper bound.
    pool.keepAliveTimeout = ms
    pool.keepAliveMaxTimeout = ms
  }
  if (values.timeout !== undefined) {
    const ms = ranged('--timeout', values.timeout, 'timeout')
    pool.connectTimeout = ms
    pool.headersTimeout = ms
    pool.bodyTimeout = ms
  }
  if (values['max-time'] !== undefined) pool.maxTime = ranged('--max-time', values['max-time'], 'maxTime')

  return pool
}

function parseServe(argv: readonly string[]): Command {
  const { values, positionals } = strictParse(argv, serveOptions)
  if (values.help) return { kind: 'help' }
  if (positionals.length > 0) {
    throw new Usage(`serve takes no URL (got '${positionals[0]}'); usage: sockeye serve [--port P] [--open]`)
  }
  return {
    kind: 'serve',
    port: values.port === undefined ? undefined : ranged('--port', values.port, 'port'),
    open: values.open ?? false,
    bodyBudgetMiB: bodyBudget(values['body-budget']),
  }
}

type Options = typeof runOptions | typeof serveOptions

function strictParse<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new Usage(describeParseError(err, options))
  }
}

/** node:util's messages span lines and mention internals; say the same in one line, by long name. */
function describeParseError(err: unknown, options: Options): string {
  const message = err instanceof Error ? err.message : String(err)
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '?'
  if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown option '${quoted}' (see sockeye --help; put a URL starting with '-' after --)`
  }
  // `quoted` is '-X, --method <value>', '--json' or '-n': find the long name.
  const flag = quoted.split(',').pop()?.trim().split(' ')[0] ?? quoted
  const short = Object.entries(options).find(([, o]) => 'short' in o && `-${o.short}` === flag)
  const name = short ? `--${short[0]}` : flag
  if (/does not take an argument/.test(message)) return `${name} takes no value; write ${name} alone`
  if (/ambiguous/.test(message)) {
    return `${name} needs a value, not another option; write ${name}=VALUE if the value starts with '-'`
  }
  if (/argument missing/.test(message)) return `${name} needs a value (see sockeye --help)`
  return message.split('\n')[0] ?? 'invalid arguments (see sockeye --help)'
}

/** An integer flag within the contract's range `name`. */
function ranged(option: string, raw: string, name: RangeName): number {
  const [min, max] = RANGES[name]
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new Usage(`${option} must be an integer from ${min} to ${max} (got '${raw}')`)
  }
  return n
}

const bodyBudget = (raw: string | undefined): number | null =>
  raw === undefined ? null : ranged('--body-budget', raw, 'bodyBudgetMiB')

function nonEmpty(option: string, raw: string, what: string): string {
  if (raw === '') throw new Usage(`${option} needs ${what}`)
  return raw
}

/** `-c N`; curl users type `-c FILE` for the cookie jar, which is `--cookie-jar FILE` here. */
function concurrency(raw: string): number {
  if (/^\s*\d+\s*$/.test(raw)) return ranged('--concurrency', raw, 'concurrency')
  const [min, max] = RANGES.concurrency
  throw new Usage(
    `--concurrency must be an integer from ${min} to ${max} (got '${raw}'); for curl's -c FILE write --cookie-jar FILE`,
  )
}

/** `-H "Name: value"` → a header pair; the engine checks names and values when the URL is checked. */
function header(raw: string): [string, string] {
  const colon = raw.indexOf(':')
  if (colon < 0) throw new Usage(`--header must look like "Name: value" (got '${raw}')`, 'INVALID_HEADER')
  return [raw.slice(0, colon).trim(), raw.slice(colon + 1).trim()]
}

/**
 * `-L [--max-redirs N]` (shared with `sockeye run <folder>`); --max-redirs alone is a mistake worth
 * one line (curl ignores it silently). Throws Usage.
 */
export function redirects(values: { location?: boolean; 'max-redirs'?: string }): RedirectSetting | null {
  const { location, 'max-redirs': max } = values
  if (max !== undefined && !location)
    throw new Usage('--max-redirs needs -L (--location) to follow redirects')
  if (!location) return null
  return {
    follow: true,
    max: max === undefined ? REDIRECTS_DEFAULT : ranged('--max-redirs', max, 'redirects'),
  }
}
