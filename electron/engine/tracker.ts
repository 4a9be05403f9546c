import diagnosticsChannel from 'node:diagnostics_channel'
import type { RequestRun } from './run'
import type { SocketRecord } from './sockets'

interface SendHeadersMessage {
  request: unknown
  headers: string
  socket: object
}

/**
 * Ties a request to its socket. undici calls the handler's onConnect and then publishes
 * `undici:client:sendHeaders` ({request, headers, socket}) synchronously within one write
 * (client-h1.js writeH1, client-h2.js writeH2), so the run that last saw onConnect is the one
 * being written. Messages for sockets that are not ours (another engine, fetch) are ignored.
 */
export class AssignmentTracker {
  private expected: RequestRun | null = null
  private readonly onSendHeaders = (message: unknown): void => {
    const run = this.expected
    if (!run) return
    const { socket, headers } = message as SendHeadersMessage
    const record = this.sockets.get(socket)
    if (!record) return
    this.expected = null
    run.assign(record, headers)
  }

  constructor(private readonly sockets: WeakMap<object, SocketRecord>) {
    diagnosticsChannel.subscribe('undici:client:sendHeaders', this.onSendHeaders)
  }

  expect(run: RequestRun): void {
    this.expected = run
  }

  close(): void {
    diagnosticsChannel.unsubscribe('undici:client:sendHeaders', this.onSendHeaders)
  }
}
