#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, else browser mode.
// Electron >= 45 has no install script, so the first start fetches the binary with Electron's own
// installer (node_modules/electron/install.js); where that cannot reach GitHub (offline, mirrors
// without Electron), one line says so and browser mode starts instead. `require('electron')` is
// avoided: its download fallback throws a stack trace. Presence is read from the installer's files.
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

/** Run Electron's own installer once; resolves with the first line of its error, or null on success. */
function downloadElectron() {
  process.stdout.write('sockeye: fetching the Electron binary (first start only)…\n')
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
      cwd: join(root, 'node_modules', 'electron'),
      stdio: ['ignore', 'inherit', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', (err) => resolvePromise(err.message))
    child.on('exit', (code) => {
      const first = stderr.split('\n').find((line) => line.trim()) ?? `installer exited with ${code}`
      resolvePromise(code === 0 ? null : first.trim())
    })
  })
}

const built = (...files) => files.every((f) => existsSync(join(root, 'out', f)))

const installed = () => {
  const binary = electronBinary()
  return binary !== null && existsSync(binary)
}

async function main() {
  let failure = null
  if (!installed() && !process.env.SOCKEYE_NO_DOWNLOAD) failure = await downloadElectron()
  if (installed()) {
    const args = [electronVite, 'preview']
    // electron-vite preview builds first; skip that when a build is already there.
    if (built('main/index.js', 'preload/index.cjs', 'renderer/index.html')) args.push('--skipBuild')
    return run(process.execPath, args)
  }
  process.stdout.write(
    `sockeye: the Electron binary is not installed and could not be fetched (${failure ?? 'download skipped'}); ` +
      'starting browser mode instead\n',
  )
  if (!built('main/cli.js', 'renderer/index.html')) {
    const code = await run(process.execPath, [electronVite, 'build'])
    if (code !== 0) return code
  }
  // BROWSER=none (the convention of Vite and create-react-app) prints the URL without opening it.
  const open = process.env.BROWSER === 'none' ? [] : ['--open']
  return run(process.execPath, [join(root, 'bin', 'sockeye.js'), 'serve', ...open])
}

process.exitCode = await main()
