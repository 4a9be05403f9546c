// `sockeye serve` for the browser benchmarks (bench-ui.js, bench-lanes.js): the built app in its own
// process on a free port, with a throwaway UI state directory.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** `sockeye serve` on a free port; resolves with its URL (printed on its first line) and the process. */
export function startServe(stateDir) {
  const child = spawn(process.execPath, [join(root, 'bin/sockeye.js'), 'serve', '--port', '0'], {
    env: { ...process.env, SOCKEYE_STATE_DIR: stateDir, BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1]
      if (url) resolve({ url, child })
    })
    child.stderr.on('data', (chunk) => process.stderr.write(chunk))
    child.once('exit', (code) => reject(new Error(`sockeye serve exited (${code}) before printing its URL`)))
  })
}
