import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { EngineEvent } from '../../electron/contract'
import { LIMITS } from '../../electron/contract/limits'
import type { EngineApi } from '../../electron/engine/api'
import { screenshot, sendFromComposer, useUiHarness } from './helpers/app'
import { connection, ev, result } from './helpers/fabricate'
import { longTasks, resetLongTasks, settle, watchLongTasks } from './helpers/perf'
import { startHttpServer } from '../helpers/servers'

const ui = useUiHarness()

/** An engine that also emits whatever events the test feeds it (fabricated, in engine order). */
function feedable(engine: EngineApi): { engine: EngineApi; feed: (events: EngineEvent[]) => void } {
  const listeners = new Set<(event: EngineEvent) => void>()
  const subscribe: EngineApi['subscribe'] = (listener) => {
    listeners.add(listener)
    const off = engine.subscribe(listener)
    return () => {
      listeners.delete(listener)
      off()
    }
  }
  return {
    // A proxy, not a spread: the engine's methods live on its prototype.
    engine: new Proxy(engine, {
      get: (target, key) => {
        if (key === 'subscribe') return subscribe
        const value = Reflect.get(target, key) as unknown
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    }),
    feed: (events) => events.forEach((e) => listeners.forEach((l) => l(e))),
  }
}

const windowOf = async (page: Page) => {
  const lanes = page.locator('section.connection-lanes')
  return {
    from: Number(await lanes.getAttribute('data-from')),
    to: Number(await lanes.getAttribute('data-to')),
    mode: await lanes.getAttribute('data-mode'),
  }
}

const SOCKETS = 50
const REQUESTS = 100_000

describe('the connections timeline', () => {
  it('draws 100,000 requests on 50 sockets, zooms and pans, without a long task', async () => {
    let feed: (events: EngineEvent[]) => void = () => {}
    const app = await ui.open({
      initScript: watchLongTasks,
      viewport: { width: 1440, height: 900 },
      wrapEngine: (engine) => {
        const wrapped = feedable(engine)
        feed = wrapped.feed
        return wrapped.engine
      },
    })
    const { page } = app
    feed(Array.from({ length: SOCKETS }, (_, i) => ev('socket:opened', { connection: connection(i + 1) })))
    // One request every 0.6 ms, each 20 ms on its socket: 60 s of traffic, 2,000 bars per lane.
    for (let from = 1; from <= REQUESTS; from += 5000) {
      const chunk: EngineEvent[] = []
      for (let id = from; id < from + 5000; id++) {
        const r = result(id, {
          socket: (id % SOCKETS) + 1,
          startedAt: id * 0.6,
          totalMs: 20,
          requestHeaders: [],
          responseHeaders: [],
          timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0.1, wait: 19, receive: 0.9 },
          reused: id > SOCKETS,
        })
        chunk.push(ev('request:completed', { result: r }))
      }
      feed(chunk)
      // Paced by the page: a renderer that falls 32 MiB behind is disconnected (and would resync
      // from the real engine's empty snapshot), which is not what this test measures.
      // The list holds the newest LIMITS.listRows; the bar above it counts the rest.
      const fed = from + 4999
      await expect
        .poll(() => page.locator('.request-list-filters-count').innerText(), { timeout: 60_000 })
        .toBe(`${Math.min(fed, LIMITS.listRows)} requests`)
      if (fed > LIMITS.listRows) {
        await expect
          .poll(() => page.locator('.request-list-older').innerText(), { timeout: 60_000 })
          .toContain(`${(fed - LIMITS.listRows).toLocaleString('en-US')} older requests`)
      }
    }
    const loading = await longTasks(page)
    await settle(page)
    await resetLongTasks(page)

    const started = performance.now()
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    const canvas = page.locator('canvas.connection-lanes-canvas')
    await canvas.waitFor()
    await settle(page)
    const opening = await longTasks(page)
    await resetLongTasks(page)
    await page.getByRole('button', { name: 'Fit all' }).click()
    await settle(page)
    const box = (await canvas.boundingBox())!
    for (let i = 0; i < 6; i++) {
      await page.mouse.move(box.x + box.width * 0.6, box.y + 60)
      await page.mouse.wheel(0, -300)
      await settle(page)
    }
    await page.keyboard.down('Shift')
    await page.mouse.move(box.x + box.width * 0.5, box.y + 80)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.3, box.y + 80, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.up('Shift')
    await page.getByRole('button', { name: 'Fit all' }).click()
    await settle(page)
    const drawMs = performance.now() - started
    const { longest, count } = await longTasks(page)
    // The labels follow the bars at most 4 times a second.
    const drawn = () =>
      page
        .locator('.connection-lanes [data-bars]')
        .evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-bars')), 0))
    console.log(
      `[timeline] ${REQUESTS} requests on ${SOCKETS} sockets: longest task while drawing, zooming and ` +
        `panning ${longest.toFixed(0)} ms (${count} over 50 ms) in ${drawMs.toFixed(0)} ms; ` +
        `opening the view: longest ${opening.longest.toFixed(0)} ms; ` +
        `(loading them into the list: longest ${loading.longest.toFixed(0)} ms)`,
    )
    await screenshot(page, 'connections-100k')
    // Labels with 2,000-request counts are whole, not cut.
    const cut = await page
      .locator('.connection-lanes-line > span, .connection-lanes-state')
      .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent))
    expect(cut).toEqual([])
    await expect.poll(drawn).toBe(REQUESTS)
    // Generous: the figure printed above is what the README reports.
    expect(longest).toBeLessThan(1000)
    expect(app.errors).toEqual([])
  }, 180_000)

  it('opens on the latest run, zooms with the buttons, and fits all', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await page.getByLabel('Repeat').fill('5')
    await sendFromComposer(page, `${server.url}/a`)
    await expect.poll(() => page.locator('.request-list-row .status.ok').count()).toBe(5)
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    const before = await windowOf(page)
    expect(before.mode).toBe('latest')
    await page.getByRole('button', { name: 'Zoom in' }).click()
    const zoomed = await windowOf(page)
    expect(zoomed.mode).toBe('manual')
    expect(zoomed.to - zoomed.from).toBeCloseTo((before.to - before.from) / 2, 3)
    await page.getByRole('button', { name: 'Fit all' }).click()
    expect((await windowOf(page)).mode).toBe('all')
    // The axis is labelled in seconds since the first request.
    await expect.poll(() => page.locator('.connection-lanes-window').innerText()).toMatch(/ms|s/)
  })

  it('filters the request list to a brushed time range, and clears it', async () => {
    const server = await ui.track(startHttpServer())
    const app = await ui.open()
    const { page } = app
    await page.getByLabel('Repeat').fill('20')
    await sendFromComposer(page, `${server.url}/b`)
    await expect.poll(() => page.locator('.request-list-row .status.ok').count()).toBe(20)
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    const box = (await page.locator('canvas.connection-lanes-canvas').boundingBox())!
    // The window starts when the first request was queued, its bar when it got its socket (later,
    // by the connect and any stall of a busy host): find where socket #1's first bar starts.
    const laneBox = (await page.locator('.connection-lanes-lane[data-socket="1"]').boundingBox())!
    let first = -1
    for (let x = 2; x < box.width && first < 0; x += 3) {
      await page.mouse.move(box.x + x, laneBox.y + 8)
      if ((await page.locator('.connection-lanes-tip').count()) > 0) first = x
    }
    expect(first, 'no bar on socket #1').toBeGreaterThan(0)
    // Brush from the left edge to a third of the way through the bars (below the axis).
    const end = first + (box.width - first) / 3
    await page.mouse.move(box.x + 1, laneBox.y + 8)
    await page.mouse.down()
    await page.mouse.move(box.x + end, laneBox.y + 8, { steps: 4 })
    await page.mouse.up()
    await expect.poll(() => page.locator('.connection-lanes-range').count()).toBe(1)
    await page.getByRole('tab', { name: 'Requests', exact: true }).click()
    const text = await page.locator('.request-list-filters-count').innerText()
    const [shown, total] = [...text.matchAll(/\d+/g)].map(Number)
    expect(total, text).toBe(20)
    expect(shown, text).toBeGreaterThan(0)
    expect(shown, text).toBeLessThan(20)
    expect(await page.locator('.request-list-row').count()).toBe(shown)
    // The list's filter bar shows the range as a chip; the Connections view clears it too.
    const chip = page.getByRole('button', { name: 'Clear time range filter' })
    expect(await chip.count()).toBe(1)
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.getByRole('button', { name: 'Clear range' }).click()
    await page.getByRole('tab', { name: 'Requests', exact: true }).click()
    await expect.poll(() => page.locator('.request-list-filters-count').innerText()).toBe('20 requests')
    expect(await chip.count()).toBe(0)
    // Brushed again, the chip alone clears it.
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    await page.mouse.move(box.x + 1, laneBox.y + 8)
    await page.mouse.down()
    await page.mouse.move(box.x + end, laneBox.y + 8, { steps: 4 })
    await page.mouse.up()
    await page.getByRole('tab', { name: 'Requests', exact: true }).click()
    await expect
      .poll(() => page.locator('.request-list-filters-count').innerText())
      .toMatch(/ of 20 requests$/)
    await chip.click()
    await expect.poll(() => page.locator('.request-list-filters-count').innerText()).toBe('20 requests')
  })

  it('collapses closed sockets into one group, expands it, and opens a clicked bar', async () => {
    const server = await ui.track(
      startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' })
        res.end('bye')
      }),
    )
    const app = await ui.open()
    const { page } = app
    await page.getByLabel('Repeat').fill('3')
    await sendFromComposer(page, `${server.url}/c`)
    await expect.poll(() => page.locator('.request-list-row .status.ok').count()).toBe(3)
    await page.getByRole('tab', { name: 'Connections', exact: true }).click()
    const group = page.getByRole('button', { name: /closed \(3\)/ })
    await expect.poll(() => group.getAttribute('aria-expanded')).toBe('false')
    expect(await page.locator('.connection-lanes-lane[data-socket]').count()).toBe(0)
    await group.click()
    await expect.poll(() => page.locator('.connection-lanes-lane[data-socket]').count()).toBe(3)
    // The full reason is in the label, not cut: "closed: Connection: close".
    const state = page.locator('.connection-lanes-state').first()
    expect(await state.innerText()).toBe('closed: Connection: close')
    expect(await state.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true)

    // Click the middle of the first lane's bar: the request opens beside the timeline.
    await page.getByRole('button', { name: 'Fit all' }).click()
    const lane = page.locator('.connection-lanes-lane[data-socket="1"]')
    const laneBox = (await lane.boundingBox())!
    const canvasBox = (await page.locator('canvas.connection-lanes-canvas').boundingBox())!
    const w = await windowOf(page)
    // Find a pixel on lane 1 where hovering shows a tooltip, scanning across the lane.
    let found = false
    for (let x = 2; x < canvasBox.width && !found; x += 3) {
      await page.mouse.move(canvasBox.x + x, laneBox.y + 8)
      found = (await page.locator('.connection-lanes-tip').count()) > 0
    }
    expect(found, `no bar found on lane 1 in window ${w.from}–${w.to}`).toBe(true)
    await expect.poll(() => page.locator('.connection-lanes-tip').innerText()).toMatch(/req 1 · GET \/c/)
    await page.mouse.down()
    await page.mouse.up()
    await expect
      .poll(() => page.locator('.connections-view-detail .detail-pane-title').innerText())
      .toContain('req 1 GET')
    await screenshot(page, 'connections-detail')
  })
})

