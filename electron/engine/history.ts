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

/**
 * Finished request records and their bodies, oldest dropped first beyond `max`. Records and bodies
 * sit in arrays in arrival order; one Map finds a request's slot by id. (Two id-keyed Maps cost
 * twice the hashing and table growth on every finished request, and listing walked a Map.)
 */
export class History {
  /** Request id → absolute slot (count of adds before it); its array index is `slot - base`. */
  private readonly slots = new Map<number, number>()
  private results: Array<RequestResult | undefined> = []
  /**
   * A plain body (not truncated, decoded without error, content type as in its result) is kept as
   * its Buffer alone: one object less per request in a history of up to 100,000.
   */
  private bodies: Array<KeptBody | Buffer | null> = []
  /** Request bodies that were sent, for HAR `postData` (few requests have one). */
  private readonly sent = new Map<number, Buffer>()
  /** Array index of the oldest kept record (slots before it were dropped, awaiting compaction). */
  private head = 0
  /** Absolute slot of array index 0. */
  private base = 0

  constructor(private readonly max: number) {}

  add(result: RequestResult, body: KeptBody | null, requestBody: Buffer | null): void {
    let kept: KeptBody | Buffer | null = null
    if (body) {
      const data = compact(body.data)
      const plain = !body.truncated && body.decodeError === null && body.contentType === result.contentType
      kept = plain ? data : { ...body, data }
    }
    const id = result.id
    const existing = this.slots.get(id)
    if (existing !== undefined) {
      // Ids are unique per engine; should one come again, it replaces its record in place.
      this.results[existing - this.base] = result
      this.bodies[existing - this.base] = kept
    } else {
      this.slots.set(id, this.base + this.results.length)
      this.results.push(result)
      this.bodies.push(kept)
    }
    if (requestBody) this.sent.set(id, requestBody)
    while (this.slots.size > this.max) {
      const oldest = this.results[this.head]!
      this.results[this.head] = undefined
      this.bodies[this.head] = null
      this.head++
      this.slots.delete(oldest.id)
      this.sent.delete(oldest.id)
    }
    if (this.head > 1024 && this.head * 2 > this.results.length) {
      this.results = this.results.slice(this.head)
      this.bodies = this.bodies.slice(this.head)
      this.base += this.head
      this.head = 0
    }
  }

  list(): RequestResult[] {
    return this.results.slice(this.head) as RequestResult[]
  }

  body(requestId: number): BodyPayload | null {
    const slot = this.slots.get(requestId)
    if (slot === undefined) return null
    const kept = this.bodies[slot - this.base]
    if (!kept) return null
    if (Buffer.isBuffer(kept)) {
      const contentType = this.results[slot - this.base]?.contentType ?? null
      return bodyPayload(requestId, kept, false, contentType, null)
    }
    return bodyPayload(requestId, kept.data, kept.truncated, kept.contentType, kept.decodeError)
  }

  requestBody(requestId: number): Buffer | null {
    return this.sent.get(requestId) ?? null
  }

  /** A final result preceded by the attempts it retried (oldest first), as far as still kept. */
  attempts(final: RequestResult): RequestResult[] {
    const chain = [final]
    let previous = this.record(final.retryOf)
    while (previous) {
      chain.unshift(previous)
      previous = this.record(previous.retryOf)
    }
    return chain
  }

  clear(): void {
    this.slots.clear()
    this.results = []
    this.bodies = []
    this.sent.clear()
    this.head = 0
    this.base = 0
  }

  private record(id: number | null): RequestResult | undefined {
    const slot = id === null ? undefined : this.slots.get(id)
    return slot === undefined ? undefined : this.results[slot - this.base]
  }
}
