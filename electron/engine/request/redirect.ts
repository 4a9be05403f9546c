import { performance } from 'node:perf_hooks'
import type { HeaderList, RedirectLink, RequestResult, RequestSpec, SockeyeError } from '../../contract'
import { RANGES } from '../../contract/limits'
import { sockeyeError } from '../errors'
import { originOf } from '../input'
import type { RequestRun, Settle } from './attempt'
import type { Cancels } from './cancel'

/*
 * Following redirects (RFC 9110 §15.4, with the Fetch standard's "HTTP-redirect fetch" rules that
 * browsers and curl share). Each hop is a new request with its own id, socket, timings and events,
 * started through the engine's ordinary start → launch path; this file only decides what the next
 * hop is and keeps the chain's state. The previous hop's body is read to its end first (the engine
 * completes a response only after its last byte), so an HTTP/1.1 keep-alive socket is free for
 * the next hop when it is dispatched.
 */

/** Statuses that send the client to `Location`. 300 (a choice) and 304 (use your cache) do not. */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** Headers that describe the body; dropped with it (Fetch: "request-body-header name"). */
const BODY_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
])

/**
 * Credentials never carried to another origin: Fetch drops Authorization on a cross-origin
 * redirect, curl drops Authorization and Cookie to another host; Proxy-Authorization is the
 * proxy's, never the next server's. A Host header the user set names the old host.
 */
const CROSS_ORIGIN_DROPS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'proxy-authorization',
  'host',
])

/** What follows a response: nothing (not a redirect), the next hop, or an error that ends the chain. */
export type Plan =
  { kind: 'none' } | { kind: 'hop'; spec: RequestSpec } | { kind: 'stop'; error: SockeyeError }

/** The response a plan is made from. */
export interface Answer {
  status: number
  headers: HeaderList
}

/**
 * The request that follows `answer` to `spec` (sent to `from`), as hop number `hop` of a chain
 * allowed `max` hops. Request bodies are always whole buffers in Sockeye (text or base64 in the
 * spec, never a stream), so a 307/308 can always send the same body again.
 */
