import type { BodyPayload, MemoryUse, RequestPage, RequestResult } from '../contract'
import { LIMITS } from '../contract/limits'
import { bodyPayload } from './body'
import { IdIndex } from './id-index'

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

const bytesOf = (kept: KeptBody | Buffer | null): number =>
  kept === null ? 0 : Buffer.isBuffer(kept) ? kept.length : kept.data.length

/**
 * Finished request records and their bodies, oldest dropped first beyond `max`. Records and bodies
 * sit in arrays in arrival order; an IdIndex finds a request's slot by id. (Two id-keyed Maps cost
 * twice the hashing and table growth on every finished request, and listing walked a Map; one Map
 * still cost ~3% of the engine's throughput, 10 concurrent requests over 6 connections.)
 *
 * Kept bodies (responses, and request bodies kept for HAR) share one byte budget: past it, the
 * oldest bodies are dropped and their records marked `evicted`, so 200 responses of 10 MiB cost
 * the budget, not 2 GiB. A request body shared by many records (one spec sent `-n` times) counts once.
 */
export class History {
  /** Request id → absolute slot (count of adds before it); its array index is `slot - base`. */
  private readonly slots = new IdIndex()
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
  /** Bytes of kept bodies: responses plus each distinct request body once. */
  private keptBytes = 0
  private keptBodies = 0
  private evictedBodies = 0
  /** Absolute slot from which the oldest body still kept is searched (everything before is gone). */
  private evictFrom = 0
  /** How many kept records refer to each request body Buffer. */
  private readonly sentRefs = new Map<Buffer, number>()

  constructor(
    private readonly max: number,
    private budget: number = LIMITS.bodyBudgetBytes,
    private readonly keepBodies = true,
  ) {}

  add(result: RequestResult, body: KeptBody | null, requestBody: Buffer | null): void {
    // Keeping nothing (the CLI without --har): no Map churn per request, whose resized tables the
    // GC would copy.
    if (this.max === 0) return
    let kept: KeptBody | Buffer | null = null
    if (!this.keepBodies) {
      body = null
      requestBody = null
    }
    if (body) {
      const data = compact(body.data)
      const plain = !body.truncated && body.decodeError === null && body.contentType === result.contentType
      kept = plain ? data : { ...body, data }
    }
    const id = result.id
    const existing = this.slots.get(id)
    if (existing !== undefined) {
      // Ids are unique per engine; should one come again, it replaces its record in place.
      this.dropBody(existing - this.base)
      this.results[existing - this.base] = result
      this.bodies[existing - this.base] = kept
      this.evictFrom = Math.min(this.evictFrom, existing)
    } else {
      this.slots.set(id, this.base + this.results.length)
      this.results.push(result)
      this.bodies.push(kept)
    }
    if (kept) {
      this.keptBytes += bytesOf(kept)
      this.keptBodies++
    }
    if (requestBody) this.keepSent(id, requestBody)
    while (this.slots.size > this.max) {
      const oldest = this.results[this.head]!
      this.dropBody(this.head)
      this.dropSent(oldest.id)
      this.results[this.head] = undefined
      this.head++
      this.slots.delete(oldest.id)
    }
    if (this.keptBytes > this.budget) this.evict()
    if (this.head > 1024 && this.head * 2 > this.results.length) {
      this.results = this.results.slice(this.head)
      this.bodies = this.bodies.slice(this.head)
      this.base += this.head
      this.head = 0
    }
  }

  /** Change the body budget; bodies over it are dropped at once (oldest first). */
  setBudget(bytes: number): void {
    this.budget = Math.max(0, bytes)
    if (this.keptBytes > this.budget) this.evict()
  }

  memory(): MemoryUse {
    return {
      bodyBudgetBytes: this.budget,
      keptBytes: this.keptBytes,
      keptBodies: this.keptBodies,
      evictedBodies: this.evictedBodies,
      requests: this.slots.size,
    }
  }

