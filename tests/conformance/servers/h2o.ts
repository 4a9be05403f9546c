import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

// h2o's own connection id and its index of the request on an HTTP/1 connection (1-based; '-' on h2).
const FORMAT = '%{remote}p %{connection-id}x %{http1.request-index}x %s "%r"'
const LINE = /^(\d+) (\d+) (\S+) (\d+) "(\S+) (\S+) (\S+)"$/

/** h2o serving one file on every path; h2 over TLS by ALPN; gzip and br. */
export async function startH2o(): Promise<Conformant> {
  const bin = requireBinary('h2o')
  const dir = workDir('h2o')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const [plain, idle, tls] = await freePorts(3)
  const log = join(dir, 'access.log')
  const paths = `    paths:
      "/":
        file.file: ${dir}/www/page.txt
        compress: [ gzip, br ]`
  writeFileSync(
    join(dir, 'h2o.conf'),
    `user: root
pid-file: ${dir}/h2o.pid
error-log: ${dir}/error.log
access-log:
  path: ${log}
  format: '${FORMAT}'
# Global only in h2o 2.2: every HTTP/1 listener drops a connection idle for 1 s (the scenarios on the
# other listeners never idle that long).
http1-request-timeout: 1
file.mime.addtypes:
  text/plain: .txt
hosts:
  "plain":
    listen: { host: 127.0.0.1, port: ${plain} }
${paths}
  "idle":
    listen: { host: 127.0.0.1, port: ${idle} }
${paths}
  "tls":
    listen:
      host: 127.0.0.1
      port: ${tls}
      ssl: { certificate-file: ${cert}, key-file: ${key} }
${paths}
`,
  )
  const proc = await startProcess({
    name: 'h2o',
    command: bin,
    args: ['-c', join(dir, 'h2o.conf')],
    dir,
    ports: [plain!, idle!, tls!],
  })
  return {
    name: 'h2o',
    origins: {
      plain: `http://127.0.0.1:${plain}`,
      idle: `http://127.0.0.1:${idle}`,
      tls: `https://127.0.0.1:${tls}`,
    },
    limit: 0,
    idleMs: 1000,
    idleCloser: 'server',
    codings: ['gzip', 'br'],
    pipelining: true,
    h2: true,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        const m = LINE.exec(l)
        if (!m) return []
        const index = m[3] === '-' ? undefined : +m[3]!
        return [
          {
            port: +m[1]!,
            connection: m[2]!,
            nth: index,
            status: +m[4]!,
            method: m[5]!,
            path: m[6]!,
            protocol: m[7]!,
          },
        ]
      }),
    stop: () => proc.stop(),
  }
}
