import type { BodyPayload, RequestResult } from '../contract'
import { bodyPayload } from './body'

/** A finished response body as kept for display: decoded, capped. */
export interface KeptBody {
  data: Buffer
  truncated: boolean
  contentType: string | null
  decodeError: string | null
}

/**
 * A small body is copied into Node's shared buffer pool (Buffer.from allocates from it below 4 KiB):
 * kept as it arrived, it is a view pinning its own socket read (an ArrayBuffer and its backing
 * store, ~300 bytes of bookkeeping for a 40-byte body) for as long as the history keeps it.
 */
function compact(data: Buffer): Buffer {
  return data.length > 0 && data.length < Buffer.poolSize >>> 1 && data.buffer.byteLength !== Buffer.poolSize
    ? Buffer.from(data)
    : data
}

/** Finished request records and their bodies, oldest dropped first beyond `max`. */
export class History {
  private readonly records = new Map<number, RequestResult>()
  /**
   * A plain body (not truncated, decoded without error, content type as in its result) is kept as
   * its Buffer alone: one object less per request in a history of up to 100,000.
   */
  private readonly bodies = new Map<number, KeptBody | Buffer>()
  /** Request bodies that were sent, for HAR `postData`. */
  private readonly sent = new Map<number, Buffer>()
  /**
   * Ids in insertion order, consumed from `head`. Asking the Map for its first key instead walks
   * every deleted slot before it (V8 keeps them until a rehash), which grows with the history.
   */
  private order: number[] = []
  private head = 0

  constructor(private readonly max: number) {}

  add(result: RequestResult, body: KeptBody | null, requestBody: Buffer | null): void {
    const records = this.records
    records.set(result.id, result)
    this.order.push(result.id)
    if (body) {
      const data = compact(body.data)
      const plain = !body.truncated && body.decodeError === null && body.contentType === result.contentType
      this.bodies.set(result.id, plain ? data : { ...body, data })
    }
    if (requestBody) this.sent.set(result.id, requestBody)
    while (records.size > this.max && this.head < this.order.length) {
      const oldest = this.order[this.head++]!
      records.delete(oldest)
      this.bodies.delete(oldest)
      this.sent.delete(oldest)
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.head = 0
    }
  }

  list(): RequestResult[] {
    return [...this.records.values()]
  }

  body(requestId: number): BodyPayload | null {
    const kept = this.bodies.get(requestId)
    if (!kept) return null
    if (Buffer.isBuffer(kept)) {
      return bodyPayload(requestId, kept, false, this.records.get(requestId)?.contentType ?? null, null)
    }
    return bodyPayload(requestId, kept.data, kept.truncated, kept.contentType, kept.decodeError)
  }

  requestBody(requestId: number): Buffer | null {
    return this.sent.get(requestId) ?? null
  }

  /** A final result preceded by the attempts it retried (oldest first), as far as still kept. */
  attempts(final: RequestResult): RequestResult[] {
    const chain = [final]
    let previous = final.retryOf === null ? undefined : this.records.get(final.retryOf)
    while (previous) {
      chain.unshift(previous)
      previous = previous.retryOf === null ? undefined : this.records.get(previous.retryOf)
    }
    return chain
  }

  clear(): void {
    this.records.clear()
    this.bodies.clear()
    this.sent.clear()
    this.order = []
    this.head = 0
  }
}
