/**
 * Request id → slot (any integer ≥ 0), for ids that are integers given mostly in order, as the
 * engine gives request ids: one Int32Array indexed from the oldest id it holds. A Map of up to
 * 100,000 entries in the history cost a hashed insert and delete per request, rehashed as it grew,
 * and sat in the old generation for the GC to walk; this costs a store. An id far below the oldest
 * held (a request that finished long after many later ones) goes to a small Map instead of
 * stretching the array back to it.
 */
export class IdIndex {
  private slots = empty(1024)
  private readonly far = new Map<number, number>()
  /** The id at index 0. */
  private first = 0
  private count = 0

  get size(): number {
    return this.count + this.far.size
  }

  get(id: number): number | undefined {
    if (this.far.size > 0 && this.far.has(id)) return this.far.get(id)
    const i = id - this.first
    if (!(i >= 0 && i < this.slots.length)) return undefined
    const slot = this.slots[i]!
    return slot < 0 ? undefined : slot
  }

  set(id: number, slot: number): void {
    if (!Number.isSafeInteger(id)) throw new RangeError(`request id ${id} is not an integer`)
    if (!(slot >= 0 && slot <= 0x7fffffff)) throw new RangeError(`slot ${slot} is out of range`)
    // Nothing held (every slot is -1 then): start the array at this id.
    if (this.count === 0) this.first = id
    if ((this.far.size > 0 && this.far.has(id)) || (this.count > 0 && this.first - id > FAR)) {
      this.far.set(id, slot)
      return
    }
    if (id < this.first) this.from(id)
    else if (id - this.first >= this.slots.length) this.fit(id)
    const i = id - this.first
    if (this.slots[i]! < 0) this.count++
    this.slots[i] = slot
  }

  delete(id: number): boolean {
    if (this.far.size > 0 && this.far.delete(id)) return true
    const i = id - this.first
    if (!(i >= 0 && i < this.slots.length) || this.slots[i]! < 0) return false
    this.slots[i] = -1
    this.count--
    return true
  }

  clear(): void {
    this.slots = empty(1024)
    this.far.clear()
    this.first = 0
    this.count = 0
  }

  /** Room up to `id`: the ids no longer held at the start are dropped, then the array doubles as needed. */
  private fit(id: number): void {
    let lead = 0
    while (lead < this.slots.length && this.slots[lead]! < 0) lead++
    const first = this.first + lead
    let length = this.slots.length
    while (length < 2 * (id - first + 1)) length *= 2
    const slots = empty(length)
    slots.set(this.slots.subarray(lead))
    this.slots = slots
    this.first = first
  }

  /** Room down to `id`, below every id held (an id given again after its successors). */
  private from(id: number): void {
    const shift = this.first - id
    let length = this.slots.length
    while (length < this.slots.length + shift) length *= 2
    const slots = empty(length)
    slots.set(this.slots.subarray(0, length - shift), shift)
    this.slots = slots
    this.first = id
  }
}

/** How far below the oldest id held the array is stretched back; further ids go to the Map. */
const FAR = 65_536

function empty(length: number): Int32Array {
  return new Int32Array(length).fill(-1)
}
