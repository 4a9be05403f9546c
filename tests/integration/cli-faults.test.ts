import { describe, expect, it, vi } from 'vitest'
import { BodyCollector } from '../../electron/engine/body'
import { startRawServer, type RawServer } from '../helpers/engine'
import { cli, useCliHarness } from './cli.harness'

/** Internal faults (a response undici cannot handle, a bug in a hook): one line, then the summary. */
describe('sockeye CLI on internal faults', () => {
  useCliHarness()
  let raw: RawServer | null = null
  const stop = async () => {
    await raw?.close()
    raw = null
  }

  it('prints one typed line for an unsolicited 101 and still prints the summary', async () => {
    let n = 0
    raw = await startRawServer((s) =>
      s.on('data', () => {
        if (++n === 1)
          s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n')
        else s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      }),
    )
    const r = await cli(['-n', '2', `${raw.url}/`])
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(
      /^#1 GET http:\/\/127\.0\.0\.1:\d+\/ failed: MALFORMED_RESPONSE \(wait\): .*101 Switching Protocols/,
    )
    expect(r.lines[0]).toMatch(/^#2 +GET .* 200 /)
    expect(r.stdout).toContain('Number of requests: 2')
    expect(r.code).toBe(1)
    await stop()
  })

  it('turns a throwing engine hook into INTERNAL on that request; the run goes on', async () => {
    raw = await startRawServer((s) =>
      s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')),
    )
    const push = BodyCollector.prototype.push
    let calls = 0
    const spy = vi.spyOn(BodyCollector.prototype, 'push').mockImplementation(function (
      this: BodyCollector,
      chunk,
    ) {
      if (++calls === 1) throw new TypeError('provoked fault')
      push.call(this, chunk)
    })
    try {
      const r = await cli(['-n', '2', `${raw.url}/`])
      expect(r.errors).toEqual([
        expect.stringMatching(
          /^#1 GET .* failed: INTERNAL \(receive\): engine fault while receiving the body: provoked fault$/,
        ),
      ])
      expect(r.stdout).toContain('Number of requests: 2')
      expect(r.lines[0]).toMatch(/^#2 +GET .* 200 /)
    } finally {
      spy.mockRestore()
    }
    await stop()
  })
})
