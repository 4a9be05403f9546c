// A real nginx for the benchmarks: 127.0.0.1 on a free port, config and logs in a temp dir,
// stopped by its PID. Keep-alive is unlimited so the sequential runs measure one socket's reuse.
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NGINX = '/usr/sbin/nginx'

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/** Start nginx serving `body` at `/`; resolves with its URL and a `stop()`. */
export async function startNginx({ body = '{"ok":true,"msg":"hello from nginx"}\n' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sockeye-nginx-'))
  // Run as root, nginx's workers drop to `nobody`: they must be able to read the document root.
  chmodSync(dir, 0o755)
  const port = await freePort()
  writeFileSync(join(dir, 'index.json'), body, { mode: 0o644 })
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:${port};
    root ${dir};
    location / { default_type application/json; try_files /index.json =404; }
  }
}
`,
  )
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const url = `http://127.0.0.1:${port}/`
  const deadline = Date.now() + 5000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr.trim() || readLog(dir)}`)
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.ok) break
      child.kill('SIGKILL')
      throw new Error(`nginx answered ${res.status}: ${readLog(dir)}`)
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('nginx answered')) throw err
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error('nginx did not answer within 5 s')
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        process.kill(child.pid, 'SIGQUIT')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function readLog(dir) {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8').trim().split('\n').pop()
  } catch {
    return 'no error log'
  }
}
