/**
 * Every count, size, timeout and range Sockeye enforces, in one table. The contract's schemas, the
 * engine, the CLI's flags, the browser-mode server and the renderer's composer all read their
 * numbers here, so a limit changes in one place and the messages that name it stay true.
 * Imports nothing: the renderer and the sandboxed preload may load it without valibot.
 */

/** 1 MiB in bytes. */
export const MiB = 1024 * 1024

/** Sizes and counts. `Chars` are UTF-16 code units (string `length`), `Bytes` are bytes. */
export const LIMITS = Object.freeze({
  /** A request URL; also any URL handed to the system browser. */
  urlChars: 8192,
  /** A method token (`GET`, `PROPFIND`, …). */
  methodChars: 32,
  /** `scheme://host:port`. */
  originChars: 300,
  /** Request headers per request. */
  headers: 500,
  headerNameChars: 1024,
  headerValueChars: 65_536,
  /** A request body as it crosses the contract (text, or base64 of bytes). */
  bodyChars: 10 * MiB,
  /** A request body file (`--data @file`). */
  bodyFileBytes: 10 * MiB,
  /** Finished request records the engine keeps (oldest dropped first). */
  history: 100_000,
  /**
   * Total bytes of kept response bodies across all requests (oldest bodies dropped first; their
   * records stay, marked evicted). Per-response caps are the pool's maxBodyBytes/maxDecodedBytes.
   */
  bodyBudgetBytes: 256 * MiB,
  /** Requests per `listRequests` page and in the snapshot a (re)connecting renderer gets. */
  pageRequests: 2000,
  /**
   * Rows the renderer's request list may hold before it stops paging older records in (live rows
   * still arrive on top): the engine keeps up to `history`, the renderer's heap holds a bounded part.
   */
  listRows: 10_000,
  /** Older requests the list asks for per "Load more" (or per scroll to its top). */
  listPage: 500,
  /** A browser-mode WebSocket frame (base64 of a 10 MiB body is ~13.3 MiB). */
  frameBytes: 16 * MiB,
  /** Bytes queued for a browser-mode client before it is dropped as too slow. */
  bufferedBytes: 32 * MiB,
  /** Fields of any one object in a call (the widest, pool settings, has 12). */
  fields: 32,
  /** An error message (one line). */
  messageChars: 300,
  /** A call name shown back in an error. */
  callNameChars: 64,
  /** A file to import (`sockeye import`, `open`, the import dialog): a HAR with bodies fits. */
  importBytes: 32 * MiB,
  /** A pasted or imported curl command (a command, not a body dump). */
  curlChars: 1 * MiB,
  /** A slice of a response body in one `getBody` answer (a multiple of 3: base64 slices join). */
  bodySliceBytes: 3 * 256 * 1024,
  /** Characters of HAR JSON per `exportHar` answer (a 200 MB export is 200 frames, not one). */
  harSliceChars: 1024 * 1024,
  /** UI state on disk (`setUiState`): a key, one value, entries in all, the whole file. */
  uiStateKeyChars: 64,
  uiStateValueChars: 256 * 1024,
  uiStateKeys: 64,
  uiStateFileBytes: 4 * MiB,
  /**
   * The cookie jar (RFC 6265 §6.1 asks for at least 4096 bytes per cookie, 50 per domain, 3000 in
   * all): cookies kept, one cookie (name + value + attributes), Set-Cookie headers read per response,
   * and a cookie file read by `-b FILE` or the jar file loaded from disk (a full jar of the
   * largest cookies is ~13 MB of JSON: it must load again).
   */
  cookies: 3000,
  cookieBytes: 4096,
  setCookies: 100,
  cookieFileBytes: 16 * MiB,
})

/** Inclusive integer ranges `[min, max]`. Timeouts in milliseconds. */
export const RANGES = Object.freeze({
  repeat: [1, 100_000],
  concurrency: [1, 1024],
  delayMs: [0, 600_000],
  connections: [1, 256],
  pipelining: [1, 100],
  keepAliveTimeout: [1, 3_600_000],
  keepAliveMaxTimeout: [1, 3_600_000],
  connectTimeout: [1, 600_000],
  headersTimeout: [0, 3_600_000],
  bodyTimeout: [0, 3_600_000],
  maxBodyBytes: [0, 1024 * MiB],
  maxDecodedBytes: [0, 1024 * MiB],
  /** Total deadline per request (ms, curl -m); 0 = none. */
  maxTime: [0, 86_400_000],
  /** `--timeout MS`: connect, headers and body timeouts at once. */
  timeout: [1, 600_000],
  /** Total kept-body budget in MiB (`--body-budget`, `setBodyBudget`); 0 keeps no bodies. */
  bodyBudgetMiB: [0, 64 * 1024],
  /** Kept request records (`maxHistory`). */
  history: [1, 1_000_000],
  /** Requests per page asked of `listRequests`. */
  page: [1, 2000],
  /**
   * Redirects followed per request (`redirects.max`, `--max-redirs`). 50 is curl's default limit;
   * Fetch and browsers stop at 20. 0 follows none: the first redirect ends as TOO_MANY_REDIRECTS.
   */
  redirects: [0, 50],
  port: [0, 65_535],
  requestId: [1, Number.MAX_SAFE_INTEGER],
} as const satisfies Record<string, readonly [number, number]>)

/**
 * Default `redirects.max` (the composer's "Follow redirects (max N)" and `-L` without
 * --max-redirs). Lower than browsers' 20 on purpose: every hop is a row of its own, and a real
 * chain (http→https, a trailing slash, a login round trip) is 1–4 hops, so a loop shows as 11
 * rows ending in TOO_MANY_REDIRECTS instead of 21.
 */
export const REDIRECTS_DEFAULT = 10

export type RangeName = keyof typeof RANGES

/** `value` clamped into `RANGES[name]`; `fallback` when it is not an integer. */
export function clampTo(name: RangeName, value: unknown, fallback: number): number {
  const [min, max] = RANGES[name]
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback
}