/** CSS hsl() as 0–255 RGB. */
function hsl(h: number, s: number, l: number): number[] {
  const c = (1 - Math.abs((2 * l) / 100 - 1)) * (s / 100)
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1))
  const m = l / 100 - c / 2
  const [r, g, b] =
    h < 60
      ? [c, x, 0]
      : h < 120
        ? [x, c, 0]
        : h < 180
          ? [0, c, x]
          : h < 240
            ? [0, x, c]
            : h < 300
              ? [x, 0, c]
              : [c, 0, x]
  return [r!, g!, b!].map((v) => Math.round((v + m) * 255))
}

/** The app on 14 fabricated sockets, 6 requests each (120 ms, 12 ms apart), on the Connections view. */
async function openLanes(colorScheme: 'light' | 'dark' = 'light') {
  let feed: (events: EngineEvent[]) => void = () => {}
  const app = await ui.open({
    colorScheme,
    viewport: { width: 1440, height: 900 },
    wrapEngine: (engine) => {
      const wrapped = feedable(engine)
      feed = wrapped.feed
      return wrapped.engine
    },
  })
  const sockets = 14
  feed(Array.from({ length: sockets }, (_, i) => ev('socket:opened', { connection: connection(i + 1) })))
  feed(
    Array.from({ length: sockets * 6 }, (_, i) =>
      ev('request:completed', {
        result: result(i + 1, {
          socket: (i % sockets) + 1,
          startedAt: 200 + i * 12,
          totalMs: 120,
          timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 1, wait: 100, receive: 19 },
        }),
      }),
    ),
  )
  await app.page.getByRole('tab', { name: 'Connections', exact: true }).click()
  await expect.poll(() => app.page.locator('.connection-lanes-lane[data-bars="6"]').count()).toBe(sockets)
  return app
}

