// Reading what the browser benchmarks (bench-ui.js, bench-lanes.js) record: a DevTools trace of the
// renderer's main thread (its tasks' CPU and wall time) and a CPU profile (self time per function).

import { writeFileSync } from 'node:fs'

/** Trace categories with the main thread's tasks, their CPU time (`tdur`) and what ran inside. */
export const TRACE_CATEGORIES = 'devtools.timeline,toplevel,v8.execute,disabled-by-default-devtools.timeline'

/** The renderer main thread's tasks in a trace, each with its CPU time (`tdur`) and wall time, in ms. */
export function mainTasks(events) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  if (!main) return []
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        e.tid === main.tid &&
        e.pid === main.pid,
    )
    .map((e) => ({ cpu: (e.tdur ?? 0) / 1000, wall: (e.dur ?? 0) / 1000 }))
}

/**
 * The main thread's task with the most CPU time (the trace's thread time, `tdur`), and its wall
 * time: on shared cores a task's wall time also counts the time the thread waited for a core.
 */
export function longestTask(events) {
  let best = { cpu: 0, wall: 0 }
  for (const t of mainTasks(events)) if (t.cpu > best.cpu) best = t
  return { cpu: Math.round(best.cpu), wall: Math.round(best.wall) }
}

/** The renderer main thread's events by name (total and longest), top 15, on stderr. */
export function printTrace(events) {
  // TRACE_OUT=file.json keeps the whole trace (chrome://tracing and DevTools' Performance panel open it).
  if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, JSON.stringify({ traceEvents: events }))
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  const by = new Map()
  for (const e of events) {
    if (e.ph !== 'X' || !main || e.tid !== main.tid || e.pid !== main.pid) continue
    const v = by.get(e.name) ?? { total: 0, max: 0, n: 0 }
    v.total += (e.dur ?? 0) / 1000
    v.max = Math.max(v.max, (e.dur ?? 0) / 1000)
    v.n++
    by.set(e.name, v)
  }
  // What the tasks over 40 ms were made of.
  const mine = events.filter((e) => e.ph === 'X' && main && e.tid === main.tid && e.pid === main.pid)
  for (const task of mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 25_000)) {
    const inside = mine.filter(
      (e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur && e.dur > 2000,
    )
    process.stderr.write(
      `task ${(task.dur / 1000).toFixed(0)} ms: ` +
        inside
          .map(
            (e) =>
              `${e.name}${e.args?.data?.type ? `(${e.args.data.type})` : ''} ${(e.dur / 1000).toFixed(0)}`,
          )
          .join(', ') +
        '\n',
    )
  }
  const top = [...by.entries()].sort((a, b) => b[1].total - a[1].total).slice(0, 15)
  process.stderr.write(
    top
      .map(
        ([k, v]) =>
          `${v.total.toFixed(0).padStart(6)} ms  max ${v.max.toFixed(0).padStart(4)}  ×${v.n}  ${k}`,
      )
      .join('\n') + '\n',
  )
}

/** Self time per function of a CDP CPU profile, top 25, on stderr. */
export function printProfile(profile) {
  // PROFILE_OUT=file.cpuprofile keeps the whole profile (DevTools' Performance panel opens it).
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile))
  // Each sample's time is the delta to the next one.
  const count = new Map()
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000
    count.set(id, (count.get(id) ?? 0) + dt)
  })
  const self = new Map()
  for (const n of profile.nodes) {
    const fr = n.callFrame
    const k = `${fr.functionName || '(anon)'} ${fr.url.split('/').pop()}:${fr.lineNumber}:${fr.columnNumber}`
    self.set(k, (self.get(k) ?? 0) + (count.get(n.id) ?? 0))
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
  if (process.env.TOTAL) {
    // Time including callees, for the named functions.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]))
    const total = (n) =>
      (count.get(n.id) ?? 0) + (n.children ?? []).reduce((t, c) => t + total(byId.get(c)), 0)
    const sums = new Map()
    const walk = (n, inside) => {
      const name = n.callFrame.functionName
      const hit = process.env.TOTAL.split(',').includes(name) && !inside.has(name)
      if (hit) sums.set(name, (sums.get(name) ?? 0) + total(n))
      const next = hit ? new Set([...inside, name]) : inside
      for (const c of n.children ?? []) walk(byId.get(c), next)
    }
    walk(profile.nodes[0], new Set())
    process.stderr.write(
      [...sums].map(([k, v]) => `total ${v.toFixed(0).padStart(5)} ms  ${k}`).join('\n') + '\n',
    )
  }
  if (process.env.LINES) {
    const lines = new Map()
    for (const n of profile.nodes) {
      if (n.callFrame.functionName !== process.env.LINES) continue
      for (const t of n.positionTicks ?? []) lines.set(t.line, (lines.get(t.line) ?? 0) + t.ticks)
    }
    process.stderr.write(
      [...lines.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([l, t]) => `line ${l}: ${t}`)
        .join('\n') + '\n',
    )
  }
  process.stderr.write(top.map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n') + '\n')
}
