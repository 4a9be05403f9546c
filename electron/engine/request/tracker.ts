import diagnosticsChannel from 'node:diagnostics_channel'
import type { Dispatcher } from 'undici'
import type { SocketRecord } from '../pool/socket'
import type { RequestRun } from './attempt'

/*
 * Ties undici's Request objects to Sockeye's runs and sockets through undici's diagnostics
 * channels, each matched by its `request` object (never by the order of undici's calls):
 * - `undici:request:create` ({request}) is published while a Client builds its Request from the
 *   dispatch options; TrackedClient (generation.ts) says whose options those are;
 * - `undici:client:sendHeaders` ({request, headers, socket}): the request meets its socket;
 * - `undici:request:bodySent` ({request}): its body is written.
 * Messages for requests that are not ours (another library's fetch) find no run and are ignored.
 *
 * Neither a WeakMap nor a Map: V8's scavenger keeps a run alive through minor GCs while an entry
 * for it sits in a table in old space, and everything the run holds (result, header Buffers, body
 * chunks, undici's controller) is promoted with it. Measured, 22,000 requests 10 concurrent: a
 * WeakMap promoted 16 MB per 5,000 (sequential), a Map keyed by undici's Request 54 MB in all,
 * this tag 10 MB (engine CPU per request 39 -> 33 us). So the run is tagged onto the objects
 * themselves under a symbol of ours: the dispatch options (our own object) and undici's Request
 * as `undici:request:create` publishes it (set to null, not deleted, when the run ends; undici
 * never reads it).
 */

const RUN = Symbol('sockeye.run')
/** An object (our dispatch options, undici's Request) tagged with the run it belongs to. */
type Tagged = { [RUN]?: RequestRun | null }
/** Every socket the engines opened, by socket object (weak: a closed socket is not kept alive). */
export const socketRecords = new WeakMap<object, SocketRecord>()
let creating: RequestRun | null = null

diagnosticsChannel.subscribe('undici:request:create', (message) => {
  if (!creating) return
  const request = (message as { request: object }).request
  ;(request as Tagged)[RUN] = creating
  creating.undiciRequest = request
})

diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
  const { request, headers, socket } = message as { request: object; headers: string; socket: object }
  const run = (request as Tagged)[RUN]
  const record = socketRecords.get(socket)
  if (run && record) run.assignH1(record, headers)
})

diagnosticsChannel.subscribe('undici:request:bodySent', (message) => {
  ;((message as { request: object }).request as Tagged)[RUN]?.sent()
})

/** Which run a Client's dispatch carries (see TrackedClient). */
export const requestOwner = {
  /** `options` are the dispatch options of `run`. */
  bind(options: Dispatcher.DispatchOptions, run: RequestRun): void {
    ;(options as Tagged)[RUN] = run
  },
  /**
   * A Client starts building the Request for `options`; hand what this returns to `end` when it
   * is done (no closure per request).
   */
  begin(options: object): RequestRun | null {
    const previous = creating
    creating = (options as Tagged)[RUN] ?? null
    return previous
  },
  end(previous: RequestRun | null): void {
    creating = previous
  },
  /** `run` ended: messages about its undici Request no longer concern it. */
  release(run: RequestRun): void {
    if (run.undiciRequest) (run.undiciRequest as Tagged)[RUN] = null
    run.undiciRequest = null
  },
}
