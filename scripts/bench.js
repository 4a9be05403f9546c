#!/usr/bin/env node
// `npm run bench`: the whole `sockeye` process against a bare undici Pool script (2,000 sequential
// GETs, start-up included), then throughput of the Sockeye engine (all events on, one subscriber)
// against bare undici `Pool`, node:http with a keep-alive Agent and curl, on one loopback
// keep-alive server: a real nginx (temp-dir config, free port, stopped by PID) when installed.
//
// The server runs in its own process; every measurement runs in a fresh client process (no shared
// JIT/heap state, and the engine's diagnostics-channel subscriptions cannot slow the other clients).
// Each measurement is repeated (default 3 rounds, order reversed every round, since two cores are
// noisy) and the table shows the median. Usage:
//   npm run bench -- [--n 10000] [--rounds 3] [--concurrency 10] [--connections 6] [--history 10000]
//                    [--cli-n 2000] [--cli-rounds 5] [--server nginx|node]
//                    [--no-curl] [--only cli|seq|conc|history] [--json]
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { measureBig, measureCli, measureStartup, printCli } from './bench-cli.js'
import { NGINX, startNginx } from './bench-nginx.js'

const here = dirname(fileURLToPath(import.meta.url))
const builtMain = join(here, '..', 'out', 'main')
// The runs use a copy of the build, so a rebuild during the bench (which empties out/) cannot break
// it; the copy sits under node_modules so the engine's bare `undici` import still resolves.
const snapshotDir = join(here, '..', 'node_modules', '.cache', `sockeye-bench-${process.pid}`)
const enginePath = join(snapshotDir, 'engine.js')

function parseArgs(argv) {
  const o = {
    n: 10000,
    rounds: 3,
    concurrency: 10,
    connections: 6,
    history: 10_000,
    curl: true,
    only: null,
    json: false,
    cliN: 2000,
    cliRounds: 5,
    server: existsSync(NGINX) ? 'nginx' : 'node',
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const num = (name) => {
      const v = Number(argv[++i])
      if (!Number.isInteger(v) || v < 1) fail(`${name} needs a positive integer`)
      return v
    }
    if (a === '--n') o.n = num('--n')
    else if (a === '--rounds') o.rounds = num('--rounds')
    else if (a === '--concurrency') o.concurrency = num('--concurrency')
    else if (a === '--connections') o.connections = num('--connections')
    else if (a === '--history') o.history = num('--history')
    else if (a === '--cli-n') o.cliN = num('--cli-n')
    else if (a === '--cli-rounds') o.cliRounds = num('--cli-rounds')
    else if (a === '--server' && ['nginx', 'node'].includes(argv[i + 1])) o.server = argv[++i]
    else if (a === '--no-curl') o.curl = false
    else if (a === '--json') o.json = true
    else if (a === '--only' && ['cli', 'seq', 'conc', 'history'].includes(argv[i + 1])) o.only = argv[++i]
    else fail(`unknown option '${a}' (see the usage at the top of scripts/bench.js)`)
  }
  return o
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

async function startServer(kind) {
  if (kind === 'nginx') {
    const nginx = await startNginx()
    return { url: nginx.url, stop: () => nginx.stop(), name: 'nginx, 127.0.0.1, keepalive_requests 1000000' }
  }
  const { child, url } = await startNodeServer()
  return {
    url,
    stop: async () => child.kill('SIGTERM'),
    name: 'node:http keep-alive, separate process, 127.0.0.1',
  }
}

function startNodeServer() {
  const child = spawn(process.execPath, [join(here, 'bench-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let text = ''
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)))
    child.stdout.on('data', (d) => {
      text += d
      if (text.includes('\n')) resolve({ child, url: `http://127.0.0.1:${JSON.parse(text).port}/` })
    })
  })
}

function runClient(options) {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', join(here, 'bench-client.js'), JSON.stringify(options)]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`${options.client} client failed (exit ${code})`)),
    )
  })
}