  /**
   * The `limit` records that arrived just before request `before` (the newest without it), oldest
   * first, and how many arrived earlier still. Arrival (completion) order, not id order: under
   * concurrency request 5 may finish before request 3. Records are dropped in arrival order too, so
   * when `before` is gone, so is everything that arrived before it: the page is empty.
   */
  page(limit: number, before?: number): RequestPage {
    let end = this.results.length
    if (before !== undefined) {
      const slot = this.slots.get(before)
      if (slot === undefined) return { requests: [], older: 0 }
      end = slot - this.base
    }
    const start = Math.max(this.head, end - Math.max(0, limit))
    return { requests: this.results.slice(start, end) as RequestResult[], older: start - this.head }
  }

  /** Drop the oldest kept bodies (response first, then its request body) until under budget. */
  private evict(): void {
    let index = Math.max(this.head, this.evictFrom - this.base)
    while (this.keptBytes > this.budget && index < this.results.length) {
      const result = this.results[index]
      if (result && (this.bodies[index] || this.sent.has(result.id))) {
        this.dropBody(index)
        this.dropSent(result.id)
        result.evicted = true
        this.evictedBodies++
      }
      index++
    }
    this.evictFrom = this.base + index
  }

  private dropBody(index: number): void {
    const kept = this.bodies[index] ?? null
    if (!kept) return
    this.keptBytes -= bytesOf(kept)
    this.keptBodies--
    this.bodies[index] = null
  }

  private keepSent(id: number, body: Buffer): void {
    const previous = this.sent.get(id)
    if (previous === body) return
    if (previous) this.dropSent(id)
    this.sent.set(id, body)
    const refs = this.sentRefs.get(body) ?? 0
    if (refs === 0) this.keptBytes += body.length
    this.sentRefs.set(body, refs + 1)
  }

  private dropSent(id: number): void {
    const body = this.sent.get(id)
    if (!body) return
    this.sent.delete(id)
    const refs = (this.sentRefs.get(body) ?? 1) - 1
    if (refs > 0) {
      this.sentRefs.set(body, refs)
    } else {
      this.sentRefs.delete(body)
      this.keptBytes -= body.length
    }
  }

  list(): RequestResult[] {
    return this.results.slice(this.head) as RequestResult[]
  }

  body(requestId: number): BodyPayload | null {
    const slot = this.slots.get(requestId)
    if (slot === undefined) return null
    const kept = this.bodies[slot - this.base]
    if (!kept) {
      const result = this.results[slot - this.base]
      if (!result?.evicted) return null
      return {
        requestId,
        encoding: 'utf8',
        data: '',
        bytes: 0,
        truncated: false,
        contentType: result.contentType,
        decodeError: null,
        evicted: true,
      }
    }
    if (Buffer.isBuffer(kept)) {
      const contentType = this.results[slot - this.base]?.contentType ?? null
      return bodyPayload(requestId, kept, false, contentType, null)
    }
    return bodyPayload(requestId, kept.data, kept.truncated, kept.contentType, kept.decodeError)
  }

  requestBody(requestId: number): Buffer | null {
    return this.sent.get(requestId) ?? null
  }

  /**
   * A final result preceded by the attempts it retried and the redirect hops that led to it
   * (oldest first), as far as still kept.
   */
  attempts(final: RequestResult): RequestResult[] {
    const chain = [final]
    let previous = this.record(final.retryOf ?? final.redirect?.from ?? null)
    while (previous) {
      chain.unshift(previous)
      previous = this.record(previous.retryOf ?? previous.redirect?.from ?? null)
    }
    return chain
  }

  clear(): void {
    this.slots.clear()
    this.results = []
    this.bodies = []
    this.sent.clear()
    this.sentRefs.clear()
    this.head = 0
    this.base = 0
    this.keptBytes = 0
    this.keptBodies = 0
    this.evictedBodies = 0
    this.evictFrom = 0
  }

  private record(id: number | null): RequestResult | undefined {
    const slot = id === null ? undefined : this.slots.get(id)
    return slot === undefined ? undefined : this.results[slot - this.base]
  }
}
