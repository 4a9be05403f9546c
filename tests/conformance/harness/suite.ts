/**
 * One describe block per real server: start it once, run the listed scenarios, stop it by PID.
 * Each verdict is written to out/conformance/ (scripts/conformance-table.js renders the table) and
 * then asserted: a disagreement with the server's log fails the test.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Conformant } from '../servers/types'
import type { Scenario, Verdict } from './check'
import { coding, PEERS } from './peers'
import { SCENARIOS } from './scenarios'

const ALL: Record<string, Scenario> = { ...SCENARIOS, ...PEERS }

export const RESULTS = resolve(__dirname, '../../../out/conformance')

/** Write one verdict for scripts/conformance-table.js. */
export function save(server: string, scenario: string, title: string, v: Verdict): void {
  mkdirSync(RESULTS, { recursive: true })
  // Scenarios in pending/ (outside npm test) are marked so in the table.
  const pending = (expect.getState().testPath ?? '').includes('/pending/')
  writeFileSync(
    resolve(RESULTS, `${server}.${scenario}.json`),
    JSON.stringify({ server, scenario, title, pending, ...v }),
  )
}

function scenario(id: string): Scenario {
  const known = ALL[id]
  if (known) return known
  if (['gzip', 'deflate', 'br'].includes(id)) return coding(id)
  throw new Error(`unknown conformance scenario ${id}`)
}

/** Run scenarios `ids` (ScenarioId or a content coding) against the server `start` starts. */
export function conformance(name: string, start: () => Promise<Conformant>, ids: string[]): void {
  describe(`${name} (real server) agrees with Sockeye`, () => {
    let server: Conformant | undefined
    beforeAll(async () => {
      server = await start()
    }, 30_000)
    afterAll(async () => {
      await server?.stop()
    })
    for (const id of ids) {
      const s = scenario(id)
      it(`${id}: ${s.title}`, async () => {
        if (!server) throw new Error(`${name} did not start`)
        const v = await s.run(server, id)
        save(name, id, s.title, v)
        expect(v.diffs, v.command).toEqual([])
      }, 60_000)
    }
  })
}