/** curl in one invocation: every URL from a --config file, so curl reuses its keep-alive connection. */
function runCurl(url, n, dir) {
  const config = join(dir, 'curl.conf')
  writeFileSync(config, `url = "${url}"\noutput = "/dev/null"\n`.repeat(n))
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn('curl', ['-s', '--config', config, '-w', '%{time_total}\\n'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      const elapsed = performance.now() - t0
      if (code !== 0) return reject(new Error(`curl exited ${code}`))
      const sorted = Float64Array.from(out.trim().split('\n'), (s) => Number(s) * 1000).sort()
      resolve({
        client: 'curl',
        concurrency: 1,
        n,
        elapsedMs: elapsed,
        rps: (n * 1000) / elapsed,
        p50: sorted[Math.floor(0.5 * sorted.length)],
        p99: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))],
        cpuUs: null,
        rssDelta: null,
        heapDelta: null,
        events: null,
      })
    })
  })
}

const median = (values) => {
  const v = values.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b)
  return v.length === 0 ? null : v[Math.floor((v.length - 1) / 2)]
}

const MiB = 1024 * 1024
const fmt = {
  rps: (v) => (v === null ? 'n/a' : Math.round(v).toLocaleString('en-US')),
  ms: (v) => (v === null ? 'n/a' : v.toFixed(3)),
  mib: (v) => (v === null ? 'n/a' : `${(v / MiB).toFixed(1)}`),
}

function table(title, rows) {
  const head = [
    'client',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'RSS Δ MiB',
    'heap Δ MiB',
    'rounds (req/s)',
  ]
  const body = rows.map((r) => [
    r.client,
    fmt.rps(r.rps),
    fmt.ms(r.p50),
    fmt.ms(r.p99),
    r.cpuUs === null ? 'n/a' : r.cpuUs.toFixed(1),
    fmt.mib(r.rssDelta),
    fmt.mib(r.heapDelta),
    r.rounds.map((x) => fmt.rps(x)).join(' / '),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [title, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

function summarize(runs) {
  const byClient = new Map()
  for (const r of runs) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r])
  return [...byClient].map(([client, rs]) => ({
    client,
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    cpuUs: median(rs.map((r) => r.cpuUs)),
    rssDelta: median(rs.map((r) => r.rssDelta)),
    heapDelta: median(rs.map((r) => r.heapDelta)),
    events: median(rs.map((r) => r.events)),
    rounds: rs.map((r) => r.rps),
  }))
}

/**
 * Ratios of the engine to another client. Each round runs the two back to back (the order
 * alternates), so a round's pair shares the machine's load; the headline is the median of the
 * per-round ratios, which a burst of outside load in one round cannot move much.
 */
function ratios(runs) {
  const paired = (other, metric, invert = false) => {
    const e = runs.filter((r) => r.client === 'engine').map((r) => r[metric])
    const o = runs.filter((r) => r.client === other).map((r) => r[metric])
    return e.map((v, i) => (v && o[i] ? (invert ? o[i] / v : v / o[i]) : null)).filter((x) => x !== null)
  }
  const undici = paired('undici', 'rps')
  const nodeHttp = paired('node-http', 'rps')
  // CPU: undici's client CPU per request over the engine's (1.0 = same cost; higher is better, like req/s).
  const cpu = paired('undici', 'cpuUs', true)
  return {
    engineVsUndici: median(undici),
    engineVsNodeHttp: median(nodeHttp),
    cpuEngineVsUndici: median(cpu),
    engineVsUndiciRounds: undici,
    engineVsNodeHttpRounds: nodeHttp,
    cpuEngineVsUndiciRounds: cpu,
  }
}

async function measure(mode, o, url, dir) {
  const concurrency = mode === 'seq' ? 1 : o.concurrency
  const names = ['engine', 'undici', 'node-http', ...(o.curl && mode === 'seq' ? ['curl'] : [])]
  const warmup = Math.max(200, Math.floor(o.n / 10))
  const runs = []
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const client of order) {
      const common = { client, url, n: o.n, warmup, concurrency, connections: o.connections }
      runs.push(
        client === 'curl'
          ? await runCurl(url, o.n, dir)
          : await runClient({ ...common, engine: pathToFileURL(enginePath).href }),
      )
    }
  }
  const rows = summarize(runs)
  return { mode, concurrency, connections: o.connections, n: o.n, rows, ratios: ratios(runs) }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  if (!existsSync(join(builtMain, 'engine.js'))) fail('out/main/engine.js not found; run npm run build first')
  cpSync(builtMain, snapshotDir, { recursive: true })
  if (o.curl && spawnSync('curl', ['--version']).status !== 0) o.curl = false
  const server = await startServer(o.server)
  const url = server.url
  const dir = mkdtempSync(join(tmpdir(), 'sockeye-bench-'))
  const report = { node: process.version, n: o.n, rounds: o.rounds, server: server.name, results: [] }
  try {
    if (!o.only || o.only === 'cli') {
      const cli = join(snapshotDir, 'cli.js')
      report.startup = await measureStartup({ cli, rounds: o.cliRounds })
      report.cli = await measureCli({ cli, url, n: o.cliN, rounds: o.cliRounds })
      report.big = await measureBig({ cli, url })
    }
    for (const mode of ['seq', 'conc']) {
      if (o.only && o.only !== mode) continue
      report.results.push(await measure(mode, o, url, dir))
    }
    if (!o.only || o.only === 'history') {
      const common = {
        url,
        n: o.history,
        warmup: 200,
        concurrency: o.concurrency,
        connections: o.connections,
      }
      report.history = await runClient({
        ...common,
        client: 'engine',
        mode: 'history',
        engine: pathToFileURL(enginePath).href,
      })
    }
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(snapshotDir, { recursive: true, force: true })
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return
  }
  print(report, o)
}

