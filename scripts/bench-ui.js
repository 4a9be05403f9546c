#!/usr/bin/env node
// `npm run bench:ui`: a burst from the browser-mode UI, measured in Chromium. Starts `sockeye serve`
// (the built app, its own process, a throwaway UI state dir) and a loopback keep-alive server, types
// the burst into the composer (Repeat N, Concurrency C) and reports, once the last row is in:
//   - the longest main-thread task and how many tasks took over 50 ms (Long Tasks API),
//   - the renderer's JS heap after a garbage collection (DevTools protocol),
//   - how many times the WebSocket link dropped (close events seen by the page).
// With --cpu it also traces the burst (DevTools Tracing) and reports the main thread's tasks by CPU
// time: on shared cores a task's wall time also counts the time it waited for a core.
// Usage: npm run bench:ui -- [--n 10000] [--concurrency 10] [--json] [--profile (top functions, stderr)]
//        [--cpu] [--trace (--cpu, and what the longest tasks were made of, stderr)]
// Needs `npx electron-vite build` first and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startServe } from './bench-serve.js'
import { TRACE_CATEGORIES, mainTasks, printProfile, printTrace } from './bench-trace.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function parseArgs(argv) {
  const o = { n: 10_000, concurrency: 10, json: false, profile: false, cpu: false, trace: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const num = () => {
      const v = Number(argv[++i])
      if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer`)
      return v
    }
    if (a === '--n') o.n = num()
    else if (a === '--concurrency') o.concurrency = num()
    else if (a === '--json') o.json = true
    else if (a === '--profile') o.profile = true
    else if (a === '--cpu') o.cpu = true
    else if (a === '--trace') o.cpu = o.trace = true
    else fail(`unknown option '${a}' (see the usage at the top of scripts/bench-ui.js)`)
  }
  return o
}

function fail(message) {
  process.stderr.write(`bench:ui: ${message}\n`)
  process.exit(1)
}

/** A loopback keep-alive server answering every request with a small JSON body; counts them. */
function startTarget() {
  const server = http.createServer((_req, res) => {
    server.served = (server.served ?? 0) + 1
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
  server.keepAliveTimeout = 60_000
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/** Runs in the page before the app: long tasks and WebSocket closes. */
function watchPage() {
  const g = globalThis
  g.__longest = 0
  g.__longTasks = 0
  g.__drops = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      g.__longTasks++
      g.__longest = Math.max(g.__longest, e.duration)
    }
  }).observe({ type: 'longtask', buffered: true })
  const Native = g.WebSocket
  g.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener('close', (e) => g.__drops.push(`${e.code} ${e.reason}`))
    }
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  if (!existsSync(join(root, 'out/renderer/index.html')))
    fail('no built UI: run `npx electron-vite build` first')
  if (!existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`)
  const stateDir = mkdtempSync(join(tmpdir(), 'sockeye-bench-ui-'))
  const target = await startTarget()
  const { url, child } = await startServe(stateDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.addInitScript(watchPage)
    await page.goto(url)
    await page.getByLabel('URL', { exact: true }).waitFor()
    const cdp = await page.context().newCDPSession(page)
    await page.getByLabel('Repeat').fill(String(o.n))
    await page.getByLabel('Concurrency').fill(String(o.concurrency))
    await page.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${target.address().port}/burst`)
    if (o.profile) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    const events = []
    if (o.cpu) {
      cdp.on('Tracing.dataCollected', (e) => events.push(...e.value))
      await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' })
    }
    const started = performance.now()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    // Done when the server has answered every request and the page has drawn the last events
    // (batched every 16 ms): the run's progress counts them as they end (the list's count is of
    // rows, which exist from the moment they queue, and stops at LIMITS.listRows).
    while ((target.served ?? 0) < o.n) await new Promise((resolve) => setTimeout(resolve, 50))
    const seconds = (performance.now() - started) / 1000
    // Polled by a plain text check a few times a second: a role locator walks the page's
    // accessibility state each time, which showed up in the page's profile.
    await page.waitForFunction(
      (n) =>
        /Done: sent (\d+)\/\1 · ok (\d+)/.exec(
          globalThis.document.querySelector('.composer-panel-run')?.textContent?.replace(/\s+/g, ' ') ?? '',
        )?.[2] === String(n),
      o.n,
      { polling: 250, timeout: 600_000 },
    )
    const drawn = (performance.now() - started) / 1000
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          setTimeout(
            () => globalThis.requestAnimationFrame(() => globalThis.requestAnimationFrame(resolve)),
            100,
          ),
        ),
    )
    if (o.profile) printProfile((await cdp.send('Profiler.stop')).profile)
    let cpu = null
    if (o.cpu) {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
      await cdp.send('Tracing.end')
      await done
      if (o.trace) printTrace(events)
      const tasks = mainTasks(events)
      const busiest = tasks.reduce((a, t) => (t.cpu > a.cpu ? t : a), { cpu: 0, wall: 0 })
      cpu = {
        longestTaskCpuMs: Math.round(busiest.cpu),
        longestTaskCpuWallMs: Math.round(busiest.wall),
        tasksOver50msCpu: tasks.filter((t) => t.cpu > 50).length,
        tasksOver30msCpu: tasks.filter((t) => t.cpu > 30).length,
        // The main thread's CPU over the whole trace (burst and the page catching up): what the page
        // took from the cores the engine and the server share with it.
        mainCpuMs: Math.round(tasks.reduce((sum, t) => sum + t.cpu, 0)),
      }
    }
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = await cdp.send('Runtime.getHeapUsage')
    const page_ = await page.evaluate(() => ({
      longest: globalThis.__longest,
      longTasks: globalThis.__longTasks,
      drops: globalThis.__drops,
    }))
    const result = {
      requests: o.n,
      concurrency: o.concurrency,
      seconds: Number(seconds.toFixed(1)),
      drawnSeconds: Number(drawn.toFixed(1)),
      longestTaskMs: Math.round(page_.longest),
      tasksOver50ms: page_.longTasks,
      heapMiB: Number((heap.usedSize / 1024 / 1024).toFixed(1)),
      linkDrops: page_.drops.length,
      dropCodes: page_.drops,
      ...cpu,
      loadAverage: Number(loadavg()[0].toFixed(2)),
    }
    if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`)
    else {
      process.stdout.write(
        [
          `bench:ui — ${o.n} requests, concurrency ${o.concurrency}, browser mode in Chromium`,
          `  burst took        ${result.seconds} s (the page showed it done at ${result.drawnSeconds} s)`,
          `  longest task      ${result.longestTaskMs} ms (${result.tasksOver50ms} tasks over 50 ms)`,
          `  renderer heap     ${result.heapMiB} MiB after GC`,
          `  link drops        ${result.linkDrops}${result.linkDrops ? ` (${result.dropCodes.join('; ')})` : ''}`,
          ...(cpu
            ? [
                `  most CPU in a task ${cpu.longestTaskCpuMs} ms (of ${cpu.longestTaskCpuWallMs} ms wall; ${cpu.tasksOver50msCpu} tasks over 50 ms of CPU, ${cpu.tasksOver30msCpu} over 30)`,
                `  main thread CPU   ${cpu.mainCpuMs} ms in all`,
              ]
            : []),
          `  load average      ${result.loadAverage} (1 min, at the end)`,
          '',
        ].join('\n'),
      )
    }
  } finally {
    await browser.close()
    // Its state files are written until it exits: remove the directory after that.
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    target.closeAllConnections?.()
    target.close()
    rmSync(stateDir, { recursive: true, force: true })
  }
}

main().catch((err) => fail(String(err?.message ?? err).split('\n')[0]))
