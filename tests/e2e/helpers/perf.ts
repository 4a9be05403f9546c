import type { Page } from 'playwright-core'

/** Runs in the page before the app: remember the longest main-thread task (Long Tasks API). */
export function watchLongTasks(): void {
  const g = globalThis as unknown as { __longest: number; __longTasks: number }
  g.__longest = 0
  g.__longTasks = 0
  // 'longtask' is a browser entry type; Node's types (this tsconfig) do not list it.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      g.__longTasks++
      g.__longest = Math.max(g.__longest, entry.duration)
    }
  }).observe({ type: 'longtask', buffered: true } as unknown as { type: 'mark'; buffered: boolean })
}

/** The longest task over 50 ms seen since the page loaded (or the last reset), and how many there were. */
export async function longTasks(page: Page): Promise<{ longest: number; count: number }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __longest: number; __longTasks: number }
    return { longest: g.__longest, count: g.__longTasks }
  })
}

/** Forget the tasks seen so far, to measure one phase on its own. */
export async function resetLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { __longest: number; __longTasks: number }
    g.__longest = 0
    g.__longTasks = 0
  })
}

/** Resolve after the page painted twice (work queued by the last input has run). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Runs in the page; the tests' tsconfig has no DOM lib.
    const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): number })
      .requestAnimationFrame
    return new Promise<void>((resolve) => raf(() => raf(() => setTimeout(resolve, 0))))
  })
}
