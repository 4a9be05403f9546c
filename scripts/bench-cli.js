// Whole-process CLI benchmark (part of `npm run bench`): N sequential keep-alive GETs against one
// server, timed from spawn to exit, so start-up (module loading) counts as the user feels it.
// Sockeye's human output and --json run against a bare undici Pool script in the same rounds
// (order rotated every round); the headline ratio is the median of per-round ratios.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const TIME = '/usr/bin/time'

/** One process to completion: wall ms, and (with GNU time) peak RSS and CPU seconds. */
function timed(args) {
  const withTime = existsSync(TIME)
  const argv = withTime ? ['-f', '\n%M %U %S', process.execPath, ...args] : args
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(withTime ? TIME : process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d) => (bytes += d.length))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = performance.now() - t0
      if (code !== 0)
        return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim().slice(-300)}`))
      const [rss, user, sys] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
      resolve({ ms, bytes, rssKiB: withTime ? rss : null, cpuMs: withTime ? (user + sys) * 1000 : null })
    })
  })
}

const median = (values) => {
  const v = values.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b)
  return v.length === 0 ? null : v[Math.floor((v.length - 1) / 2)]
}

/**
 * `cli` is the built entry (out/main/cli.js or a copy of it). Returns per-client medians and the
 * ratios undici/sockeye of wall time (1.0 = as fast as bare undici, higher is better).
 */
export async function measureCli({ cli, url, n, rounds }) {
  const clients = {
    sockeye: [cli, '-n', String(n), url],
    'sockeye --json': [cli, '--json', '-n', String(n), url],
    'undici Pool': [join(here, 'bench-undici.js'), url, String(n)],
  }
  const names = Object.keys(clients)
  const runs = Object.fromEntries(names.map((k) => [k, []]))
  // One unmeasured run each: the first start-up pays for cold disk caches.
  for (const name of names) await timed(clients[name])
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) runs[name].push(await timed(clients[name]))
  }
  const ratio = (name, metric = 'ms') =>
    runs[name]
      .map((r, i) => (r[metric] ? runs['undici Pool'][i][metric] / r[metric] : null))
      .filter((v) => v !== null)
  const rows = names.map((name) => ({
    client: name,
    ms: median(runs[name].map((r) => r.ms)),
    cpuMs: median(runs[name].map((r) => r.cpuMs)),
    rssMiB: median(runs[name].map((r) => (r.rssKiB === null ? null : r.rssKiB / 1024))),
    outKiB: median(runs[name].map((r) => r.bytes / 1024)),
    rounds: runs[name].map((r) => r.ms),
  }))
  return {
    n,
    rounds,
    rows,
    human: { median: median(ratio('sockeye')), rounds: ratio('sockeye') },
    json: { median: median(ratio('sockeye --json')), rounds: ratio('sockeye --json') },
    // Process CPU (user + sys) moves less than wall time when other work shares the cores.
    humanCpu: { median: median(ratio('sockeye', 'cpuMs')), rounds: ratio('sockeye', 'cpuMs') },
    jsonCpu: { median: median(ratio('sockeye --json', 'cpuMs')), rounds: ratio('sockeye --json', 'cpuMs') },
  }
}

/** Issue 7's memory bound: `sockeye -n 100000 -c 10 --json` under 300 MiB peak RSS. */
export async function measureBig({ cli, url, n = 100_000 }) {
  const r = await timed([cli, '--json', '-n', String(n), '-c', '10', url])
  return { n, ms: r.ms, rssMiB: r.rssKiB === null ? null : r.rssKiB / 1024, outMiB: r.bytes / 1024 / 1024 }
}

/** A start-up figure: `sockeye --version` (loads the CLI and the engine, sends nothing). */
export async function measureStartup({ cli, rounds }) {
  const runs = []
  for (let i = 0; i < rounds + 1; i++) runs.push(await timed([cli, '--version']))
  return {
    ms: median(runs.slice(1).map((r) => r.ms)),
    rssMiB: median(runs.slice(1).map((r) => r.rssKiB / 1024)),
  }
}

export function printCli(r, startup, big) {
  const f = (v, d = 0) => (v === null ? 'n/a' : v.toFixed(d))
  console.log(
    `Whole CLI process: ${r.n} sequential keep-alive GETs, spawn to exit, median of ${r.rounds} rounds`,
  )
  const head = ['client', 'wall ms', 'CPU ms', 'peak RSS MiB', 'stdout KiB', 'rounds (ms)']
  const body = r.rows.map((x) => [
    x.client,
    f(x.ms),
    f(x.cpuMs),
    f(x.rssMiB, 1),
    f(x.outKiB, 0),
    x.rounds.map((v) => v.toFixed(0)).join(' / '),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log([line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n'))
  if (startup)
    console.log(`start-up (sockeye --version): ${f(startup.ms)} ms, ${f(startup.rssMiB, 1)} MiB RSS`)
  const x = (v) => (v === null ? 'n/a' : `${v.toFixed(3)}×`)
  const range = (vs) => vs.map((v) => v.toFixed(2)).join(' / ')
  const met = (v) => (v !== null && v >= 0.95 ? 'met' : 'NOT met')
  const show = (label, wall, cpu) =>
    console.log(
      `${label} / undici: ${x(wall.median)} (rounds ${range(wall.rounds)}), target ≥ 0.95×: ${met(wall.median)}; ` +
        `by CPU ${x(cpu.median)} (rounds ${range(cpu.rounds)})`,
    )
  show('sockeye (human)', r.human, r.humanCpu)
  show('sockeye --json ', r.json, r.jsonCpu)
  if (big) {
    const ok = big.rssMiB !== null && big.rssMiB < 300 ? 'met' : 'NOT met'
    console.log(
      `sockeye -n ${big.n} -c 10 --json: peak RSS ${f(big.rssMiB, 1)} MiB (target < 300: ${ok}), ` +
        `${f(big.outMiB, 1)} MiB of JSON in ${f(big.ms / 1000, 1)} s`,
    )
  }
  console.log('')
}
