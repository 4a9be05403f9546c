import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir, type ServerProcess } from '../harness/process'
import { PYTHON } from '../harness/sockeye'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

const FORMAT = '$remote_port $alpn $status "$request"'
const LINE = /^(\d+) (\S+) (\d+) "(\S+) (\S+) (\S+)"$/

/**
 * nghttpx in front of Python's http.server (its backend). Its limits are per process, so two run:
 * one generous (plain, tls), one with --frontend-max-requests=3 and a 1 s HTTP/1 idle timeout
 * (limit, idle, tlsLimit). Both write one access log.
 */
export async function startNghttpx(): Promise<Conformant> {
  const bin = requireBinary('nghttpx')
  const dir = workDir('nghttpx')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const backendPorts = await freePorts(5)
  const [plain, tls, limit, idle, tlsLimit] = await freePorts(5)
  const log = join(dir, 'access.log')
  const procs: ServerProcess[] = []
  const stop = async () => {
    for (const p of procs.splice(0).reverse()) await p.stop()
  }
  try {
    const backendDir = join(dir, 'backend')
    mkdirSync(join(backendDir, 'www'), { recursive: true })
    writeFileSync(join(backendDir, 'www/page.txt'), PAGE)
    procs.push(
      await startProcess({
        name: 'http.server (nghttpx backend)',
        command: PYTHON,
        args: [resolve(__dirname, 'pyhttp.py'), backendDir, ...backendPorts.map(String), cert, key],
        dir: backendDir,
        ports: backendPorts,
      }),
    )
    const common = (name: string) => [
      '--conf=/dev/null',
      '--workers=1',
      `--backend=127.0.0.1,${backendPorts[0]}`,
      `--accesslog-file=${log}`,
      `--accesslog-format=${FORMAT}`,
      `--errorlog-file=${join(dir, `${name}.error.log`)}`,
      `--pid-file=${join(dir, `${name}.pid`)}`,
      '--no-ocsp',
      key,
      cert,
    ]
    procs.push(
      await startProcess({
        name: 'nghttpx',
        command: bin,
        args: [`--frontend=127.0.0.1,${plain};no-tls`, `--frontend=127.0.0.1,${tls}`, ...common('plain')],
        dir,
        ports: [plain!, tls!],
      }),
    )
    procs.push(
      await startProcess({
        name: 'nghttpx (limits)',
        command: bin,
        args: [
          `--frontend=127.0.0.1,${limit};no-tls`,
          `--frontend=127.0.0.1,${idle};no-tls`,
          `--frontend=127.0.0.1,${tlsLimit}`,
          '--frontend-max-requests=3',
          '--frontend-keep-alive-timeout=1s',
          ...common('limits'),
        ],
        dir,
        ports: [limit!, idle!, tlsLimit!],
      }),
    )
  } catch (err) {
    await stop()
    throw err
  }
  return {
    name: 'nghttpx',
    origins: {
      plain: `http://127.0.0.1:${plain}`,
      limit: `http://127.0.0.1:${limit}`,
      idle: `http://127.0.0.1:${idle}`,
      tls: `https://127.0.0.1:${tls}`,
      tlsLimit: `https://127.0.0.1:${tlsLimit}`,
    },
    limit: 3,
    idleMs: 1000,
    idleCloser: 'server',
    codings: [],
    pipelining: true,
    h2: true,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        const m = LINE.exec(l)
        if (!m) return []
        return [{ port: +m[1]!, status: +m[3]!, method: m[4]!, path: m[5]!, protocol: m[6]! }]
      }),
    stop,
  }
}