export function planHop(spec: RequestSpec, from: URL, answer: Answer, hop: number, max: number): Plan {
  if (!REDIRECTS.has(answer.status)) return { kind: 'none' }
  const location = answer.headers.find(
    ([name]) => name.length === 8 && name.toLowerCase() === 'location',
  )?.[1]
  // A 3xx without Location is an ordinary response (Fetch returns it as is).
  if (location === undefined || location.trim() === '') return { kind: 'none' }
  const shown = location.length > 120 ? `${location.slice(0, 120)}…` : location
  let next: URL
  try {
    next = new URL(location.trim(), from)
  } catch {
    return stop(
      'BAD_REDIRECT',
      `${answer.status} Location '${shown}' is not a URL; the redirect was not followed`,
    )
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return stop(
      'BAD_REDIRECT',
      `${answer.status} Location '${shown}' is not http(s); only http:// and https:// redirects are followed`,
    )
  }
  if (next.username !== '' || next.password !== '') {
    return stop(
      'BAD_REDIRECT',
      `${answer.status} Location has credentials (user:pass@); the redirect was not followed`,
    )
  }
  if (hop > max) {
    return stop(
      'TOO_MANY_REDIRECTS',
      `stopped after ${max} redirect${max === 1 ? '' : 's'} (max ${max}): this ${answer.status} goes on to ${next.href}; check for a loop or raise --max-redirs (up to ${RANGES.redirects[1]})`,
    )
  }
  // Fetch: a Location without a fragment keeps the request's fragment.
  if (next.hash === '' && from.hash !== '') next.hash = from.hash
  const method = spec.method.toUpperCase()
  // RFC 9110 §15.4.4: 303 means "GET the result" (HEAD stays HEAD); §15.4.2/3: user agents change
  // POST to GET on 301/302 (historical, as every browser and curl do). 307/308 keep method and body.
  const toGet =
    (answer.status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((answer.status === 301 || answer.status === 302) && method === 'POST')
  const crossOrigin = originOf(next) !== originOf(from)
  const headers = spec.headers.filter(([name]) => {
    const lower = name.toLowerCase()
    return !((toGet && BODY_HEADERS.has(lower)) || (crossOrigin && CROSS_ORIGIN_DROPS.has(lower)))
  })
  const body = toGet ? null : spec.body
  const nextSpec: RequestSpec = {
    ...spec,
    method: toGet ? 'GET' : spec.method,
    url: next.href,
    headers,
    body,
  }
  if (toGet) delete nextSpec.bodyEncoding
  return { kind: 'hop', spec: nextSpec }
}

function stop(code: SockeyeError['code'], message: string): Plan {
  return { kind: 'stop', error: sockeyeError(code, 'receive', message) }
}

/** A request of a redirect chain: the chain, and its link (null for the chain's first request). */
export interface Hop {
  chain: Chain
  link: RedirectLink | null
}

/**
 * One request sent with `redirects.follow`: its hops so far. Every hop's request (and each
 * stale-socket retry of one) carries the chain; the caller's promise settles with the last hop.
 */
export class Chain {
  /** The hop being sent now (0: the request the user sent). */
  hop = 0
  /** The spec of the hop being sent now, as the user's headers and body stand after the drops. */
  spec: RequestSpec
  /** The planned next hop, between the 3xx's result and its launch. */
  next: { id: number; spec: RequestSpec } | null = null
  /** Ids of the chain's requests that ended (cancel of any of them reaches the live hop). */
  readonly ended: number[] = []
  /** The total deadline (maxTime) counts from the first request, as curl's -m covers every hop. */
  readonly firstQueuedAt = performance.now()

  constructor(
    readonly head: number,
    readonly max: number,
    spec: RequestSpec,
  ) {
    this.spec = spec
  }

  /** The response to `result` (a 3xx with a plan) is followed by hop `id`. */
  plan(id: number, spec: RequestSpec): void {
    this.next = { id, spec }
  }

  /** The planned hop, if `result` is the response it follows; it becomes the current hop. */
  advance(result: RequestResult): { id: number; spec: RequestSpec; link: RedirectLink } | null {
    const next = this.next
    if (!next || result.redirectedTo !== next.id) return null
    this.next = null
    this.hop++
    this.spec = next.spec
    return { id: next.id, spec: next.spec, link: { from: result.id, hop: this.hop, head: this.head } }
  }
}

/** What chains need from the engine. */
export interface ChainEnv {
  /** A new request id. */
  nextId(): number
  cancels: Cancels
  /** Start request `id` as a send does (parse, launch); `settle` gets its final result. */
  start(id: number, spec: RequestSpec, settle: Settle, hop: Hop): void
}

/** The caller's `settle` for a chain: each followed 3xx starts its next hop; the last hop settles. */
export function chained(env: ChainEnv, chain: Chain, outer: Settle): Settle {
  const settle: Settle = (result) => {
    const next = chain.advance(result)
    if (!next) {
      env.cancels.forget(chain.ended)
      return outer(result)
    }
    // undici's Client counts a request until its onResponseEnd returns, so a hop sent in this
    // turn would find the keep-alive socket busy and open another; the next turn finds it idle.
    setImmediate(() => env.start(next.id, next.spec, settle, { chain, link: next.link }))
  }
  return settle
}

/** A complete response in a chain: plan the next hop (a new request id) or the error ending it. */
export function followRun(env: ChainEnv, run: RequestRun): SockeyeError | null {
  const chain = run.chain
  if (!chain) return null
  const answer = { status: run.status, headers: run.responseHeaders }
  const plan = planHop(chain.spec, run.target.url, answer, chain.hop + 1, chain.max)
  if (plan.kind === 'none') return null
  if (plan.kind === 'stop') return plan.error
  const id = env.nextId()
  env.cancels.hop(id, run.id, chain)
  chain.plan(id, plan.spec)
  run.redirectedTo = id
  return null
}