function print(report, o) {
  const x = (v) => (v === null ? 'n/a' : `${v.toFixed(3)}×`)
  const range = (vs) => (vs.length ? ` (rounds ${vs.map((v) => v.toFixed(2)).join(' / ')})` : '')
  console.log(`Sockeye bench — node ${report.node}, ${o.n} requests per run, median of ${o.rounds} rounds`)
  console.log('ratios: median of per-round ratios (engine and the other client run back to back)')
  console.log(`server: ${report.server}; each client in a fresh process\n`)
  if (report.cli) printCli(report.cli, report.startup, report.big)
  for (const r of report.results) {
    const title =
      r.mode === 'seq'
        ? 'Sequential keep-alive GETs (1 at a time)'
        : `Concurrent GETs (${r.concurrency} at a time over ${r.connections} connections)`
    console.log(table(title, r.rows))
    const engine = r.rows.find((row) => row.client === 'engine')
    if (engine?.events)
      console.log(`engine events delivered to the subscriber: ${engine.events} per ${o.n} requests`)
    console.log(`engine / undici:    ${x(r.ratios.engineVsUndici)}${range(r.ratios.engineVsUndiciRounds)}`)
    console.log(
      `engine / node:http: ${x(r.ratios.engineVsNodeHttp)}${range(r.ratios.engineVsNodeHttpRounds)}`,
    )
    console.log(
      `engine / undici by client CPU: ${x(r.ratios.cpuEngineVsUndici)}${range(r.ratios.cpuEngineVsUndiciRounds)}`,
    )
    // Issue 7's targets: sequential as fast as undici (0.95×), 10 concurrent over 6 sockets 0.90×.
    const target = r.mode === 'seq' ? 0.95 : 0.9
    const ok = r.ratios.engineVsUndici !== null && r.ratios.engineVsUndici >= target
    console.log(`target engine ≥ ${target.toFixed(2)}× undici: ${ok ? 'met' : 'NOT met'}\n`)
  }
  const h = report.history
  if (h) {
    console.log(`History memory: ${h.kept} requests kept in the engine's history`)
    console.log(`  heap: ${fmt.mib(h.heapCleared)} MiB cleared → ${fmt.mib(h.heapFull)} MiB full`)
    const bytes = (v) => Math.round(v).toLocaleString('en-US')
    console.log(`  ≈ ${bytes(h.perRequest)} bytes of JS heap per kept request (result, headers, records)`)
    console.log(`  + ${bytes(h.buffersPerRequest)} bytes of Buffer memory per kept request (kept body)`)
    console.log(`kept bytes per request: ${bytes(h.perRequest + h.buffersPerRequest)}`)
  }
}

main().catch((err) => fail(err?.message ?? String(err)))
