/**
 * The scenarios, each run against one real server: Sockeye's `--json` account is compared with the
 * server's access log (see truth.ts); the peers (urllib3, curl) are held to the same log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Har } from 'har-format'
import type { NewSocketReason } from '../../../electron/contract'
import type { Conformant, Profile } from '../servers/types'
import { PAGE } from '../servers/types'
import { curl, mark, nghttp, sockeye, urllib3, type CliRun } from './sockeye'
import { compare, settle, type Expect, type Final, type Hit } from './truth'

export interface Verdict {
  command: string
  diffs: string[]
}

export interface Scenario {
  title: string
  /** The listener it needs; a server without it does not take part. */
  profile: Profile
  run(server: Conformant, id: string): Promise<Verdict>
}

function originOf(server: Conformant, profile: Profile): string {
  const origin = server.origins[profile]
  if (!origin) throw new Error(`${server.name} has no ${profile} listener for this scenario`)
  return origin
}

/** The command as the table shows it: the port replaced by the listener's profile. */
function shown(args: string[], server: Conformant): string {
  let s = `sockeye ${args.join(' ')}`
  for (const [profile, origin] of Object.entries(server.origins)) s = s.split(origin).join(`<${profile}>`)
  return s
}

async function observe(server: Conformant, origin: string, prefix: string, count: number): Promise<Hit[]> {
  await mark(`${origin}${prefix}__mark`)
  return settle(server.hits, prefix, count)
}

/** Run `sockeye --json args… URL` (URL under a prefix of its own) and compare with the log. */
async function check(
  server: Conformant,
  id: string,
  profile: Profile,
  args: string[],
  expect: (run: CliRun) => Expect,
  paths = ['p'],
): Promise<Verdict> {
  const origin = originOf(server, profile)
  const prefix = `/${id}/`
  const run = await sockeye([...args, ...paths.map((p) => `${origin}${prefix}${p}`)])
  lastReport = Promise.resolve(run.report)
  const hits = await observe(server, origin, prefix, expect(run).sent)
  return { command: shown(run.args, server), diffs: compare(run, hits, expect(run)) }
}

/** The report of the last `check`, for checks a scenario adds. */
let lastReport: Promise<CliRun['report']> = Promise.resolve(null)

const insecure = (s: Conformant) => (s.origins.tls?.startsWith('https:') ? ['--insecure'] : [])
const version = (s: Conformant, tls: boolean) => (tls && s.h2 ? '2' : '1.1')
const open = (n: number): Final[] => Array(n).fill('open')

/**
 * n requests on a server that closes each connection after `limit`: who opened what, who closed. Over
 * h2 the close is a GOAWAY (NO_ERROR), and the engine may name that reason precisely.
 */
function limited(n: number, limit: number, h2 = false) {
  const sockets = Math.ceil(n / limit)
  const next: NewSocketReason[] = h2 ? ['server-closed', 'goaway'] : ['server-closed']
  return {
    reasons: ['first' as const, ...Array<NewSocketReason[]>(sockets - 1).fill(next)],
    finals: Array.from({ length: sockets }, (_, i): Final =>
      i < sockets - 1 || n % limit === 0 ? 'server' : 'open',
    ),
  }
}

