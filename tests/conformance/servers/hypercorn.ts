import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

// hypercorn's atoms: %(h)s is "address:port", %(R)s the request line with the query.
const FORMAT = '%(h)s %(s)s "%(R)s"'
// (after hypercorn's own "[date] [pid] [INFO] " prefix)
const LINE = / [\d.]+:(\d+) (\d+) "(\S+) (\S+) (\S+)"$/

/**
 * hypercorn with apps.py's ASGI app; h2 over TLS by ALPN. Over HTTP/1.1 this hypercorn ends the
 * connection (FIN) after every response without saying `Connection: close` (curl, too, writes its
 * next request into that closed socket and retries): its plain listener is the `close` profile.
 */
export async function startHypercorn(): Promise<Conformant> {
  const bin = requireBinary('hypercorn')
  const dir = workDir('hypercorn')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const [plain, tls] = await freePorts(2)
  const log = join(dir, 'access.log')
  const proc = await startProcess({
    name: 'hypercorn',
    command: bin,
    args: [
      `--insecure-bind=127.0.0.1:${plain}`,
      `--bind=127.0.0.1:${tls}`,
      `--certfile=${cert}`,
      `--keyfile=${key}`,
      '--workers=1',
      '--keep-alive=1',
      `--access-logfile=${log}`,
      `--access-logformat=${FORMAT}`,
      'apps:asgi',
    ],
    dir,
    ports: [plain!, tls!],
    env: { SOCKEYE_WWW: join(dir, 'www'), PYTHONPATH: __dirname, PYTHONDONTWRITEBYTECODE: '1' },
  })
  return {
    name: 'hypercorn',
    origins: { close: `http://127.0.0.1:${plain}`, tls: `https://127.0.0.1:${tls}` },
    limit: 0,
    idleMs: 1000,
    idleCloser: 'server',
    codings: [],
    pipelining: false,
    h2: true,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        const m = LINE.exec(l)
        if (!m) return []
        return [{ port: +m[1]!, status: +m[2]!, method: m[3]!, path: m[4]!, protocol: `HTTP/${m[5]!}` }]
      }),
    stop: async () => {
      await proc.stop()
    },
  }
}
