import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { selfSigned } from '../harness/certs'
import { freePorts, requireBinary, startProcess, workDir } from '../harness/process'
import { lines, type Hit } from '../harness/truth'
import { PAGE, type Conformant } from './types'

const MODULES = [
  'mpm_event',
  'authz_core',
  'mime',
  'alias',
  'filter',
  'deflate',
  'brotli',
  'headers',
  'ssl',
  'socache_shmcb',
  'http2',
]
// %{remote}p: client port; %k: keep-alive requests handled on this connection before this one;
// %{c}L: the connection's log id (mod_unique_id makes one for every connection).
const FORMAT = '"%{remote}p %{c}L %k %>s \\"%r\\" %H"'
const LINE = /^(\d+) (\S+) (\d+) (\d+) "(\S+) (\S+) (\S+)" (\S+)$/

/** Apache httpd (event MPM) with a vhost per profile; h2 over TLS via mod_http2. */
export async function startApache(): Promise<Conformant> {
  const bin = requireBinary('apache2')
  const dir = workDir('apache')
  const { cert, key } = selfSigned(dir)
  mkdirSync(join(dir, 'www'))
  writeFileSync(join(dir, 'www/page.txt'), PAGE)
  // mod_http2 has no per-connection stream total (MaxKeepAliveRequests is HTTP/1 only): no tlsLimit.
  const [plain, limit, idle, tls, hint] = await freePorts(5)
  const log = join(dir, 'access.log')
  const tlsOn = `SSLEngine on\n  SSLCertificateFile ${cert}\n  SSLCertificateKeyFile ${key}\n  Protocols h2 http/1.1`
  const vhost = (port: number | undefined, extra: string) =>
    `Listen 127.0.0.1:${port}\n<VirtualHost 127.0.0.1:${port}>\n  ${extra}\n</VirtualHost>`
  writeFileSync(
    join(dir, 'httpd.conf'),
    `${MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
LoadModule unique_id_module /usr/lib/apache2/modules/mod_unique_id.so
ServerName 127.0.0.1
ServerRoot ${dir}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
SSLSessionCache shmcb:${dir}/ssl_scache(512000)
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
KeepAlive On
MaxKeepAliveRequests 1000
KeepAliveTimeout 60
TypesConfig /etc/mime.types
DocumentRoot ${dir}/www
<Directory ${dir}/www>
  Require all granted
</Directory>
AliasMatch "^/.*" "${dir}/www/page.txt"
<Directory ${dir}/www>
  # brotli where the client accepts it, gzip otherwise (mod_brotli's documented order)
  SetOutputFilter BROTLI_COMPRESS;DEFLATE
</Directory>
LogFormat ${FORMAT} truth
CustomLog ${log} truth
${vhost(plain, '')}
${vhost(limit, 'MaxKeepAliveRequests 3')}
${vhost(idle, 'KeepAliveTimeout 1')}
${vhost(tls, tlsOn)}
${vhost(hint, 'KeepAliveTimeout 2')}
`,
  )
  const proc = await startProcess({
    name: 'apache2',
    command: bin,
    args: ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'],
    dir,
    ports: [plain!, limit!, idle!, tls!, hint!],
  })
  return {
    name: 'apache',
    origins: {
      plain: `http://127.0.0.1:${plain}`,
      limit: `http://127.0.0.1:${limit}`,
      idle: `http://127.0.0.1:${idle}`,
      tls: `https://127.0.0.1:${tls}`,
      hint: `http://127.0.0.1:${hint}`,
    },
    limit: 3,
    idleMs: 1000,
    idleCloser: 'client',
    codings: ['gzip', 'br'],
    pipelining: true,
    h2: true,
    hits: () =>
      lines(log).flatMap((l): Hit[] => {
        const m = LINE.exec(l)
        if (!m) return []
        return [
          {
            port: +m[1]!,
            connection: m[2] === '-' ? undefined : m[2]!.split('-')[0],
            // On h2, %k counts nothing (each stream is its own request): the log gives no count then.
            nth: m[8] === 'HTTP/2.0' ? undefined : +m[3]! + 1,
            status: +m[4]!,
            method: m[5]!,
            path: m[6]!,
            protocol: m[8]!,
          },
        ]
      }),
    stop: () => proc.stop(),
  }
}
