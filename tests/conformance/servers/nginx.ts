import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

// nginx's own connection serial number, its count of requests on that connection, whether the
// request was pipelined ("p") and whether the TLS session was resumed ("r").
const FORMAT = `'$remote_port $connection $connection_requests $pipe $ssl_session_reused $status "$request"'`
const LINE = /^(\d+) (\d+) (\d+) ([p.]) (\S*) (\d+) "(\S+) (\S+) (\S+)"$/

export async function startNginx(): Promise<Conformant> {
  const bin = requireBinary('nginx')
  const dir = workDir('nginx')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  mkdirSync(join(dir, 'tmp'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  const [plain, limit, idle, tls, tlsLimit] = await freePorts(5)
  const log = join(dir, 'access.log')
  const site = (port: number | undefined, extra: string) => `
    server {
      listen 127.0.0.1:${port}${extra.includes('ssl_') ? ' ssl http2' : ''};
      ${extra}
      location / { root ${dir}/www; try_files /page.txt =404; }
    }`
  const tlsFiles = `ssl_certificate ${cert}; ssl_certificate_key ${key}; ssl_session_cache shared:tls:1m;`
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
    master_process on;
    worker_processes 1;
    user root;
    pid ${dir}/nginx.pid;
    error_log ${dir}/error.log warn;
    events { worker_connections 512; }
    http {
      default_type text/plain;
      log_format truth ${FORMAT};
      access_log ${log} truth;
      client_body_temp_path ${dir}/tmp/body;
      proxy_temp_path ${dir}/tmp/proxy;
      fastcgi_temp_path ${dir}/tmp/fastcgi;
      uwsgi_temp_path ${dir}/tmp/uwsgi;
      scgi_temp_path ${dir}/tmp/scgi;
      keepalive_requests 1000;
      keepalive_timeout 60s;
      gzip on; gzip_types text/plain; gzip_min_length 0;
      ${site(plain, '')}
      ${site(limit, 'keepalive_requests 3;')}
      ${site(idle, 'keepalive_timeout 1s;')}
      ${site(tls, tlsFiles)}
      ${site(tlsLimit, `${tlsFiles} keepalive_requests 3;`)}
    }\n`,
  )
  const proc = await startProcess({
    name: 'nginx',
    command: bin,
    args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    dir,
    ports: [plain!, limit!, idle!, tls!, tlsLimit!],
  })
  return {
    name: 'nginx',
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
    codings: ['gzip'],
    pipelining: true,
    h2: true,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        const m = LINE.exec(l)
        if (!m) return []
        return [
          {
            port: +m[1]!,
            connection: m[2]!,
            nth: +m[3]!,
            pipelined: m[4] === 'p',
            resumed: m[5] === '-' || m[5] === '' ? undefined : m[5] === 'r',
            status: +m[6]!,
            method: m[7]!,
            path: m[8]!,
            protocol: m[9]!,
          },
        ]
      }),
    stop: () => proc.stop(),
  }
}
