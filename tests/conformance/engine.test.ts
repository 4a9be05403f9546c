/**
 * The engine in-process (as Electron main and browser mode run it) against nginx: its records and
 * its event stream (what the UI derives its views from) must both equal nginx's own log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo, EngineEvent, RequestResult } from '../../electron/contract'
import { createEngine, type EngineApi } from '../../electron/engine'
import { save } from './harness/suite'
import { mark, type CliRun } from './harness/sockeye'
import { compare, settle, type Expect } from './harness/truth'
import { startNginx } from './servers/nginx'
import type { Conformant } from './servers/types'

const get = (url: string) => ({ method: 'GET', url, headers: [], body: null })

/** The same account rebuilt from the events alone, the way the renderer's stores build theirs. */
function fromEvents(events: EngineEvent[]): { requests: RequestResult[]; connections: ConnectionInfo[] } {
  const requests = new Map<number, RequestResult>()
  const connections = new Map<number, ConnectionInfo>()
  for (const e of events) {
    if (e.type === 'request:completed' || e.type === 'request:failed') requests.set(e.result.id, e.result)
    if (e.type === 'socket:opened') connections.set(e.connection.id, { ...e.connection })
    if (e.type === 'socket:closed') {
      const c = connections.get(e.socketId)
      if (c) Object.assign(c, { closeReason: e.reason, requests: e.requests })
    }
    if (e.type === 'request:completed') {
      const c = connections.get(e.result.socket ?? -1)
      if (c) c.requests = Math.max(c.requests, e.result.nth)
    }
  }
  return {
    requests: [...requests.values()].sort((a, b) => a.id - b.id),
    connections: [...connections.values()],
  }
}

describe('nginx (real server) agrees with the engine and its events', () => {
  let nginx: Conformant | undefined
  let engine: EngineApi | undefined
  beforeAll(async () => {
    nginx = await startNginx()
  }, 30_000)
  afterAll(async () => {
    await engine?.close()
    await nginx?.stop()
  })

  async function judge(
    id: string,
    title: string,
    work: (e: EngineApi, origin: string) => Promise<void>,
    expect_: Expect,
  ) {
    const s = nginx!
    const origin = s.origins.plain!
    engine = createEngine()
    const events: EngineEvent[] = []
    engine.subscribe((e) => events.push(e))
    await work(engine, `${origin}/${id}/`)
    await engine.settled()
    const run = (report: Omit<NonNullable<CliRun['report']>, 'pools'>): CliRun => ({
      args: [],
      code: 0,
      stdout: '',
      stderr: '',
      report: { ...report, pools: [] },
    })
    await mark(`${origin}/${id}/__mark`)
    const hits = await settle(s.hits, `/${id}/`, expect_.sent)
    const diffs = [
      ...compare(run({ requests: engine.results(), connections: engine.connections() }), hits, expect_),
      ...compare(run(fromEvents(events)), hits, expect_).map((d) => `events: ${d}`),
    ]
    await engine.close()
    engine = undefined
    const v = { command: `engine: ${title}`, diffs }
    save('nginx-engine', id, title, v)
    return v
  }

  it('engine-seed: two GETs with different queries on a pool of one share one socket', async () => {
    const v = await judge(
      'engine-seed',
      'send() twice on a pool of 1',
      async (e, base) => {
        e.configure(new URL(base).origin, { connections: 1 })
        await e.send(get(`${base}?q=python&v=1.0`))
        await e.send(get(`${base}?q=php&v=1.0`))
      },
      { sent: 2, status: 200, reasons: ['first'], finals: ['open'] },
    )
    expect(v.diffs, v.command).toEqual([])
  })

  it('engine-settings: a request after a settings change opens a new pool, reason settings-changed', async () => {
    const v = await judge(
      'engine-settings',
      'send(), configure(connections 2), send()',
      async (e, base) => {
        await e.send(get(`${base}a`))
        e.configure(new URL(base).origin, { connections: 2 })
        await e.send(get(`${base}b`))
      },
      { sent: 2, status: 200, reasons: ['first', 'settings-changed'] },
    )
    expect(v.diffs, v.command).toEqual([])
  })

  it('engine-burst: run(repeat 30, concurrency 10) over 6 sockets equals what nginx served', async () => {
    const v = await judge(
      'engine-burst',
      'run({ repeat: 30, concurrency: 10 }) on the default pool of 6',
      async (e, base) => {
        await e.run({ request: get(`${base}p`), repeat: 30, concurrency: 10 }).done
      },
      {
        sent: 30,
        status: 200,
        reasons: ['first', 'all-busy', 'all-busy', 'all-busy', 'all-busy', 'all-busy'],
      },
    )
    expect(v.diffs, v.command).toEqual([])
  })
})
