import type { Socket } from 'node:net'
import { fault } from '../errors'
import type { SocketRecord } from './socket'

/*
 * What undici's HTTP/1.1 parser does not tell its handlers, read from the bytes as they arrive on
 * the socket we opened (Readable#push is the one place every read goes through):
 * - the response's HTTP version (1.0 or 1.1) from its status line;
 * - an interim `100 Continue` no request asked for: RFC 9110 §15.2 says a client must accept it
 *   before the final response, undici 7 destroys the socket instead, so it is dropped here;
 * - a `101 Switching Protocols` no request asked for (Sockeye never asks to upgrade): one typed
 *   error on the request instead of undici's internal assertion.
 * Only the first bytes read where a response head is due are looked at (`record.expectHead`).
 */

const HEAD_END = Buffer.from('\r\n\r\n')
const PREFIX = Buffer.from('HTTP/1.')

/** Status line start `HTTP/1.x NNN`: version digit and status, or null (read from the bytes, no strings). */
function statusLine(chunk: Buffer): { minor: number; status: number } | null {
  if (chunk.length < 12) return null
  for (let i = 0; i < PREFIX.length; i++) if (chunk[i] !== PREFIX[i]) return null
  const minor = chunk[7]! - 0x30
  let status = 0
  for (let i = 9; i < 12; i++) {
    const digit = chunk[i]! - 0x30
    if (digit < 0 || digit > 9) return null
    status = status * 10 + digit
  }
  return { minor, status }
}

/** Wraps `socket.push` so `record` sees each response head first. */
export function watchWire(record: SocketRecord, socket: Socket, at: string): void {
  const push = socket.push
  socket.push = function (chunk: unknown, encoding?: BufferEncoding): boolean {
    if (!record.expectHead || !Buffer.isBuffer(chunk) || chunk.length === 0) {
      return push.call(socket, chunk, encoding)
    }
    let data: Buffer = chunk
    for (;;) {
      const line = statusLine(data)
      if (!line) break
      record.version = line.minor === 0 ? '1.0' : '1.1'
      if (line.status === 101) {
        record.expectHead = false
        const message = `${at} answered 101 Switching Protocols, but no upgrade was asked for`
        socket.destroy(fault('MALFORMED_RESPONSE', 'wait', message))
        return false
      }
      if (line.status !== 100) break
      const end = data.indexOf(HEAD_END)
      // A head split across reads: leave it to undici.
      if (end < 0) break
      data = data.subarray(end + HEAD_END.length)
      if (data.length === 0) return true
    }
    record.expectHead = false
    return push.call(socket, data, encoding)
  } as typeof socket.push
}
