// One benchmark measurement in a fresh process (no JIT, heap or diagnostics-channel state shared
// between clients). Usage: node --expose-gc bench-client.js '<json options>'; prints one JSON line.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { Pool } from 'undici'

const opts = JSON.parse(process.argv[2] ?? '{}')
const { client, url, n, warmup, concurrency, connections } = opts
const target = new URL(url)
const gc = globalThis.gc ?? (() => {})

/** Each client: `setup()` → `{ one, close }` where `one()` sends a GET and consumes the whole body. */
const clients = {
  async engine() {
    const { createEngine } = await import(opts.engine)
    const engine = createEngine({ defaults: { connections }, maxHistory: opts.history ?? 100_000 })
    // "All events on": a subscriber sees every event, as the desktop host does.
    let events = 0
    engine.subscribe(() => {
      events++
    })
    const spec = { method: 'GET', url, headers: [], body: null }
    return {
      engine,
      events: () => events,
      async one() {
        const result = await engine.send(spec)
        if (result.status !== 200) throw new Error(result.error?.message ?? `status ${result.status}`)
      },
      close: () => engine.close(),
    }
  },
  async undici() {
    const pool = new Pool(target.origin, { connections })
    const path = target.pathname + target.search
    return {
      async one() {
        const { statusCode, body } = await pool.request({ path, method: 'GET' })
        await body.arrayBuffer()
        if (statusCode !== 200) throw new Error(`status ${statusCode}`)
      },
      close: () => pool.close(),
    }
  },
  async 'node-http'() {
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
    const options = { host: target.hostname, port: target.port, path: target.pathname, agent }
    return {
      one: () =>
        new Promise((resolve, reject) => {
          const req = http.get(options, (res) => {
            const chunks = []
            res.on('data', (c) => chunks.push(c))
            res.on('end', () =>
              res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error('status')),
            )
            res.on('error', reject)
          })
          req.on('error', reject)
        }),
      close: async () => agent.destroy(),
    }
  },
}

/** Sends `count` requests over `workers` concurrent loops; returns per-request latencies (ms). */
async function drive(one, count, workers) {
  const latencies = new Float64Array(count)
  let next = 0
  const loop = async () => {
    while (next < count) {
      const i = next++
      const t = performance.now()
      await one()
      latencies[i] = performance.now() - t
    }
  }
  await Promise.all(Array.from({ length: workers }, loop))
  return latencies
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

function memory() {
  gc()
  gc()
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers }
}

async function throughput() {
  const c = await clients[client]()
  await drive(c.one, warmup, concurrency)
  const eventsBefore = c.events?.() ?? 0
  const before = memory()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const latencies = await drive(c.one, n, concurrency)
  const elapsed = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const after = memory()
  const sorted = latencies.sort()
  const out = {
    client,
    concurrency,
    n,
    elapsedMs: elapsed,
    rps: (n * 1000) / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    // Client CPU per request: less sensitive than wall time to other load on a shared 2-core box.
    cpuUs: (cpu.user + cpu.system) / n,
    rssDelta: after.rss - before.rss,
    heapDelta: after.heap - before.heap,
    events: c.events ? c.events() - eventsBefore : null,
  }
  await c.close()
  return out
}

/** Heap retained per request kept in the engine's history (results + small kept bodies). */
async function historyMemory() {
  const c = await clients.engine()
  await drive(c.one, warmup, concurrency)
  c.engine.clearHistory()
  const empty = memory()
  await drive(c.one, n, concurrency)
  const full = memory()
  const kept = c.engine.results().length
  c.engine.clearHistory()
  const cleared = memory()
  await c.close()
  return {
    client: 'engine-history',
    n,
    kept,
    heapEmpty: empty.heap,
    heapFull: full.heap,
    heapCleared: cleared.heap,
    perRequest: (full.heap - cleared.heap) / kept,
    // Kept bodies live outside the JS heap (Buffers), possibly as views into larger socket reads.
    buffersPerRequest: (full.buffers - cleared.buffers) / kept,
    perRequestVsEmpty: (full.heap - empty.heap) / kept,
  }
}

try {
  const result = opts.mode === 'history' ? await historyMemory() : await throughput()
  process.stdout.write(`${JSON.stringify(result)}\n`)
} catch (err) {
  process.stderr.write(`bench client ${client}: ${err?.message ?? err}\n`)
  process.exit(1)
}
