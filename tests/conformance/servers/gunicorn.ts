import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePorts, requireBinary, startProcess, workDir, type ServerProcess } from '../harness/process'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

// gunicorn's atoms: the WSGI environ's REMOTE_PORT, the status, the request line.
const FORMAT = '%({remote_port}e)s %(s)s "%(r)s"'
const LINE = /^(\d+) (\d+) "(\S+) (\S+) (\S+)"$/

/**
 * gunicorn with apps.py's WSGI app, twice: the sync worker (`Connection: close` after every
 * response: the close profile) and the gthread worker (keep-alive, 1 s idle timeout: plain and idle).
 */
export async function startGunicorn(): Promise<Conformant> {
  const bin = requireBinary('gunicorn')
  const dir = workDir('gunicorn')
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const [close, keep] = await freePorts(2)
  const log = join(dir, 'access.log')
  const procs: ServerProcess[] = []
  const start = (name: string, port: number, worker: string[]) =>
    startProcess({
      name,
      command: bin,
      args: [
        `--bind=127.0.0.1:${port}`,
        '--workers=1',
        ...worker,
        `--chdir=${__dirname}`,
        `--pid=${join(dir, `${name}.pid`)}`,
        `--worker-tmp-dir=${dir}`,
        `--access-logfile=${log}`,
        `--access-logformat=${FORMAT}`,
        `--error-logfile=${join(dir, `${name}.error.log`)}`,
        'apps:app',
      ],
      dir,
      ports: [port],
      env: { SOCKEYE_WWW: join(dir, 'www'), PYTHONDONTWRITEBYTECODE: '1' },
    })
  const stop = async () => {
    for (const p of procs.splice(0)) await p.stop()
  }
  try {
    procs.push(await start('sync', close!, ['--worker-class=sync']))
    procs.push(await start('gthread', keep!, ['--worker-class=gthread', '--threads=8', '--keep-alive=1']))
  } catch (err) {
    await stop()
    throw err
  }
  return {
    name: 'gunicorn',
    origins: {
      close: `http://127.0.0.1:${close}`,
      plain: `http://127.0.0.1:${keep}`,
      idle: `http://127.0.0.1:${keep}`,
    },
    limit: 0,
    // gthread retires idle keep-alive connections from its poll loop (1 s ticks): up to 2 s.
    idleMs: 2000,
    idleCloser: 'server',
    codings: ['deflate'],
    pipelining: false,
    h2: false,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        const m = LINE.exec(l)
        if (!m) return []
        return [{ port: +m[1]!, status: +m[2]!, method: m[3]!, path: m[4]!, protocol: m[5]! }]
      }),
    stop,
  }
}
