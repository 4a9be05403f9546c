import { describe, expect, it } from 'vitest'
import { writeJsonReport } from '../../electron/cli/json'
import { connectionInfo, requestResult } from '../helpers/fixtures'

/** A stream that asks the writer to wait after every write, and records what it got. */
function slowStream() {
  const chunks: string[] = []
  let waiting: (() => void) | null = null
  return {
    chunks,
    write(chunk: string) {
      chunks.push(chunk)
      return false
    },
    once(_event: 'drain', listener: () => void) {
      waiting = listener
      queueMicrotask(() => waiting?.())
    },
  }
}

describe('--json written in chunks', () => {
  it.each([0, 1, 511, 512, 513, 1500])(
    'writes what JSON.stringify(doc, null, 2) writes (%i requests)',
    async (n) => {
      const requests = Array.from({ length: n }, (_, i) => requestResult({ id: i + 1 }))
      const connections = n === 0 ? [] : [connectionInfo()]
      const out = slowStream()
      await writeJsonReport(out, requests, connections, [])
      const expected = `${JSON.stringify({ requests, connections, pools: [] }, null, 2)}\n`
      expect(out.chunks.join('')).toBe(expected)
    },
  )

  it('never writes one chunk of the whole document for many requests', async () => {
    const requests = Array.from({ length: 5000 }, (_, i) => requestResult({ id: i + 1 }))
    const out = slowStream()
    await writeJsonReport(out, requests, [], [])
    const total = out.chunks.reduce((n, c) => n + c.length, 0)
    expect(Math.max(...out.chunks.map((c) => c.length))).toBeLessThan(total / 5)
  })
})