function pool(k: number): Scenario {
  return {
    title: `--connections ${k} -c 10 -n 20 opens ${k} socket(s) and the server saw the same spread`,
    profile: 'plain',
    run: (s, id) =>
      check(s, id, 'plain', ['--connections', String(k), '-c', '10', '-n', '20'], () => ({
        sent: 20,
        status: 200,
        reasons: ['first', ...Array(k - 1).fill('all-busy')],
        finals: open(k),
      })),
  }
}

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
  nghttp: {
    title:
      'h2 peer: nghttp -m 5 and sockeye -c 5 -n 5 each carry 5 streams on one connection, as the server saw',
    profile: 'tls',
    run: async (s, id) => {
      const v = await check(s, id, 'tls', [...insecure(s), '-c', '5', '-n', '5'], () => ({
        sent: 5,
        status: 200,
        protocol: 'h2',
        reasons: ['first'],
      }))
      const origin = originOf(s, 'tls')
      const prefix = `/${id}-nghttp/`
      const n = await nghttp(['-n', '-m', '5', `${origin}${prefix}p`])
      const hits = await observe(s, origin, prefix, 5)
      const ports = new Set(hits.map((h) => h.port)).size
      if (n.code !== 0) v.diffs.push(`nghttp exit ${n.code}: ${n.stderr.trim().split('\n').pop()}`)
      if (hits.length !== 5 || ports !== 1)
        v.diffs.push(`nghttp: server saw ${hits.length} requests on ${ports} connections`)
      if (hits.some((h) => !h.protocol.startsWith('HTTP/2'))) v.diffs.push('nghttp: the server saw HTTP/1')
      return v
    },
  },
  'close-text': {
    title: 'the text summary and HAR _socket show every socket the server closed as closed',
    profile: 'close',
    run: async (s, id) => {
      const origin = originOf(s, 'close')
      const prefix = `/${id}/`
      const dir = mkdtempSync(join(tmpdir(), 'sockeye-har-'))
      try {
        const har = join(dir, 'run.har')
        const run = await sockeye(['-n', '3', '--har', har, `${origin}${prefix}p`], 30_000, false)
        const hits = await observe(s, origin, prefix, 3)
        const d: string[] = []
        if (run.code !== 0) d.push(`exit code ${run.code}`)
        // e.g. "  socket #1  http/1.1  127.0.0.1:8080 ← :53122  1 request  closed (server-closed: …)"
        const rows = [...run.stdout.matchAll(/^ +socket #(\d+) +\S+ +\S+ ← :(\d+) +(\d+) requests? +(.*)$/gm)]
        const ports = new Map<number, number>()
        for (const h of hits) ports.set(h.port, (ports.get(h.port) ?? 0) + 1)
        if (rows.length !== ports.size)
          d.push(`summary lists ${rows.length} sockets, the server saw ${ports.size} connections`)
        for (const [, sid, port, n, rest] of rows) {
          if (ports.get(Number(port)) !== Number(n))
            d.push(
              `summary socket #${sid}: ${n} requests, the server saw ${ports.get(Number(port)) ?? 0} on port ${port}`,
            )
          if (!/\bclosed\b/.test(rest ?? ''))
            d.push(`summary socket #${sid} is "${(rest ?? '').trim()}", the server closed it`)
        }
        const entries = (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries as Array<{
          _socket?: Record<string, unknown>
        }>
        for (const e of entries) {
          const sock = e._socket ?? {}
          // Same values as connections[].closeReason: the server closed each of these.
          if (sock.closeReason !== 'server-closed' && sock.closeReason !== 'connection-close')
            d.push(
              `HAR _socket #${String(sock.id)} closeReason ${String(sock.closeReason)}, the server closed it`,
            )
        }
        return { command: shown(run.args, s).replace(har, 'run.har'), diffs: [...new Set(d)] }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
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
  'har-connect': {
    title:
      'HAR connect is the TCP handshake: the fastest of 5 fresh connects within 1 ms of curl -w time_connect',
    profile: 'plain',
    run: async (s, id) => {
      const origin = originOf(s, 'plain')
      const dir = mkdtempSync(join(tmpdir(), 'sockeye-har-'))
      try {
        const har = join(dir, 'run.har')
        const v = await check(s, id, 'plain', ['--fresh', '-n', '5', '--har', har], () => ({
          sent: 5,
          status: 200,
        }))
        const c = await curl([
          '-H',
          'connection: close',
          '-w',
          '%{time_connect}\n',
          ...Array(5).fill(`${origin}/${id}-curl/p`),
        ])
        // The floor of several samples is the handshake; load only ever adds to a sample.
        // (curl -o covers the first URL only: the other pages precede their lines on stdout)
        const times = c.stdout.split('\n').filter((x) => /^\d+\.\d+$/.test(x))
        const theirs = times.length === 5 ? Math.min(...times.map((x) => Number(x) * 1000)) : NaN
        const entries = (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries
        const ours = Math.min(...entries.map((e) => e.timings.connect ?? -1).filter((x) => x >= 0))
        const json = Math.min(...((await lastReport)?.connections ?? []).map((x) => x.connect))
        v.command = v.command.replace(har, 'run.har')
        if (!(Math.abs(ours - theirs) < 1))
          v.diffs.push(`HAR connect ${ours.toFixed(3)} ms, curl ${theirs.toFixed(3)} ms`)
        if (!(Math.abs(json - theirs) < 1))
          v.diffs.push(`connections[].connect ${json.toFixed(3)} ms, curl ${theirs.toFixed(3)} ms`)
        return v
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
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
      const resumed = (await lastReport)?.connections.filter((c) => c.tls?.resumed).length ?? 0
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
      const c = (await lastReport)?.connections[0]
      if (c?.keepAliveHint?.timeout !== 2)
        v.diffs.push(`keepAliveHint ${JSON.stringify(c?.keepAliveHint)}, the server sent timeout=2`)
      if (c?.idleTimeout !== undefined && c.idleTimeout !== 10000)
        v.diffs.push(`client idle timer ${c.idleTimeout} ms, asked for 10000`)
      return v
    },
  },
  seed: {
    title:
      'seed: two GETs with different queries on a pool of 1 (Sockeye and urllib3: 1 connection, 2 requests)',
    profile: 'plain',
    run: async (s, id) => {
      const paths = ['?q=python&v=1.0', '?q=php&v=1.0']
      const v = await check(
        s,
        id,
        'plain',
        ['--connections', '1'],
        () => ({ sent: 2, status: 200, reasons: ['first'] }),
        paths,
      )
      const origin = originOf(s, 'plain')
      const prefix = `/${id}-urllib3/`
      const py = await urllib3(
        origin,
        paths.map((p) => prefix + p),
      )
      const hits = await observe(s, origin, prefix, 2)
      const ports = new Set(hits.map((h) => h.port))
      if (py.code !== 0) v.diffs.push(`urllib3 failed: ${py.stderr.trim().split('\n').pop()}`)
      if (hits.length !== 2 || ports.size !== 1)
        v.diffs.push(`urllib3: server saw ${hits.length} requests on ${ports.size} connections`)
      if (!py.stdout.includes(`connections ${ports.size} requests ${hits.length}`))
        v.diffs.push(
          `urllib3 says "${py.stdout.trim().split('\n').pop()}", server: ${ports.size} connection(s), ${hits.length} requests`,
        )
      return v
    },
  },
  curl: {
    title: "curl -v's reuse verdicts for 5 URLs past the limit match the server and Sockeye",
    profile: 'limit',
    run: async (s, id) => {
      const v = await check(s, id, 'limit', ['-n', '5'], () => ({
        sent: 5,
        status: 200,
        ...limited(5, s.limit),
      }))
      const origin = originOf(s, 'limit')
      const prefix = `/${id}-curl/`
      const c = await curl(Array.from({ length: 5 }, () => `${origin}${prefix}p`))
      const hits = await observe(s, origin, prefix, 5)
      const ports = new Set(hits.map((h) => h.port)).size
      const reused = (c.stderr.match(/Re-using existing connection/g) ?? []).length
      if (c.code !== 0) v.diffs.push(`curl exit ${c.code}`)
      if (hits.length !== 5) v.diffs.push(`curl: server saw ${hits.length} requests, curl sent 5`)
      if (5 - reused !== ports)
        v.diffs.push(`curl opened ${5 - reused} connections by its verdicts, server saw ${ports}`)
      const sockets = v.diffs.length ? -1 : Math.ceil(5 / s.limit)
      if (sockets !== -1 && sockets !== ports) v.diffs.push(`Sockeye ${sockets} sockets, curl ${ports}`)
      return v
    },
  },
} satisfies Record<string, Scenario>

export type ScenarioId = keyof typeof SCENARIOS

/** Content coding scenarios: sizes Sockeye reports equal what an independent client received. */
export function coding(name: string): Scenario {
  return {
    title: `${name}: wire and decoded sizes equal what the server sent`,
    profile: 'plain',
    run: async (s, id) => {
      const origin = originOf(s, 'plain')
      const url = `${origin}/${id}/p`
      const run = await sockeye(['-H', `accept-encoding: ${name}`, url])
      const raw = await rawBody(url, name)
      const d: string[] = []
      const q = run.report?.requests[0]
      if (!q || q.error)
        return { command: shown(run.args, s), diffs: [`request failed: ${q?.error?.message ?? run.stderr}`] }
      const header = q.responseHeaders.find(([k]) => k.toLowerCase() === 'content-encoding')?.[1]
      if (header !== raw.coding) d.push(`content-encoding ${header}, the server sent ${raw.coding}`)
      if (raw.coding !== name) d.push(`the server did not apply ${name} (sent ${raw.coding ?? 'identity'})`)
      if (q.wireBytes !== raw.bytes) d.push(`wireBytes ${q.wireBytes}, the server sent ${raw.bytes}`)
      if (q.bodyBytes !== Buffer.byteLength(PAGE))
        d.push(`bodyBytes ${q.bodyBytes}, the page is ${Buffer.byteLength(PAGE)}`)
      return { command: shown(run.args, s), diffs: d }
    },
  }
}

function rawBody(url: string, coding: string): Promise<{ bytes: number; coding: string | undefined }> {
  return new Promise((done, fail) => {
    const get = url.startsWith('https:') ? https.get : http.get
    const req = get(
      url,
      { agent: false, rejectUnauthorized: false, headers: { 'accept-encoding': coding } },
      (res) => {
        let bytes = 0
        res.on('data', (c: Buffer) => (bytes += c.length))
        res.on('end', () => done({ bytes, coding: res.headers['content-encoding'] }))
      },
    )
    req.setTimeout(5000, () => req.destroy(new Error(`${url} timed out`)))
    req.on('error', fail)
  })
}
