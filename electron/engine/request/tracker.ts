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
 * Not WeakMaps: V8's scavenger keeps a WeakMap entry's value alive while its table is in old space,
 * so every run (its result, header Buffers, body chunks) lived through two minor GCs and was
 * promoted: 16 MB promoted per 5,000 sequential requests instead of 7, and twice the GC pause.
 * The options are our own object and carry their run under a symbol; undici's Request objects go
 * in a Map that a run leaves when it ends (`requestOwner.release`).
 */

const RUN = Symbol('sockeye.run')
const runsByRequest = new Map<object, RequestRun>()
/** Every socket the engines opened, by socket object (weak: a closed socket is not kept alive). */
export const socketRecords = new WeakMap<object, SocketRecord>()
let creating: RequestRun | null = null

diagnosticsChannel.subscribe('undici:request:create', (message) => {
  if (!creating) return
  const request = (message as { request: object }).request
  runsByRequest.set(request, creating)
  creating.undiciRequest = request
})

diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
  const { request, headers, socket } = message as { request: object; headers: string; socket: object }
  const run = runsByRequest.get(request)
  const record = socketRecords.get(socket)
  if (run && record) run.assignH1(record, headers)
})

diagnosticsChannel.subscribe('undici:request:bodySent', (message) => {
  runsByRequest.get((message as { request: object }).request)?.sent()
})

/** Which run a Client's dispatch carries (see TrackedClient). */
export const requestOwner = {
  /** `options` are the dispatch options of `run`. */
  bind(options: Dispatcher.DispatchOptions, run: RequestRun): void {
    ;(options as { [RUN]?: RequestRun })[RUN] = run
  },
  /** A Client starts building the Request for `options`; call the result when it is done. */
  begin(options: object): () => void {
    const previous = creating
    creating = (options as { [RUN]?: RequestRun })[RUN] ?? null
    return () => {
      creating = previous
    }
  },
  /** `run` ended: messages about its undici Request no longer concern it. */
  release(run: RequestRun): void {
    if (run.undiciRequest) runsByRequest.delete(run.undiciRequest)
    run.undiciRequest = null
  },
}
