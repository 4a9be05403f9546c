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
 */

const runsByOptions = new WeakMap<object, RequestRun>()
const runsByRequest = new WeakMap<object, RequestRun>()
/** Every socket the engines opened, by socket object (weak: a closed socket is not kept alive). */
export const socketRecords = new WeakMap<object, SocketRecord>()
let creating: RequestRun | null = null

diagnosticsChannel.subscribe('undici:request:create', (message) => {
  if (creating) runsByRequest.set((message as { request: object }).request, creating)
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
    runsByOptions.set(options, run)
  },
  /** A Client starts building the Request for `options`; call the result when it is done. */
  begin(options: object): () => void {
    const previous = creating
    creating = runsByOptions.get(options) ?? null
    return () => {
      creating = previous
    }
  },
}
