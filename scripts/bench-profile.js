#!/usr/bin/env node
// CPU profile of one benchmark client (default: the engine), summarized by self time per function.
// Usage: node scripts/bench-profile.js [engine|undici|node-http] [--n 5000] [--concurrency 1] [--top 25]
//        [--interval 1000] (sampling interval in µs: V8's default 1000 is coarse for µs-per-request costs)
// Needs the build (out/main/engine.js), like scripts/bench.js.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const args = process.argv.slice(2)
const flag = (name, def) => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : def
}
const client = ['engine', 'undici', 'node-http'].find((c) => args.includes(c)) ?? 'engine'
const n = flag('--n', 5000)
const concurrency = flag('--concurrency', 1)
const top = flag('--top', 25)
const interval = flag('--interval', 1000)

if (!existsSync(join(root, 'out', 'main', 'engine.js'))) {
  process.stderr.write('bench-profile: out/main/engine.js not found; run npm run build first\n')
  process.exit(1)
}
const snapshot = join(root, 'node_modules', '.cache', `sockeye-profile-${process.pid}`)
cpSync(join(root, 'out', 'main'), snapshot, { recursive: true })
const profDir = mkdtempSync(join(tmpdir(), 'sockeye-prof-'))

const server = spawn(process.execPath, [join(here, 'bench-server.js')], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const port = await new Promise((resolve) => {
  let text = ''
  server.stdout.on('data', (d) => {
    text += d
    if (text.includes('\n')) resolve(JSON.parse(text).port)
  })
})

try {
  const options = {
    client,
    url: `http://127.0.0.1:${port}/`,
    n,
    warmup: 500,
    concurrency,
    connections: 6,
    engine: pathToFileURL(join(snapshot, 'engine.js')).href,
  }
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--cpu-prof',
      '--cpu-prof-dir',
      profDir,
      '--cpu-prof-interval',
      String(interval),
      join(here, 'bench-client.js'),
      JSON.stringify(options),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  )
  await new Promise((resolve) => child.on('exit', resolve))
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error('no profile written')
  summarize(JSON.parse(readFileSync(join(profDir, file), 'utf8')))
} finally {
  server.kill('SIGTERM')
  rmSync(snapshot, { recursive: true, force: true })
  rmSync(profDir, { recursive: true, force: true })
}

/** Self time per function (from the sample counts), and per source file. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const counts = new Map()
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1)
  const total = profile.samples.length
  const fns = new Map()
  const files = new Map()
  for (const [id, count] of counts) {
    const { callFrame } = byId.get(id)
    const url = callFrame.url.replace(/^file:\/\//, '')
    const where = url
      ? relative(root, url).replace(/^node_modules\/\.cache\/sockeye-profile-\d+/, 'out/main')
      : ''
    const fn = `${callFrame.functionName || '(anonymous)'} ${where ? `${where}:${callFrame.lineNumber + 1}` : ''}`
    fns.set(fn, (fns.get(fn) ?? 0) + count)
    const file = where || `(${callFrame.functionName})`
    files.set(file, (files.get(file) ?? 0) + count)
  }
  // Sample time per request (µs): comparable across clients, unlike percentages.
  const usPer = (profile.endTime - profile.startTime) / total / n
  const pct = (c) =>
    `${((100 * c) / total).toFixed(1).padStart(5)}% ${(c * usPer).toFixed(1).padStart(6)} µs/req`
  console.log(
    `${client}: ${total} samples, ${n} requests, concurrency ${concurrency}\n\nTop functions by self time:`,
  )
  for (const [fn, c] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(c)}  ${fn}`)
  // Inclusive time of the engine's own functions (self + callees), counted once per sample.
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const inclusive = new Map()
  for (const [id, count] of counts) {
    const seen = new Set()
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at)
      if (!callFrame.url.includes('sockeye-profile-')) continue
      const key = `${callFrame.functionName || '(anonymous)'}:${callFrame.lineNumber + 1}`
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + count)
    }
  }
  if (inclusive.size > 0) {
    console.log('\nEngine functions by inclusive time (out/main/engine.js line):')
    for (const [fn, c] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${pct(c)}  ${fn}`)
  }
  console.log('\nSelf time by file:')
  for (const [f, c] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(c)}  ${f}`)
}
