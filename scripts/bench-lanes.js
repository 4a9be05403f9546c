#!/usr/bin/env node
// The Connections timeline under a big history, measured in Chromium (issue 9: 100,000 requests on
// 50 sockets without a main-thread task over 50 ms). Starts `sockeye serve` (the built app, its own
// process, a throwaway UI state dir) and feeds the page fabricated engine events through Playwright's
// WebSocket route (the real server's frames pass through untouched), so the figures are the
// renderer's alone. Phases, each measured on its own (Long Tasks API; "none" = no task over 50 ms):
//   load      the events arrive while the request list is shown (paced by the page)
//   live      (--live) the same, with the Connections view open while they arrive
//   open      switching to the Connections view (first draw)
//   fit, zoom (wheel and buttons), pan (shift-drag, axis drag, ◀ ▶), brush, hover, click
// Usage: node scripts/bench-lanes.js [--n 100000] [--sockets 50] [--chunk 5000 (requests per frame)]
//        [--every 60 (ms between frames, --live only)]
//        [--live] [--cpu (trace every phase: CPU time of its busiest task)] [--json] [--profile PHASE]
//        [--trace PHASE]
// Needs `npx electron-vite build` first and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { transformWithEsbuild } from 'vite'
import { startServe } from './bench-serve.js'
import { TRACE_CATEGORIES, longestTask, printProfile, printTrace } from './bench-trace.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function parseArgs(argv) {
  const o = {
    n: 100_000,
    sockets: 50,
    chunk: 5000,
    every: 60,
    live: false,
    cpu: false,
    json: false,
    profile: null,
    trace: null,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const num = () => {
      const v = Number(argv[++i])
      if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer`)
      return v
    }
    if (a === '--n') o.n = num()
    else if (a === '--sockets') o.sockets = num()
    else if (a === '--chunk') o.chunk = num()
    else if (a === '--every') o.every = num()
    else if (a === '--live') o.live = true
    else if (a === '--cpu') o.cpu = true
    else if (a === '--json') o.json = true
    else if (a === '--profile') o.profile = argv[++i] ?? fail('--profile needs a phase name')
    else if (a === '--trace') o.trace = argv[++i] ?? fail('--trace needs a phase name')
    else fail(`unknown option '${a}' (see the usage at the top of scripts/bench-lanes.js)`)
  }
  return o
}

function fail(message) {
  process.stderr.write(`bench-lanes: ${message}\n`)
  process.exit(1)
}

/** The e2e tests' fabricated events (tests/e2e/helpers/fabricate.ts), types stripped, so both agree. */
async function loadFabricate(dir) {
  const file = join(root, 'tests/e2e/helpers/fabricate.ts')
  const { code } = await transformWithEsbuild(readFileSync(file, 'utf8'), file, { loader: 'ts' })
  const out = join(dir, 'fabricate.mjs')
  writeFileSync(out, code)
  return import(pathToFileURL(out).href)
}

/** Runs in the page before the app: the longest task and how many went over 50 ms. */
function watchPage() {
  const g = globalThis
  g.__longest = 0
  g.__longTasks = 0
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      g.__longTasks++
      g.__longest = Math.max(g.__longest, e.duration)
    }
  }).observe({ type: 'longtask', buffered: true })
  // The longest gap between two frames: what a task under the 50 ms threshold still costs.
  g.__frame = 0
  let last = 0
  const tick = (t) => {
    if (last) g.__frame = Math.max(g.__frame, t - last)
    last = t
    g.requestAnimationFrame(tick)
  }
  g.requestAnimationFrame(tick)
}

/** Resolve after the page painted twice (the work queued by the last input has run). */
const settle = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) =>
        globalThis.requestAnimationFrame(() =>
          globalThis.requestAnimationFrame(() => setTimeout(resolve, 0)),
        ),
      ),
  )

/** The events of `n` requests on `sockets` sockets: one every 0.6 ms, 20 ms each (60 s for 100,000). */
function* chunks(f, n, sockets, size) {
  yield Array.from({ length: sockets }, (_, i) =>
    f.ev('socket:opened', { connection: f.connection(i + 1, { openedAt: 0 }) }),
  )
  for (let from = 1; from <= n; from += size) {
    const chunk = []
    for (let id = from; id < Math.min(from + size, n + 1); id++) {
      const result = f.result(id, {
        socket: (id % sockets) + 1,
        startedAt: id * 0.6,
        totalMs: 20,
        requestHeaders: [],
        responseHeaders: [],
        timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0.1, wait: 19, receive: 0.9 },
        reused: id > sockets,
      })
      chunk.push(f.ev('request:completed', { result }))
    }
    yield chunk
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  if (!existsSync(join(root, 'out/renderer/index.html')))
    fail('no built UI: run `npx electron-vite build` first')
  if (!existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`)
  const stateDir = mkdtempSync(join(tmpdir(), 'sockeye-bench-lanes-'))
  const f = await loadFabricate(stateDir)
  const { url, child } = await startServe(stateDir)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking'],
    headless: true,
  })
  const phases = []
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const cdp = await page.context().newCDPSession(page)
    let toPage = null
    await page.routeWebSocket(/\/ws/, (ws) => {
      ws.connectToServer()
      toPage = (events) => ws.send(JSON.stringify({ kind: 'events', events }))
    })
    await page.addInitScript(watchPage)
    await page.goto(url)
    await page.getByLabel('URL', { exact: true }).waitFor()

    /** Run `act`, let the page paint, and record the phase's longest task. */
    const phase = async (name, act) => {
      await settle(page)
      await page.evaluate(
        () => ((globalThis.__longest = 0), (globalThis.__longTasks = 0), (globalThis.__frame = 0)),
      )
      if (o.profile === name) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
        await cdp.send('Profiler.start')
      }
      const events = []
      if (o.trace === name || o.cpu) {
        cdp.on('Tracing.dataCollected', (e) => events.push(...e.value))
        await cdp.send('Tracing.start', {
          categories: TRACE_CATEGORIES,
          transferMode: 'ReportEvents',
        })
      }
      const started = performance.now()
      await act()
      await settle(page)
      const ms = performance.now() - started
      if (o.profile === name) printProfile((await cdp.send('Profiler.stop')).profile)
      let cpu = null
      if (o.trace === name || o.cpu) {
        const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
        await cdp.send('Tracing.end')
        await done
        if (o.trace === name) printTrace(events)
        cpu = longestTask(events)
      }
      const { longest, count, frame } = await page.evaluate(() => ({
        longest: globalThis.__longest,
        count: globalThis.__longTasks,
        frame: globalThis.__frame,
      }))
      phases.push({
        phase: name,
        longestTaskMs: Math.round(longest),
        tasksOver50ms: count,
        longestFrameMs: Math.round(frame),
        ...(cpu ? { longestTaskCpuMs: cpu.cpu, longestTaskWallMs: cpu.wall } : {}),
        ms: Math.round(ms),
      })
    }
    // How many requests the page has: the list holds the newest 10,000 and counts the older ones.
    const number = async (selector) => {
      const el = page.locator(selector)
      return (await el.count())
        ? Number(/[\d,]+/.exec(await el.first().innerText())?.[0].replace(/,/g, '') ?? 0)
        : 0
    }
    const count = o.live
      ? () => number('.connection-lanes-axis-label')
      : async () => (await number('.request-list-filters-count')) + (await number('.request-list-older'))
    const feed = async () => {
      let sent = 0
      for (const chunk of chunks(f, o.n, o.sockets, o.chunk)) {
        toPage(chunk)
        sent += chunk.filter((e) => e.type === 'request:completed').length
        // Paced by the page (a renderer that falls 32 MiB behind is disconnected); live, by the clock
        // (the lane labels follow at most 4 times a second, so they cannot pace it), then waited for.
        if (o.live) await new Promise((r) => setTimeout(r, o.every))
        else if (sent > 0) while ((await count()) !== sent) await new Promise((r) => setTimeout(r, 50))
      }
      while ((await count()) !== o.n) await new Promise((r) => setTimeout(r, 50))
    }
    const tab = (name) => page.getByRole('tab', { name, exact: true }).click()
    if (o.live) {
      toPage([...chunks(f, 0, o.sockets, o.chunk)][0])
      await tab('Connections')
      await page.locator('canvas.connection-lanes-canvas').waitFor()
      await phase('live', feed)
      await tab('Requests')
    } else await phase('load', feed)

    await phase('open', async () => {
      await tab('Connections')
      await page.locator('canvas.connection-lanes-canvas').waitFor()
    })
    const button = (name) => page.getByRole('button', { name, exact: true }).click()
    const canvas = page.locator('canvas.connection-lanes-canvas')
    const box = await canvas.boundingBox()
    const first = (1 % o.sockets) + 1
    const lane = await page.locator(`.connection-lanes-lane[data-socket="${first}"]`).boundingBox()
    const y = lane.y + 8
    await phase('fit', () => button('Fit all'))
    await phase('zoom-wheel', async () => {
      await page.mouse.move(box.x + box.width * 0.6, y)
      for (let i = 0; i < 6; i++) {
        await page.mouse.wheel(0, -300)
        await settle(page)
      }
    })
    await phase('zoom-buttons', async () => {
      for (const name of ['Zoom out', 'Zoom out', 'Zoom in']) {
        await button(name)
        await settle(page)
      }
    })
    await phase('pan', async () => {
      await page.keyboard.down('Shift')
      await page.mouse.move(box.x + box.width * 0.5, y)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width * 0.3, y, { steps: 10 })
      await page.mouse.up()
      await page.keyboard.up('Shift')
      await page.mouse.move(box.x + box.width * 0.3, box.y + 8)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width * 0.6, box.y + 8, { steps: 10 })
      await page.mouse.up()
      for (const name of ['Earlier', 'Later']) {
        await button(name)
        await settle(page)
      }
    })
    await phase('fit-again', () => button('Fit all'))
    await phase('brush', async () => {
      await page.mouse.move(box.x + box.width * 0.2, y)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width * 0.5, y, { steps: 10 })
      await page.mouse.up()
    })
    await phase('hover', async () => {
      for (let i = 0; i < 40; i++) {
        await page.mouse.move(box.x + box.width * (0.1 + i * 0.02), y)
        await settle(page)
      }
    })
    await phase('click', async () => {
      await page.mouse.move(box.x + box.width * 0.4, y)
      await page.mouse.down()
      await page.mouse.up()
      await page.locator('.connections-view-detail').waitFor()
    })
    await phase('clear-range', () => button('Clear range'))
  } catch (err) {
    if (process.env.SHOT) await browser.contexts()[0]?.pages()[0]?.screenshot({ path: process.env.SHOT })
    throw err
  } finally {
    await browser.close()
    child.kill('SIGTERM')
    rmSync(stateDir, { recursive: true, force: true })
  }
  const load = loadavg().map((l) => l.toFixed(2))
  const report = { requests: o.n, sockets: o.sockets, viewport: '1440x900', loadAverage: load, phases }
  if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`)
  else {
    const lines = phases.map(
      (p) =>
        `  ${p.phase.padEnd(13)} longest task ${p.longestTaskMs ? `${p.longestTaskMs} ms` : 'none over 50 ms'}` +
        `${p.tasksOver50ms ? ` (${p.tasksOver50ms} over 50 ms)` : ''}, longest frame ${p.longestFrameMs} ms, ` +
        `${p.longestTaskCpuMs === undefined ? '' : `most CPU in one task ${p.longestTaskCpuMs} ms (of ${p.longestTaskWallMs} ms), `}` +
        `${p.ms} ms in all`,
    )
    process.stdout.write(
      [
        `bench-lanes — ${o.n} requests on ${o.sockets} sockets, Connections view at 1440×900, Chromium`,
        ...lines,
        `  load average ${load.join(' ')} (2 cores, shared)`,
        '',
      ].join('\n'),
    )
  }
}

main().catch((err) => fail(String(err?.message ?? err).split('\n')[0]))
