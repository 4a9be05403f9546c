/**
 * Scenarios judged by more than the server's log: peers (urllib3, curl -v, nghttp) on the same
 * server, curl -w timings against the HAR, the text summary and HAR against the log, and content
 * codings against an independent client's bytes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Har } from 'har-format'
import { PAGE } from '../servers/types'
import { check, insecure, lastReport, limited, originOf, observe, shown, type Scenario } from './check'
import { curl, nghttp, sockeye, urllib3 } from './sockeye'

export const PEERS = {
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
  'curl-plain': {
    title: "curl -v's reuse verdicts for 3 sequential URLs match the server and Sockeye (one connection)",
    profile: 'plain',
    run: async (s, id) => {
      const v = await check(s, id, 'plain', ['-n', '3'], () => ({ sent: 3, status: 200, reasons: ['first'] }))
      const origin = originOf(s, 'plain')
      const prefix = `/${id}-curl/`
      const c = await curl(Array.from({ length: 3 }, () => `${origin}${prefix}p`))
      const hits = await observe(s, origin, prefix, 3)
      const ports = new Set(hits.map((h) => h.port)).size
      const reused = (c.stderr.match(/Re-using existing connection/g) ?? []).length
      if (c.code !== 0) v.diffs.push(`curl exit ${c.code}`)
      if (hits.length !== 3) v.diffs.push(`curl: server saw ${hits.length} requests, curl sent 3`)
      if (3 - reused !== ports)
        v.diffs.push(`curl opened ${3 - reused} connections by its verdicts, server saw ${ports}`)
      if (!/Connection #0 to host 127\.0\.0\.1 left intact/.test(c.stderr))
        v.diffs.push('curl did not leave connection #0 intact')
      return v
    },
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
        const json = Math.min(...((await lastReport())?.connections ?? []).map((x) => x.connect))
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
} satisfies Record<string, Scenario>

export type PeerId = keyof typeof PEERS

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
