/**
 * The scenarios, each run against one real server: Sockeye's `--json` account is compared with the
 * server's access log (see truth.ts). Peers and the other oracles are in peers.ts.
 */
import type { NewSocketReason } from '../../../electron/contract'
import {
  check,
  insecure,
  lastReport,
  limited,
  open,
  originOf,
  observe,
  pool,
  shown,
  version,
  type Scenario,
} from './check'
import { sockeye } from './sockeye'

export const SCENARIOS = {
  'keep-alive': {
    title: 'sequential keep-alive: -n 5 on one socket',
    profile: 'plain',
    run: (s, id) =>
      check(s, id, 'plain', ['-n', '5'], () => ({
        sent: 5,
        status: 200,
        httpVersion: '1.1',
        reasons: ['first'],
        finals: ['open'],
      })),
  },
  limit: {
    title: "past the server's per-connection request limit: a new socket, reason server-closed",
    profile: 'limit',
    run: (s, id) =>
      check(s, id, 'limit', ['-n', '5'], () => ({ sent: 5, status: 200, ...limited(5, s.limit) })),
  },
  idle: {
    title: "past the server's idle timeout: --delay longer than it opens a new socket",
    profile: 'idle',
    run: (s, id) =>
      check(s, id, 'idle', ['-n', '2', '--delay', String(s.idleMs + 500)], () => ({
        sent: 2,
        status: 200,
        ...(s.idleCloser === 'server'
          ? {
              reasons: ['first' as const, 'server-closed' as const],
              finals: ['server' as const, 'open' as const],
            }
          : {
              reasons: ['first' as const, 'keep-alive-expired' as const],
              // The hint is within the client's margin: the client retires each socket after its response.
              finals: ['client-idle' as const, 'client-idle' as const],
            }),
      })),
  },
  'pool-1': pool(1),
  'pool-2': pool(2),
  'pool-6': pool(6),
  'limit-pool': {
    title: 'past the request limit with 2 sockets busy: replacements say server-closed, not all-busy',
    profile: 'limit',
    run: (s, id) =>
      check(s, id, 'limit', ['--connections', '2', '-c', '2', '-n', '10'], (run) => ({
        sent: 10,
        status: 200,
        reasons: [
          'first',
          'all-busy',
          ...Array<NewSocketReason>(Math.max(0, (run.report?.connections.length ?? 2) - 2)).fill(
            'server-closed',
          ),
        ],
      })),
  },
  pipelining: {
    title: '--pipelining 2 on one connection: every pipelined request answered once',
    profile: 'plain',
    run: (s, id) =>
      check(s, id, 'plain', ['--connections', '1', '--pipelining', '2', '-c', '2', '-n', '6'], () => ({
        sent: 6,
        status: 200,
        reasons: ['first'],
        finals: ['open'],
      })),
  },
  fresh: {
    title: '--fresh -n 3: three sockets, each opened because the user asked',
    profile: 'plain',
    run: (s, id) =>
      check(s, id, 'plain', ['--fresh', '-n', '3'], () => ({
        sent: 3,
        status: 200,
        reasons: [['first', 'fresh'], 'fresh', 'fresh'],
      })),
  },
  'h2-streams': {
    title: 'TLS (h2 where offered) -c 10 -n 50: one connection carries every stream',
    profile: 'tls',
    run: (s, id) =>
      check(s, id, 'tls', [...insecure(s), '-c', '10', '-n', '50'], () => ({
        sent: 50,
        status: 200,
        httpVersion: version(s, true),
        protocol: s.h2 ? 'h2' : 'http/1.1',
        ...(s.h2 ? { reasons: ['first' as const], finals: open(1) } : {}),
      })),
  },
  'tls-limit': {
    title: 'TLS past the request limit (h2: GOAWAY NO_ERROR): answered requests are not failures',
    profile: 'tlsLimit',
    run: (s, id) =>
      check(s, id, 'tlsLimit', [...insecure(s), '-n', '5'], () => ({
        sent: 5,
        status: 200,
        httpVersion: version(s, true),
        ...limited(5, s.limit, s.h2),
      })),
  },
  'fresh-h2': {
    title: 'TLS --fresh -n 2: two connections, no crash',
    profile: 'tls',
    run: (s, id) =>
      check(s, id, 'tls', [...insecure(s), '--fresh', '-n', '2'], () => ({
        sent: 2,
        status: 200,
        httpVersion: version(s, true),
        reasons: [['first', 'fresh'], 'fresh'],
      })),
  },
  'tls-strict': {
    title:
      'strict TLS refuses the self-signed certificate; the socket keeps its id and the server saw nothing',
    profile: 'tls',
    run: async (s, id) => {
      const origin = originOf(s, 'tls')
      const prefix = `/${id}/`
      const run = await sockeye(['-n', '2', `${origin}${prefix}p`])
      const hits = await observe(s, origin, prefix, 0)
      const d: string[] = []
      if (run.code !== 1) d.push(`exit code ${run.code}, expected 1`)
      if (hits.length) d.push(`server received ${hits.length} requests through a refused handshake`)
      const r = run.report
      if (!r) return { command: shown(run.args, s), diffs: [...d, 'no JSON report'] }
      for (const q of r.requests) {
        if (q.error?.code !== 'TLS_SELF_SIGNED')
          d.push(`request #${q.id}: error ${q.error?.code ?? 'none'}, expected TLS_SELF_SIGNED`)
      }
      const ids = r.connections.map((c) => c.id)
      if (ids.join() !== '1,2')
        d.push(`connections [${ids.join(',')}], expected the two failed handshakes #1,#2`)
      for (const c of r.connections)
        if (c.closeReason !== 'error') d.push(`socket #${c.id} final state ${c.closeReason}`)
      return { command: shown(run.args, s), diffs: d }
    },
  },
  http10: {
    title: 'HTTP/1.0 answers: reported as 1.0, each on its own socket, closed by the server',
    profile: 'http10',
    run: (s, id) =>
      check(s, id, 'http10', ['-n', '2'], () => ({
        sent: 2,
        status: 200,
        httpVersion: '1.0',
        reasons: ['first', 'server-closed'],
        finals: ['server', 'server'],
      })),
  },
  close: {
    title: 'the server closes after every response: -n 3 on three sockets, each closed by the server',
    profile: 'close',
    run: (s, id) =>
      check(s, id, 'close', ['-n', '3'], () => ({
        sent: 3,
        status: 200,
        httpVersion: '1.1',
        reasons: ['first', 'server-closed', 'server-closed'],
        finals: ['server', 'server', 'server'],
      })),
  },
  'close-post': {
    title: 'POSTs to a server that closes after every response: each answered once, none failed',
    profile: 'close',
    run: (s, id) =>
      check(s, id, 'close', ['-X', 'POST', '-d', 'x', '-n', '3'], () => ({
        sent: 3,
        status: 200,
        reasons: ['first', 'server-closed', 'server-closed'],
      })),
  },
  'tls-limit-post': {
    title: 'POSTs past the h2 stream limit: answered POSTs are not failures and none is sent twice',
    profile: 'tlsLimit',
    run: (s, id) =>
      check(s, id, 'tlsLimit', [...insecure(s), '-X', 'POST', '-d', 'x', '-n', '5'], () => ({
        sent: 5,
        httpVersion: version(s, true),
        ...limited(5, s.limit, s.h2),
      })),
  },
  'tls-limit-burst': {
    title: '-c 10 -n 20 past the h2 stream limit: unprocessed streams moved, none processed twice',
    profile: 'tlsLimit',
    run: (s, id) =>
      check(s, id, 'tlsLimit', [...insecure(s), '-c', '10', '-n', '20'], (run) => ({
        sent: 20,
        status: 200,
        httpVersion: version(s, true),
        reasons: [
          'first',
          ...Array<NewSocketReason[]>(Math.max(0, (run.report?.connections.length ?? 1) - 1)).fill([
            'goaway',
            'server-closed',
            'all-busy',
          ]),
        ],
      })),
  },
  'tls-resume': {
    title: 'TLS session resumption (HTTP/1.1, --fresh -n 3): resumed as the server says, certificate kept',
    profile: 'tls',
    run: async (s, id) => {
      const v = await check(s, id, 'tls', [...insecure(s), '--http1.1', '--fresh', '-n', '3'], () => ({
        sent: 3,
        status: 200,
        protocol: 'http/1.1',
        reasons: [['first', 'fresh'], 'fresh', 'fresh'],
      }))
      // compare() matched every socket's tls.resumed with the server's log; this makes sure the
      // server did resume a session, so that the scenario tested something.
      const resumed = (await lastReport())?.connections.filter((c) => c.tls?.resumed).length ?? 0
      if (v.diffs.length === 0 && resumed === 0)
        v.diffs.push('no session was resumed: the scenario did not run')
      return v
    },
  },
  hint: {
    title: '--keep-alive-timeout 10000 overrides the server hint Keep-Alive: timeout=2 (reused after 1.5 s)',
    profile: 'hint',
    run: async (s, id) => {
      const v = await check(
        s,
        id,
        'hint',
        ['--keep-alive-timeout', '10000', '-n', '2', '--delay', '1500'],
        () => ({
          sent: 2,
          status: 200,
          reasons: ['first'],
          finals: ['open'],
        }),
      )
      const c = (await lastReport())?.connections[0]
      if (c?.keepAliveHint?.timeout !== 2)
        v.diffs.push(`keepAliveHint ${JSON.stringify(c?.keepAliveHint)}, the server sent timeout=2`)
      if (c?.idleTimeout !== undefined && c.idleTimeout !== 10000)
        v.diffs.push(`client idle timer ${c.idleTimeout} ms, asked for 10000`)
      return v
    },
  },
} satisfies Record<string, Scenario>

export type ScenarioId = keyof typeof SCENARIOS
