import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { RequestSpec } from '../api/contract'
import { useApi } from '../api/current'
import { RANGES } from '../../../electron/contract/limits'
import type { RequestRow } from './requestRow'
import { useRequestsStore } from './requests'

/** One Send: the ids the engine allocated, its run id (for cancelRun) and what it sent. */
export interface Run {
  key: number
  runId: number
  requestIds: number[]
  spec: RequestSpec
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

/** Sends in flight and recent ones: progress, Stop, and the spec behind each request (Duplicate). */
export const useRunsStore = defineStore('runs', () => {
  const runs = shallowRef<Run[]>([])
  const message = ref<string | null>(null)
  let nextKey = 1

  const latest = computed(() => runs.value[runs.value.length - 1] ?? null)

  const progress = computed((): RunProgress | null => {
    const run = latest.value
    if (!run) return null
    const requests = useRequestsStore()
    let sent = 0
    let ok = 0
    let failed = 0
    let cancelled = 0
    let first = Infinity
    let last = -Infinity
    const get = requests.lookup
    for (const id of run.requestIds) {
      const head = get(id)
      if (!head) continue
      // A followed redirect chain counts once, by its last hop (Stop stays while hops are left).
      const row = lastHop(head, get) ?? { ...head, state: 'sending' as const, endedAt: null }
      // Cancelled while still queued: it never left Sockeye.
      const unsent =
        head.state === 'queued' || (head.error?.code === 'CANCELLED' && head.error.phase === 'queue')
      if (!unsent) sent++
      if (row.state === 'done') ok++
      else if (row.state === 'failed') {
        if (row.error?.code === 'CANCELLED') cancelled++
        else failed++
      }
      first = Math.min(first, head.startedAt)
      if (row.endedAt !== null) last = Math.max(last, row.endedAt)
    }
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

  /** True while the latest run has requests still in flight. */
  const active = computed(() => {
    const p = progress.value
    return p !== null && p.ended < p.total
  })

  /** Remember a Send; the list of recent runs is bounded. */
  function track(requestIds: number[], runId: number, spec: RequestSpec): void {
    const run: Run = { key: nextKey++, runId, requestIds, spec, stopping: false }
    runs.value = [...runs.value.slice(-(KEEP_RUNS - 1)), run]
    message.value = null
  }

  /** The spec a request was sent with, when this page sent it. */
  function specFor(id: number): RequestSpec | null {
    for (let i = runs.value.length - 1; i >= 0; i--) {
      if (runs.value[i]!.requestIds.includes(id)) return runs.value[i]!.spec
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
  }

  return { runs, message, latest, progress, active, track, specFor, stop, whenIdle, reset }
})

/** The last request of the redirect chain `row` starts (itself when not followed); null while its next hop has no row yet. */
function lastHop(row: RequestRow, lookup: (id: number) => RequestRow | null): RequestRow | null {
  let at = row
  for (let n = 0; at.redirectedTo && n <= RANGES.redirects[1]; n++) {
    const next = lookup(at.redirectedTo)
    if (!next) return null
    at = next
  }
  return at
}
