import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import type { Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

// %cp: client port; %rt: haproxy's request counter; HTTP/2 streams log as HTTP/2.0.
const LINE = /^(\d+) (\d+) (\d+) "(\S+) (\S+) (\S+)"$/

/** HAProxy answering by itself (`http-request return`), logging to stdout (`-db`). */
export async function startHaproxy(): Promise<Conformant> {
  const bin = requireBinary('haproxy')
  const dir = workDir('haproxy')
  const { cert, key } = selfSigned(dir)
  const pem = join(dir, 'both.pem')
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'))
  writeFileSync(join(dir, 'page.txt'), PAGE)
  const [plain, idle, tls] = await freePorts(3)
  const answer = `
  log-format "%cp %rt %ST \\"%HM %HU %HV\\""
  http-request return status 200 content-type text/plain file ${dir}/page.txt`
  writeFileSync(
    join(dir, 'haproxy.cfg'),
    `global
  log stdout format raw local0
defaults
  mode http
  log global
  timeout client 10s
  timeout connect 1s
  timeout server 1s
  timeout http-keep-alive 10s
frontend plain
  bind 127.0.0.1:${plain}
  bind 127.0.0.1:${tls} ssl crt ${pem} alpn h2,http/1.1${answer}
frontend idle
  bind 127.0.0.1:${idle}
  timeout http-keep-alive 1s${answer}
`,
  )
  const proc = await startProcess({
    name: 'haproxy',
    command: bin,
    args: ['-db', '-f', join(dir, 'haproxy.cfg')],
    dir,
    ports: [plain!, idle!, tls!],
  })
  return {
    name: 'haproxy',
    origins: {
      plain: `http://127.0.0.1:${plain}`,
      idle: `http://127.0.0.1:${idle}`,
      tls: `https://127.0.0.1:${tls}`,
    },
    limit: 0,
    idleMs: 1000,
    idleCloser: 'server',
    // `http-request return` is answered by haproxy itself: its compression filter applies to backends only.
    codings: [],
    pipelining: true,
    h2: true,
    hits: () =>
      proc
        .output()
        .split('\n')
        .flatMap((l): Hit[] => {
          const m = LINE.exec(l)
          if (!m) return []
          // On h2, %HU is the absolute URI.
          const uri = m[5]!
          const path = /^https?:/.test(uri) ? new URL(uri).pathname + new URL(uri).search : uri
          return [{ port: +m[1]!, status: +m[3]!, method: m[4]!, path, protocol: m[6]! }]
        }),
    stop: () => proc.stop(),
  }
}
