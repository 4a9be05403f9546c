import * as v from 'valibot'
import { formatCallSchemas, type FormatCallOutputs } from './formats'
import { LIMITS, RANGES, type RangeName } from './limits'
import type { ConnectionInfo, PoolSettings, PoolStats, RequestResult, SockeyeError } from './model'
import { cancelSchemas, type CancelOutputs } from './cancel'
import { cookieCallSchemas, type CookieCallOutputs } from './cookies'
import { fileCallSchemas, SendFilesSchema, type FileCallOutputs } from './files'
import { workspaceCallSchemas, type WorkspaceCallOutputs } from './workspace'

/**
 * The renderer → engine call map. Each call has one input schema (validated in main and in the
 * browser-mode server before anything reaches the engine) and one output type. The preload
 * bridge, the IPC handlers, the WebSocket server and the renderer client are all derived from
 * this one table, so the two sides cannot drift.
 */

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const Int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max))
const Ranged = (name: RangeName) => Int(RANGES[name][0], RANGES[name][1])

/**
 * An array of at most `max` items, checked BEFORE any item is looked at: a 1.3-million-element
 * array is refused in O(1) instead of being walked (and an issue built per bad item).
 */
const List = <T extends v.GenericSchema>(item: T, max: number, what: string) =>
  guarded(
    v.array(item),
    (input) => Array.isArray(input) && input.length <= max,
    (input) => (Array.isArray(input) ? `at most ${max} ${what}` : `${what} must be a list`),
  )

/**
 * A plain object with at most `max` own keys, counted with an early exit before valibot walks its
 * keys looking for unknown ones.
 */
const Fields = <T extends v.GenericSchema>(schema: T, max: number = LIMITS.fields) =>
  guarded(
    schema,
    (input) => isRecord(input) && fewKeys(input, max),
    (input) => (isRecord(input) ? `at most ${max} fields` : 'expected an object'),
  )

function fewKeys(input: object, max: number): boolean {
  let n = 0
  for (const key in input) if (Object.hasOwn(input, key) && ++n > max) return false
  return true
}

const isRecord = (x: unknown): x is object => typeof x === 'object' && x !== null && !Array.isArray(x)

/**
 * `schema`, run only after the O(1)-ish `check` passed; otherwise one issue with `message(input)`.
 * A pipe stops at the first failing schema, so the costly walk never starts. Typed as `schema`
 * itself: the guard narrows nothing the schema does not check again.
 */
function guarded<T extends v.GenericSchema>(
  schema: T,
  check: (input: unknown) => boolean,
  message: (input: unknown) => string,
): T {
  const gate = v.custom<unknown>(check, (issue) => message(issue.input))
  return v.pipe(gate, schema as v.GenericSchema<unknown>) as unknown as T
}

export const HeaderListSchema = List(
  v.tuple([Text(LIMITS.headerNameChars), Text(LIMITS.headerValueChars)]),
  LIMITS.headers,
  'headers',
)

export const RequestSpecSchema = Fields(
  v.strictObject({
    method: v.pipe(
      Text(LIMITS.methodChars),
      v.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'method must be an HTTP token'),
    ),
    url: v.pipe(Text(LIMITS.urlChars), v.minLength(1, 'URL is empty')),
    headers: HeaderListSchema,
    body: v.nullable(Text(LIMITS.bodyChars)),
    bodyEncoding: v.optional(v.picklist(['utf8', 'base64'])),
    fresh: v.optional(v.boolean()),
    redirects: v.optional(Fields(v.strictObject({ follow: v.boolean(), max: Ranged('redirects') }), 2)),
  }),
)

export const PoolSettingsPatchSchema = Fields(
  v.partial(
    v.strictObject({
      connections: Ranged('connections'),
      pipelining: Ranged('pipelining'),
      keepAliveTimeout: Ranged('keepAliveTimeout'),
      keepAliveMaxTimeout: Ranged('keepAliveMaxTimeout'),
      allowH2: v.boolean(),
      rejectUnauthorized: v.boolean(),
      connectTimeout: Ranged('connectTimeout'),
      headersTimeout: Ranged('headersTimeout'),
      bodyTimeout: Ranged('bodyTimeout'),
      maxBodyBytes: Ranged('maxBodyBytes'),
      maxDecodedBytes: Ranged('maxDecodedBytes'),
      maxTime: Ranged('maxTime'),
    }),
  ),
)