describe('zooming the timeline by touch and trackpad', () => {
  it('zooms in around the fingers when two touches spread apart, and out when they pinch', async () => {
    const { page } = await openLanes()
    await page.getByRole('button', { name: 'Fit all' }).click()
    const before = await windowOf(page)
    const box = (await page.locator('canvas.connection-lanes-canvas').boundingBox())!
    const [cx, y] = [box.x + box.width / 2, box.y + 120]
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 2 })
    const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', spread: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd'
            ? []
            : [
                { x: cx - spread, y, id: 1 },
                { x: cx + spread, y, id: 2 },
              ],
      })
    await touch('touchStart', 30)
    for (const spread of [60, 90, 120]) await touch('touchMove', spread)
    await touch('touchEnd', 0)
    const spread = await windowOf(page)
    expect(spread.mode).toBe('manual')
    // Fingers 60 px apart, then 240: about a quarter of the span (each finger's move is its own
    // event, so the zoom goes in steps), around the middle.
    const span = before.to - before.from
    expect((spread.to - spread.from) / span).toBeGreaterThan(0.22)
    expect((spread.to - spread.from) / span).toBeLessThan(0.28)
    expect(Math.abs((spread.from + spread.to) / 2 - (before.from + before.to) / 2)).toBeLessThan(span * 0.05)
    await touch('touchStart', 120)
    await touch('touchMove', 60)
    await touch('touchEnd', 0)
    const pinched = await windowOf(page)
    expect((pinched.to - pinched.from) / (spread.to - spread.from)).toBeGreaterThan(1.8)
    expect((pinched.to - pinched.from) / (spread.to - spread.from)).toBeLessThan(2.2)
  })

  it('zooms with a trackpad pinch (ctrl+wheel), and pans with a sideways scroll', async () => {
    const { page } = await openLanes()
    await page.getByRole('button', { name: 'Fit all' }).click()
    const before = await windowOf(page)
    const box = (await page.locator('canvas.connection-lanes-canvas').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + 120)
    await page.keyboard.down('Control')
    await page.mouse.wheel(0, -50)
    await page.keyboard.up('Control')
    const zoomed = await windowOf(page)
    expect(zoomed.to - zoomed.from).toBeLessThan((before.to - before.from) * 0.7)
    await page.mouse.wheel(200, 0)
    const panned = await windowOf(page)
    expect(panned.from).toBeGreaterThan(zoomed.from)
    expect(panned.to - panned.from).toBeCloseTo(zoomed.to - zoomed.from, 3)
  })
})

