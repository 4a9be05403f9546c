/**
 * How a scenario runs: `sockeye --json args… URL` under a path prefix of its own, then the server's
 * log is read (after a marker request) and compared with Sockeye's account (truth.ts).
 */
import type { NewSocketReason } from '../../../electron/contract'
import type { Conformant, Profile } from '../servers/types'
import { mark, sockeye, type CliRun } from './sockeye'
import { compare, settle, type Final, type Hit, type Expect } from './truth'

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

export function originOf(server: Conformant, profile: Profile): string {
  const origin = server.origins[profile]
  if (!origin) throw new Error(`${server.name} has no ${profile} listener for this scenario`)
  return origin
}

/** The command as the table shows it: the port replaced by the listener's profile. */
export function shown(args: string[], server: Conformant): string {
  let s = `sockeye ${args.join(' ')}`
  for (const [profile, origin] of Object.entries(server.origins)) s = s.split(origin).join(`<${profile}>`)
  return s
}

export async function observe(
  server: Conformant,
  origin: string,
  prefix: string,
  count: number,
): Promise<Hit[]> {
  await mark(`${origin}${prefix}__mark`)
  return settle(server.hits, prefix, count)
}

/** Run `sockeye --json args… URL` (URL under a prefix of its own) and compare with the log. */
export async function check(
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
  last = Promise.resolve(run.report)
  const hits = await observe(server, origin, prefix, expect(run).sent)
  return { command: shown(run.args, server), diffs: compare(run, hits, expect(run)) }
}

/** The report of the last `check`, for checks a scenario adds. */
let last: Promise<CliRun['report']> = Promise.resolve(null)
export const lastReport = (): Promise<CliRun['report']> => last

export const insecure = (s: Conformant) => (s.origins.tls?.startsWith('https:') ? ['--insecure'] : [])
export const version = (s: Conformant, tls: boolean) => (tls && s.h2 ? '2' : '1.1')
export const open = (n: number): Final[] => Array(n).fill('open')

/**
 * n requests on a server that closes each connection after `limit`: who opened what, who closed. Over
 * h2 the close is a GOAWAY (NO_ERROR), and the engine may name that reason precisely.
 */
export function limited(n: number, limit: number, h2 = false) {
  const sockets = Math.ceil(n / limit)
  const next: NewSocketReason[] = h2 ? ['server-closed', 'goaway'] : ['server-closed']
  return {
    reasons: ['first' as const, ...Array<NewSocketReason[]>(sockets - 1).fill(next)],
    finals: Array.from({ length: sockets }, (_, i): Final =>
      i < sockets - 1 || n % limit === 0 ? 'server' : 'open',
    ),
  }
}

export function pool(k: number): Scenario {
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
