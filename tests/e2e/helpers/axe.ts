import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** One axe-core violation, trimmed to what a failure message needs. */
export interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * Run axe-core on the page and return its serious and critical violations. The script is evaluated
 * over the DevTools protocol, not added as a <script>: the app's CSP (rightly) refuses inline scripts.
 */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(source)
  return page.evaluate(async () => {
    type Result = {
      violations: Array<{
        id: string
        impact: string | null
        help: string
        nodes: Array<{ target: string[] }>
      }>
    }
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<Result> } }).axe
    const result = await axe.run({ resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }))
  })
}