describe('sockets past an origin’s 12th', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`stripes their bars as their chips are striped (${colorScheme})`, async () => {
      const app = await openLanes(colorScheme)
      const { page } = app
      await page.getByRole('button', { name: 'Fit all' }).click()
      // How many pixels of each colour one lane's bars have along their middle row (the track's,
      // at the left edge before the socket opened, left out; antialiased edges are a few each).
      const colours = async (socket: number) => {
        const lane = page.locator(`.connection-lanes-lane[data-socket="${socket}"]`)
        await lane.scrollIntoViewIfNeeded()
        await settle(page)
        const laneBox = (await lane.boundingBox())!
        return page.locator('canvas.connection-lanes-canvas').evaluate((el, top) => {
          const canvas = el as unknown as {
            getBoundingClientRect(): { top: number }
            width: number
            getContext(k: '2d'): { getImageData(...a: number[]): { data: ArrayLike<number> } }
          }
          const y = Math.round(top - canvas.getBoundingClientRect().top + 8)
          const { data } = canvas.getContext('2d').getImageData(0, y, canvas.width, 1)
          const key = (i: number) => `${data[i]},${data[i + 1]},${data[i + 2]}`
          const counts: Record<string, number> = {}
          for (let i = 0; i < data.length; i += 4) counts[key(i)] = (counts[key(i)] ?? 0) + 1
          delete counts[key(0)]
          return counts
        }, laneBox.y)
      }
      const top = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1])
      const plain = top(await colours(1))
      const striped = top(await colours(13))
      const [base, baseCount] = plain[0]!
      // Socket #1's hue (215) at the theme's bar lightness, as the chips switch with the theme.
      const want = hsl(215, 65, colorScheme === 'dark' ? 60 : 45)
      base.split(',').forEach((v, i) => expect(Math.abs(Number(v) - want[i]!), base).toBeLessThanOrEqual(2))
      // #1 is one colour; #13 shares its hue (the same colour) with a second, as wide, in bands.
      expect(plain[1]![1], JSON.stringify(plain.slice(0, 3))).toBeLessThan(baseCount / 5)
      const bands = striped.filter(([c]) => c !== base)[0]!
      expect(
        striped.find(([c]) => c === base)?.[1] ?? 0,
        JSON.stringify(striped.slice(0, 3)),
      ).toBeGreaterThan(baseCount / 4)
      expect(bands[1], JSON.stringify(striped.slice(0, 3))).toBeGreaterThan(baseCount / 4)
      expect(
        await page.locator('.connection-lanes-lane[data-socket="13"] .socket-chip.patterned').count(),
      ).toBe(1)
      expect(
        await page.locator('.connection-lanes-lane[data-socket="12"] .socket-chip.patterned').count(),
      ).toBe(0)
      for (const [width, height] of [
        [1440, 900],
        [1024, 700],
      ] as const) {
        await page.setViewportSize({ width, height })
        await page.locator('.connection-lanes-lane[data-socket="14"]').scrollIntoViewIfNeeded()
        await settle(page)
        await screenshot(page, `connections-stripes-${width}x${height}-${colorScheme}`)
      }
      expect(app.errors).toEqual([])
    })
  }
})
