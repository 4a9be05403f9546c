import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { EngineEvent, RequestResult, RequestSpec, SendFiles } from '../api/contract'
import { useApi } from '../api/current'
import { RANGES } from '../../../electron/contract/limits'
import { useRequestsStore } from './requests'

/**
 * What a Send sent: the request and, for one from a collection with file parts or a file body,
 * the files the host read for its body (the spec then has none; the page never holds the bytes).
 */
export interface Sent {
  spec: RequestSpec
  files?: SendFiles
}

/** One Send: the ids the engine allocated, its run id (for cancelRun) and what it sent. */
export interface Run extends Sent {
  key: number
  runId: number
  requestIds: number[]
  stopping: boolean
}

/** Live figures of the current run. */
export interface RunProgress {
  total: number
  /** Left the queue (got a socket) or ended. */
  sent: number
  ok: number
  failed: number
  cancelled: number
  ended: number
  /** Ended requests per second, first start to latest end (engine clock). */
  rate: number
}

const KEEP_RUNS = 50
/**
 * Facts kept for requests no tracked run claims yet (a Send's events may come before its ids): a
 * whole Send's worth.
 */
const UNCLAIMED = RANGES.repeat[1]

/** What the events said about one request the user sent (a chain's head), for run progress. */
interface Fact {
  startedAt: number
  /** Left the queue (got a socket) or ended other than cancelled in the queue. */
  sent: boolean
  /** How its chain ended (by its last hop), or null while in flight. */
  end: 'ok' | 'failed' | 'cancelled' | null
  endedAt: number | null
}

interface Tally {
  sent: number
  ok: number
  failed: number
  cancelled: number
  first: number
  last: number
}

const EMPTY: Tally = { sent: 0, ok: 0, failed: 0, cancelled: 0, first: Infinity, last: -Infinity }

