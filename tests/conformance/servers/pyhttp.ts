import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import { PYTHON } from '../harness/sockeye'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

/** `port conn nth status "METHOD path PROTO"`, as pyhttp.py logs each request. */
export const COUNTED = /^(\d+) (\S+) (\d+) (\d+) "(\S+) (\S+) (\S+)"$/

export function countedHits(log: string): Hit[] {
  return lines(log).flatMap((l): Hit[] => {
    const m = COUNTED.exec(l)
    if (!m) return []
    return [
      {
        port: +m[1]!,
        connection: m[2]!,
        nth: +m[3]!,
        status: +m[4]!,
        method: m[5]!,
        path: m[6]!,
        protocol: m[7]!,
      },
    ]
  })
}

/** Python's http.server (BaseHTTPRequestHandler) on five listeners; see pyhttp.py. */
export async function startPyHttp(): Promise<Conformant & { plainPort: number }> {
  requireBinary(PYTHON)
  const dir = workDir('pyhttp')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const ports = await freePorts(5)
  const [plain, limit, idle, http10, tls] = ports
  const proc = await startProcess({
    name: 'http.server',
    command: PYTHON,
    args: [resolve(__dirname, 'pyhttp.py'), dir, ...ports.map(String), cert, key],
    dir,
    ports,
  })
  return {
    name: 'http.server',
    plainPort: plain!,
    origins: {
      plain: `http://127.0.0.1:${plain}`,
      limit: `http://127.0.0.1:${limit}`,
      idle: `http://127.0.0.1:${idle}`,
      http10: `http://127.0.0.1:${http10}`,
      tls: `https://127.0.0.1:${tls}`,
    },
    limit: 3,
    idleMs: 1000,
    idleCloser: 'server',
    codings: [],
    pipelining: true,
    h2: false,
    hits: () => countedHits(join(dir, 'access.log')),
    stop: () => proc.stop(),
  }
}
