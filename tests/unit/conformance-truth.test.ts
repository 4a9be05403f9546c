import { describe, expect, it } from 'vitest'
import { requireBinary } from '../conformance/harness/process'
import type { CliRun } from '../conformance/harness/sockeye'
import { compare, type Hit } from '../conformance/harness/truth'
import { connectionInfo, requestResult } from '../helpers/fixtures'

const url = 'http://127.0.0.1:8080/s/p'
const hit = (port: number, nth: number): Hit => ({
  port,
  nth,
  method: 'GET',
  path: '/s/p',
  status: 200,
  protocol: 'HTTP/1.1',
})

function run(sockets: Array<{ id: number; port: number; requests: number }>, assigned: number[]): CliRun {
  const requests = assigned.map((socket, i) => {
    const nth = assigned.slice(0, i + 1).filter((s) => s === socket).length
    const reuse = nth > 1 ? { kind: 'idle' as const, inFlight: 0, behind: null } : null
    return requestResult({
      id: i + 1,
      url,
      socket,
      nth,
      reused: nth > 1,
      reuse,
      reason: nth > 1 ? null : 'first',
    })
  })
  const connections = sockets.map((s) =>
    connectionInfo({ id: s.id, localPort: s.port, requests: s.requests }),
  )
  return { args: [], code: 0, stdout: '', stderr: '', report: { requests, connections, pools: [] } }
}

describe('the conformance judge', () => {
  it('agrees when every socket carried what the server logged on its port', () => {
    const r = run([{ id: 1, port: 5000, requests: 2 }], [1, 1])
    expect(compare(r, [hit(5000, 1), hit(5000, 2)], { sent: 2, reasons: ['first'] })).toEqual([])
  })

  it('names a request the server received twice and a connection Sockeye does not list', () => {
    const r = run([{ id: 1, port: 5000, requests: 2 }], [1, 1])
    const diffs = compare(r, [hit(5000, 1), hit(5000, 2), hit(5001, 1)], { sent: 2 })
    expect(diffs).toContain('server received 3 requests, the user sent 2')
    expect(diffs).toContain('server saw a connection from port 5001 (1 requests) Sockeye does not list')
  })

  it('names a per-socket count that differs from the server and a wrong reason', () => {
    const r = run([{ id: 1, port: 5000, requests: 3 }], [1, 1])
    const diffs = compare(r, [hit(5000, 1), hit(5000, 2)], {
      sent: 2,
      reasons: ['fresh'],
      finals: ['server'],
    })
    expect(diffs).toContain('socket #1: connections[].requests 3, requests[] answered on it 2')
    expect(diffs).toContain('socket reasons [first], expected [fresh]')
    expect(diffs).toContain('socket final states [open], expected [server]')
  })

  it('names a request the server read pipelined that Sockeye calls an idle reuse', () => {
    const r = run([{ id: 1, port: 5000, requests: 2 }], [1, 1])
    const diffs = compare(r, [hit(5000, 1), { ...hit(5000, 2), pipelined: true }], { sent: 2 })
    expect(diffs).toEqual(['request #2: the server read it pipelined, Sockeye says reuse idle'])
  })

  it('fails with the fix when a server binary is missing (never a silent skip)', () => {
    expect(() => requireBinary('sockeye-no-such-server')).toThrow(
      'sockeye-no-such-server is not installed: run .ci/run (it installs the conformance servers from Debian)',
    )
  })
})