/**
 * Sends in flight and recent ones: progress, Stop, and what each request was sent with (Duplicate,
 * Copy as cURL).
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = shallowRef<Run[]>([])
  const message = ref<string | null>(null)
  let nextKey = 1

  const latest = computed(() => runs.value[runs.value.length - 1] ?? null)

  // Progress counts from the request events, not from the rows the list holds: the list drops its
  // oldest rows past LIMITS.listRows, and walking a run's ids per batch made a 50,000 burst fall
  // behind. `facts` holds the latest run's heads; `unclaimed` those of requests no run has claimed
  // yet (events may arrive before Send returns the ids), bounded.
  let facts = new Map<number, Fact>()
  let unclaimed = new Map<number, Fact>()
  /** Ids of the latest run's heads. */
  let claimed = new Set<number>()
  const tally = shallowRef<Tally>(EMPTY)

  const progress = computed((): RunProgress | null => {
    const run = latest.value
    if (!run) return null
    const { sent, ok, failed, cancelled, first, last } = tally.value
    const ended = ok + failed + cancelled
    // Throughput on the engine's own clock, first start to latest end: it stops moving when the run does.
    const seconds = last > first ? (last - first) / 1000 : 0
    return {
      total: run.requestIds.length,
      sent,
      ok,
      failed,
      cancelled,
      ended,
      rate: seconds > 0 ? ended / seconds : 0,
    }
  })

  /** The fact for head `id`, created on first sight (null once the map for it is not kept). */
  function factOf(id: number, startedAt: number | null): Fact | null {
    const known = facts.get(id) ?? unclaimed.get(id)
    if (known) return known
    if (startedAt === null) return null
    const fact: Fact = { startedAt, sent: false, end: null, endedAt: null }
    if (claimed.has(id)) facts.set(id, fact)
    else {
      unclaimed.set(id, fact)
      // Oldest first (insertion order): a request nobody tracks (a demo, a reconnect) is let go.
      if (unclaimed.size > UNCLAIMED) unclaimed.delete(unclaimed.keys().next().value!)
    }
    return fact
  }

  /** Count a batch of request events (and final records: a snapshot's, an older page's) in. */
  function observe(events: EngineEvent[] | null, records: RequestResult[] = []): void {
    let next: Tally | null = null
    const change = (id: number, fact: Fact, update: (f: Fact) => void) => {
      const mine = facts.get(id) === fact
      if (mine) next ??= { ...tally.value }
      if (mine) count(next!, fact, -1)
      update(fact)
      if (mine) count(next!, fact, 1)
    }
    const ended = (r: RequestResult) => {
      const head = r.redirect?.head ?? r.id
      const fact = factOf(head, head === r.id ? r.startedAt : null)
      if (!fact || fact.end !== null) return
      change(head, fact, (f) => {
        if (head === r.id && !(r.error?.code === 'CANCELLED' && r.error.phase === 'queue')) f.sent = true
        // A 3xx that was followed: its chain goes on with the next hop.
        if (r.redirectedTo) return
        f.end = r.error ? (r.error.code === 'CANCELLED' ? 'cancelled' : 'failed') : 'ok'
        f.endedAt = r.startedAt + Math.max(0, r.totalMs)
      })
    }
    for (const e of events ?? []) {
      if (e.type === 'request:queued') {
        if (!e.redirect) factOf(e.requestId, e.t)
      } else if (e.type === 'request:assigned') {
        const fact = facts.get(e.requestId) ?? unclaimed.get(e.requestId)
        if (fact && !fact.sent) change(e.requestId, fact, (f) => (f.sent = true))
      } else if (e.type === 'request:completed' || e.type === 'request:failed') ended(e.result)
    }
    for (const r of records) ended(r)
    if (next) tally.value = next
  }

  /** True while the latest run has requests still in flight. */
  const active = computed(() => {
    const p = progress.value
    return p !== null && p.ended < p.total
  })

  /** Remember a Send (`files`: the collection files it sent); the list of recent runs is bounded. */
  function track(requestIds: number[], runId: number, spec: RequestSpec, files?: SendFiles): void {
    const run: Run = { key: nextKey++, runId, requestIds, spec, ...(files ? { files } : {}), stopping: false }
    runs.value = [...runs.value.slice(-(KEEP_RUNS - 1)), run]
    message.value = null
    claimed = new Set(requestIds)
    facts = new Map()
    const next = { ...EMPTY }
    for (const id of requestIds) {
      const fact = unclaimed.get(id)
      if (!fact) continue
      unclaimed.delete(id)
      facts.set(id, fact)
      count(next, fact, 1)
    }
    tally.value = next
  }

  /** What a request was sent with (its spec, and its collection files), when this page sent it. */
  function sentFor(id: number): Sent | null {
    for (let i = runs.value.length - 1; i >= 0; i--) {
      const run = runs.value[i]!
      if (run.requestIds.includes(id))
        return run.files ? { spec: run.spec, files: run.files } : { spec: run.spec }
    }
    return null
  }

  /** Stop the latest run through the engine: queued requests are cancelled, in-flight ones aborted. */
  async function stop(): Promise<number> {
    const run = latest.value
    if (!run || !active.value) return 0
    runs.value = runs.value.map((r) => (r.key === run.key ? { ...r, stopping: true } : r))
    const { cancelled } = await useApi().cancelRun({ runId: run.runId })
    message.value = `Stopped: ${cancelled} request${cancelled === 1 ? '' : 's'} cancelled.`
    return cancelled
  }

  /** Resolves once the latest run has no request left in flight (cancelled ones report as they end). */
  function whenIdle(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs)
      const stop = watch(active, (now) => void (now ? null : done()), { immediate: true })
      function done(): void {
        clearTimeout(timer)
        queueMicrotask(() => stop())
        resolve()
      }
    })
  }

  /** Forget every run (after Clear). */
  function reset(): void {
    runs.value = []
    message.value = null
    claimed = new Set()
    facts = new Map()
    unclaimed = new Map()
    tally.value = EMPTY
  }

  const requests = useRequestsStore()
  requests.$onAction(({ name, args, after }) => {
    if (name === 'apply') after(() => observe(args[0] as EngineEvent[]))
    else if (name === 'load' || name === 'prepend') after(() => observe(null, args[0] as RequestResult[]))
  })

  return { runs, message, latest, progress, active, track, sentFor, stop, whenIdle, reset }
})

/** Add (sign 1) or take away (sign -1) one head's share of a run's figures. */
function count(t: Tally, f: Fact, sign: 1 | -1): void {
  if (f.sent) t.sent += sign
  if (f.end === 'ok') t.ok += sign
  else if (f.end === 'failed') t.failed += sign
  else if (f.end === 'cancelled') t.cancelled += sign
  if (sign === 1) {
    t.first = Math.min(t.first, f.startedAt)
    if (f.endedAt !== null) t.last = Math.max(t.last, f.endedAt)
  }
}
