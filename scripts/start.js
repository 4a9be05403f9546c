#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, else browser mode.
// `require('electron')` is deliberately avoided: it downloads the binary when missing, which
// fails (slowly) without internet. The binary's presence is read from the files its installer writes.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')

/** Where electron's own index.js would look, without its download fallback. */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron')
  const pathFile = join(dir, 'path.txt')
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron')
  }
  return name ? join(dir, 'dist', name) : null
}

/** Run a command with our stdio; resolves with its exit code (signals count as failure). */
function run(command, args) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
    // Ctrl+C reaches the child through the terminal's process group; we only wait for it.
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
    child.on('error', (err) => {
      process.stderr.write(`sockeye: could not run ${command}: ${err.message}\n`)
      resolvePromise(1)
    })
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)))
  })
}

const built = (...files) => files.every((f) => existsSync(join(root, 'out', f)))

async function main() {
  const binary = electronBinary()
  if (binary && existsSync(binary)) {
    const args = [electronVite, 'preview']
    // electron-vite preview builds first; skip that when a build is already there.
    if (built('main/index.js', 'preload/index.cjs', 'renderer/index.html')) args.push('--skipBuild')
    return run(process.execPath, args)
  }
  process.stdout.write(
    'sockeye: the Electron binary is not installed (run `npx electron --version` with internet to fetch it); ' +
      'starting browser mode instead\n',
  )
  if (!built('main/cli.js', 'renderer/index.html')) {
    const code = await run(process.execPath, [electronVite, 'build'])
    if (code !== 0) return code
  }
  return run(process.execPath, [join(root, 'bin', 'sockeye.js'), 'serve', '--open'])
}

process.exitCode = await main()
