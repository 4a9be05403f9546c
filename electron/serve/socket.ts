import type { RawData, WebSocket } from 'ws'
import type { ServerFrame } from '../contract'
import { LIMITS } from '../contract/limits'
import type { Host } from '../host/host'

/**
 * Frames above this are refused by `ws` itself (close 1009) before they are buffered. The contract
 * allows 10 MiB request bodies; base64 of that is ~13.3 MiB, so a frame may be up to 16 MiB.
 */
export const MAX_FRAME_BYTES = LIMITS.frameBytes

/**
 * A client that stops reading would make the server buffer every event forever. Past this many
 * queued bytes the socket is closed; the renderer reconnects and resyncs from a snapshot.
 */
const MAX_BUFFERED_BYTES = LIMITS.bufferedBytes

/** WebSocket close code for a policy violation (RFC 6455 §7.4.1). */
const POLICY = 1008

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState !== ws.OPEN) return
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.close(1013, 'client too slow; reconnect')
    return
  }
  ws.send(JSON.stringify(frame))
}

/** The `{kind:'call', id, name, input}` frame, or a reason it is not one. */
function parseFrame(
  data: RawData,
  isBinary: boolean,
): { id: number; name: unknown; input: unknown } | string {
  if (isBinary) return 'binary frames are not accepted'
  let frame: unknown
  try {
    frame = JSON.parse(data.toString())
  } catch {
    return 'frame is not JSON'
  }
  if (!frame || typeof frame !== 'object' || Array.isArray(frame)) return 'frame is not an object'
  const { kind, id, name, input } = frame as Record<string, unknown>
  if (kind !== 'call') return "frame kind must be 'call'"
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return 'frame id must be an integer'
  return { id, name, input }
}

/**
 * Serve one WebSocket: calls go to the shared host, results come back with the call's id, and
 * every host event batch is forwarded. A frame that cannot be answered (no usable id) closes the
 * socket with 1008; a call with a usable id but bad name or input gets an error result.
 */
export function attachSocket(ws: WebSocket, host: Host): void {
  const off = host.onEvents((events) => send(ws, { kind: 'events', events }))
  ws.on('close', off)
  // Errors (oversized frame, bad UTF-8, reset) are followed by 'close'; handling them keeps them
  // from becoming uncaught exceptions.
  ws.on('error', () => off())
  ws.on('message', (data, isBinary) => {
    const frame = parseFrame(data, isBinary)
    if (typeof frame === 'string') {
      ws.close(POLICY, frame)
      return
    }
    void host
      .call(frame.name, frame.input)
      .then((result) => send(ws, { kind: 'result', id: frame.id, result }))
  })
}
