import * as v from 'valibot'
import type { ConnectionInfo, PoolSettings, PoolStats, RequestResult, SockeyeError } from './model'

/**
 * The renderer → engine call map. Each call has one input schema (validated in main and in the
 * browser-mode server before anything reaches the engine) and one output type. The preload
 * bridge, the IPC handlers, the WebSocket server and the renderer client are all derived from
 * this one table, so the two sides cannot drift.
 */

const MAX_URL = 8192
const MAX_BODY = 10 * 1024 * 1024

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const Int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max))

export const HeaderListSchema = v.pipe(
  v.array(v.tuple([Text(1024), Text(65536)])),
  v.maxLength(500, 'at most 500 headers'),
)

export const RequestSpecSchema = v.strictObject({
  method: v.pipe(Text(32), v.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'method must be an HTTP token')),
  url: v.pipe(Text(MAX_URL), v.minLength(1, 'URL is empty')),
  headers: HeaderListSchema,
  body: v.nullable(Text(MAX_BODY)),
  bodyEncoding: v.optional(v.picklist(['utf8', 'base64'])),
  fresh: v.optional(v.boolean()),
})

export const PoolSettingsPatchSchema = v.partial(
  v.strictObject({
    connections: Int(1, 256),
    pipelining: Int(1, 100),
    keepAliveTimeout: Int(1, 3_600_000),
    keepAliveMaxTimeout: Int(1, 3_600_000),
    allowH2: v.boolean(),
    rejectUnauthorized: v.boolean(),
    connectTimeout: Int(1, 600_000),
    headersTimeout: Int(0, 3_600_000),
    bodyTimeout: Int(0, 3_600_000),
    maxBodyBytes: Int(0, 1024 * 1024 * 1024),
    maxDecodedBytes: Int(0, 1024 * 1024 * 1024),
    maxTime: Int(0, 86_400_000),
  }),
)

const OriginSchema = v.pipe(
  Text(300),
  v.regex(/^https?:\/\/[^/?#\s]+:\d+$/, 'origin must be scheme://host:port'),
)
const Empty = v.strictObject({})

export const callSchemas = {
  /** Send a request `repeat` times, `concurrency` at a time; resolves when every attempt ended. */
  send: v.strictObject({
    request: RequestSpecSchema,
    repeat: v.optional(Int(1, 100_000), 1),
    concurrency: v.optional(Int(1, 1024), 1),
    delayMs: v.optional(Int(0, 600_000), 0),
  }),
  /** The kept response body of one request. */
  getBody: v.strictObject({ requestId: Int(1, Number.MAX_SAFE_INTEGER) }),
  /** Everything the engine knows, for a renderer that (re)connects. */
  snapshot: Empty,
  getPoolSettings: v.strictObject({ origin: OriginSchema }),
  configurePool: v.strictObject({ origin: OriginSchema, settings: PoolSettingsPatchSchema }),
  /** Close one origin's pool (or every pool when origin is null): next request opens a fresh socket. */
  closePool: v.strictObject({ origin: v.nullable(OriginSchema) }),
  /** Forget request history (sockets and pools stay). */
  clearHistory: Empty,
  exportHar: Empty,
  /** Start (once) the loopback demo server used by the first-run example. */
  startDemo: Empty,
  /** Open an http(s) URL in the system browser (desktop only). */
  openExternal: v.strictObject({ url: Text(MAX_URL) }),
} as const

export type CallName = keyof typeof callSchemas
export type CallInput<K extends CallName> = v.InferInput<(typeof callSchemas)[K]>
export type CallParsed<K extends CallName> = v.InferOutput<(typeof callSchemas)[K]>

export interface BodyPayload {
  requestId: number
  /** 'utf8' for text content types, 'base64' otherwise. */
  encoding: 'utf8' | 'base64'
  data: string
  /** Decoded bytes kept. */
  bytes: number
  truncated: boolean
  contentType: string | null
  /** Set when content decoding failed; `data` is then the raw (encoded) bytes. */
  decodeError: string | null
}

export interface Snapshot {
  requests: RequestResult[]
  connections: ConnectionInfo[]
  pools: PoolStats[]
  settings: Record<string, PoolSettings>
  defaults: PoolSettings
  /** The sequence number of the last event reflected in this snapshot. */
  lastSeq: number
}

export interface CallOutputs {
  send: { requestIds: number[] }
  getBody: BodyPayload
  snapshot: Snapshot
  getPoolSettings: PoolSettings
  configurePool: PoolSettings
  closePool: { closed: number }
  clearHistory: Record<string, never>
  exportHar: { har: string }
  startDemo: { baseUrl: string }
  openExternal: { opened: boolean }
}

export type CallOutput<K extends CallName> = CallOutputs[K]

/** What crosses the wire for a call: a value or a typed error, never a thrown stack. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: SockeyeError }

/** The typed API the preload (or its WebSocket twin) gives the renderer. */
export type SockeyeApi = {
  [K in CallName]: (input: CallInput<K>) => Promise<CallOutput<K>>
} & {
  /** Subscribe to batched engine events; returns an unsubscribe function. */
  onEvents(listener: (events: import('./events').EngineEvent[]) => void): () => void
}

export const CALL_NAMES = Object.keys(callSchemas) as CallName[]

/** IPC channel names, derived from the call map. */
// Defined beside the schema-free name list so the sandboxed preload can import them without valibot.
export { IPC_PREFIX, EVENTS_CHANNEL, ipcChannel } from './channels'

/** Validate a call's input; returns the parsed input or a one-line typed error. */
export function parseCall<K extends CallName>(
  name: K,
  input: unknown,
): { ok: true; value: CallParsed<K> } | { ok: false; error: SockeyeError } {
  const result = v.safeParse(callSchemas[name], input)
  if (result.success) return { ok: true, value: result.output as CallParsed<K> }
  const issue = result.issues[0]
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? ''
  return {
    ok: false,
    error: {
      code: 'INVALID_OPTION',
      phase: 'input',
      message: `${name}: ${path ? `${path}: ` : ''}${issue.message}`,
    },
  }
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(callSchemas, name)
}

/** Browser-mode WebSocket frames (the IPC contract's twin). */
export type ClientFrame = { kind: 'call'; id: number; name: CallName; input: unknown }
export type ServerFrame =
  | { kind: 'result'; id: number; result: CallResult<unknown> }
  | { kind: 'events'; events: import('./events').EngineEvent[] }
