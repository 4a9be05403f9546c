import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

interface CaddyLine {
  status?: number
  request?: { remote_port?: string; proto?: string; method?: string; uri?: string }
}

/** Caddy's file server (one page on every path), JSON access log with the client port. */
export async function startCaddy(): Promise<Conformant> {
  const bin = requireBinary('caddy')
  const dir = workDir('caddy')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const [plain, idle, tls] = await freePorts(3)
  const log = join(dir, 'access.log')
  const site = (address: string, extra = '') => `${address} {
  bind 127.0.0.1
  ${extra}
  log {
    output file ${log}
    format json
  }
  encode gzip zstd
  root * ${dir}/www
  rewrite * /page.txt
  file_server
}`
  writeFileSync(
    join(dir, 'Caddyfile'),
    `{
  admin off
  auto_https off
  storage file_system ${dir}/storage
  servers 127.0.0.1:${idle} {
    timeouts {
      idle 1s
    }
  }
}
${site(`http://127.0.0.1:${plain}`)}
${site(`http://127.0.0.1:${idle}`)}
${site(`https://127.0.0.1:${tls}`, `tls ${cert} ${key}`)}
`,
  )
  const proc = await startProcess({
    name: 'caddy',
    command: bin,
    args: ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
    dir,
    ports: [plain!, idle!, tls!],
    env: { HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') },
  })
  return {
    name: 'caddy',
    origins: {
      plain: `http://127.0.0.1:${plain}`,
      idle: `http://127.0.0.1:${idle}`,
      tls: `https://127.0.0.1:${tls}`,
    },
    limit: 0,
    idleMs: 1000,
    idleCloser: 'server',
    codings: ['gzip'],
    pipelining: true,
    h2: true,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        let j: CaddyLine
        try {
          j = JSON.parse(l) as CaddyLine
        } catch {
          return []
        }
        const q = j.request
        if (!q?.remote_port || !q.uri) return []
        return [
          {
            port: +q.remote_port,
            status: j.status ?? 0,
            method: q.method ?? '',
            path: q.uri,
            protocol: q.proto ?? '',
          },
        ]
      }),
    stop: () => proc.stop(),
  }
}