const OriginSchema = v.pipe(
  Text(LIMITS.originChars),
  v.regex(/^https?:\/\/[^/?#\s]+:\d+$/, 'origin must be scheme://host:port'),
)
const Empty = v.strictObject({})

/**
 * UI state kept on disk by the host (drafts, tabs, pane sizes, theme), so it survives restarts of
 * the app and of browser mode (whose origin, and so localStorage, changes with its port), and so
 * secrets typed into a draft never sit in the browser's storage.
 */
const uiStateSchemas = {
  /** Every saved entry. */
  getUiState: Empty,
  /** Save one entry (`value` null removes it). */
  setUiState: v.strictObject({
    key: v.pipe(
      Text(LIMITS.uiStateKeyChars),
      v.regex(/^[a-z0-9][a-z0-9._:-]*$/i, 'key must be letters, digits and . _ : -'),
    ),
    value: v.nullable(Text(LIMITS.uiStateValueChars)),
  }),
}

export const callSchemas = {
  /** Send a request `repeat` times, `concurrency` at a time; resolves when every attempt ended. */
  send: v.strictObject({
    request: RequestSpecSchema,
    repeat: v.optional(Ranged('repeat'), 1),
    concurrency: v.optional(Ranged('concurrency'), 1),
    delayMs: v.optional(Ranged('delayMs'), 0),
    /** A collection request's file parts or file body, read and encoded by the host (contract/files.ts). */
    files: v.optional(SendFilesSchema),
  }),
  /** The kept response body of one request. */
  getBody: v.strictObject({
    requestId: Ranged('requestId'),
    /**
     * A slice of the body, so no single frame is large: bytes from `offset` (a multiple of 3, so
     * slices' base64 joins cleanly), at most LIMITS.bodySliceBytes. Absent: from 0, one slice.
     */
    offset: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(0), v.multipleOf(3, 'offset must be a multiple of 3')),
    ),
  }),
  /** Everything the engine knows, for a renderer that (re)connects. */
  snapshot: Empty,
  getPoolSettings: v.strictObject({ origin: OriginSchema }),
  configurePool: v.strictObject({ origin: OriginSchema, settings: PoolSettingsPatchSchema }),
  /** Close one origin's pool (or every pool when origin is null): next request opens a fresh socket. */
  closePool: v.strictObject({ origin: v.nullable(OriginSchema) }),
  /** Forget request history (sockets and pools stay). */
  clearHistory: Empty,
  /**
   * The HAR of every kept request, in slices of LIMITS.harSliceChars: the first call (no offset)
   * builds the document, later calls read on from `offset` until `offset + har.length === total`.
   */
  exportHar: v.strictObject({ offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  /** Start (once) the loopback demo server used by the first-run example. */
  startDemo: Empty,
  /** Open an http(s) URL in the system browser (desktop only). */
  openExternal: v.strictObject({ url: Text(LIMITS.urlChars) }),
  /**
   * A page of kept request records in arrival (completion) order, oldest first: the `limit` records
   * that arrived just before request `before` (the newest when absent). The snapshot carries only
   * the newest page; a renderer pages back with `before` = the first record it holds.
   */
  listRequests: v.strictObject({
    before: v.optional(Ranged('requestId')),
    limit: v.optional(Ranged('page'), LIMITS.pageRequests),
  }),
  /** Memory use of kept bodies; with `bodyBudgetMiB`, first change the budget (evicting at once). */
  configureMemory: v.strictObject({ bodyBudgetMiB: v.optional(Ranged('bodyBudgetMiB')) }),
  ...cancelSchemas,
  /** Collections, environments and history on disk (contract/workspace.ts). */
  ...workspaceCallSchemas,
  // Workspace formats: cURL, HAR, collection imports (contract/formats.ts).
  ...formatCallSchemas(RequestSpecSchema, PoolSettingsPatchSchema),
  ...uiStateSchemas,
  // The workspace's cookie jar (contract/cookies.ts).
  ...cookieCallSchemas,
  // A collection request's files (contract/files.ts).
  ...fileCallSchemas,
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
  /** To the UI: where this slice of `data` starts in the body (`bytes` is the whole body's size). */
  offset?: number
  /**
   * To the UI, bodies always travel as base64; this says whether the bytes are UTF-8 text (the
   * engine's 'utf8' choice). Absent in the engine's own payloads, where `encoding` says it.
   */
  text?: boolean
  /**
   * True when the body was dropped to stay within the engine's body budget: `data` is empty and
   * `bytes` 0; the request's record (status, sizes, timings) is still there.
   */
  evicted?: boolean
}

/** A page of request records (`listRequests`), oldest first. */
export interface RequestPage {
  requests: RequestResult[]
  /** Kept records older than the first one of this page. */
  older: number
}

/** What kept bodies cost (`configureMemory`). */
export interface MemoryUse {
  bodyBudgetBytes: number
  /** Bytes of kept response and request bodies. */
  keptBytes: number
  keptBodies: number
  /** Bodies dropped to stay within the budget since the history was last cleared. */
  evictedBodies: number
  /** Kept request records. */
  requests: number
}

export interface Snapshot {
  requests: RequestResult[]
  connections: ConnectionInfo[]
  pools: PoolStats[]
  settings: Record<string, PoolSettings>
  defaults: PoolSettings
  /** The sequence number of the last event reflected in this snapshot. */
  lastSeq: number
  /**
   * Kept records older than `requests` (which holds only the newest LIMITS.pageRequests): page
   * them with `listRequests({ before: requests[0].id })`. Absent from engines that send everything.
   */
  olderRequests?: number
}

export interface CallOutputs
  extends CancelOutputs, WorkspaceCallOutputs, FormatCallOutputs, CookieCallOutputs, FileCallOutputs {
  /** `runId` names the batch for `cancelRun`. */
  send: { runId: number; requestIds: number[] }
  getBody: BodyPayload
  snapshot: Snapshot
  getPoolSettings: PoolSettings
  configurePool: PoolSettings
  closePool: { closed: number }
  clearHistory: Record<string, never>
  exportHar: { har: string; offset: number; total: number }
  startDemo: { baseUrl: string }
  openExternal: { opened: boolean }
  listRequests: RequestPage
  configureMemory: MemoryUse
  getUiState: { entries: Record<string, string> }
  setUiState: Record<string, never>
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
  // abortEarly: the first problem is the one reported, so stop there instead of collecting an
  // issue for every bad item or unknown key of a hostile payload.
  if (isRecord(input) && !fewKeys(input, LIMITS.fields)) {
    const message = `${name}: at most ${LIMITS.fields} fields`
    return { ok: false, error: { code: 'INVALID_OPTION', phase: 'input', message } }
  }
  const result = v.safeParse(callSchemas[name], input, { abortEarly: true })
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
