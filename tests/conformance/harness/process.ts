/**
 * Real server processes for the conformance suite: each binary is checked with `which` (missing means
 * the machine was not set up with `.ci/run`: a failure, never a skip), started on 127.0.0.1 on a free
 * port with every file it writes (config, pid, logs, temp) in one temporary directory, and stopped by
 * its PID. Nothing here ever talks to another address.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Absolute path of `name`, or a thrown one-line error naming the fix. */
export function requireBinary(name: string): string {
  const found = spawnSync('which', [name], { encoding: 'utf8' })
  const path = found.stdout.trim()
  if (found.status !== 0 || !path) {
    throw new Error(`${name} is not installed: run .ci/run (it installs the conformance servers from Debian)`)
  }
  return path
}

/** A port on 127.0.0.1 that was free a moment ago (the kernel picked it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < n) ports.add(await freePort())
  return [...ports]
}

/** A temporary directory readable by a server's unprivileged workers (they run as nobody/www-data). */
export function workDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sockeye-conf-${name}-`))
  chmodSync(dir, 0o755)
  return dir
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

export interface ServerProcess {
  name: string
  pid: number
  dir: string
  /** What the process wrote to stdout and stderr (some servers log there). */
  output(): string
  stop(): Promise<void>
}

/**
 * Start `command args…` in `dir` and resolve once every port in `ports` accepts connections. A
 * process that exits first, or ports still closed after `readyMs`, is an error that quotes the
 * server's own output.
 */
export async function startProcess(options: {
  name: string
  command: string
  args: string[]
  dir: string
  ports: number[]
  env?: Record<string, string>
  readyMs?: number
}): Promise<ServerProcess> {
  // stdout and stderr go to a file, not a pipe: a server that logs to stdout with non-blocking
  // writes (haproxy's `log stdout`) drops lines when a pipe is full, never when a file is.
  const file = join(options.dir, 'output.log')
  const fd = openSync(file, 'a')
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.dir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', fd, fd],
  })
  closeSync(fd)
  let spawnError = ''
  const output = () => readFileSync(file, 'utf8') + spawnError
  let exited: number | null | undefined
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code
      resolve()
    }),
  )
  child.once('error', (err) => (spawnError = `\nspawn failed: ${err.message}`))
  const deadline = Date.now() + (options.readyMs ?? 10_000)
  const stop = async (): Promise<void> => {
    if (exited !== undefined || !child.pid) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await gone
    clearTimeout(timer)
  }
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`${options.name} exited (${exited}) before listening:\n${output().slice(-2000)}`)
    }
    const ready = await Promise.all(options.ports.map(accepts))
    if (ready.every(Boolean)) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(
        `${options.name} did not listen on ${options.ports.join(', ')}:\n${output().slice(-2000)}`,
      )
    }
    // Polling a port a server is still binding: the cause is the server's start-up, bounded above.
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    name: options.name,
    pid: child.pid ?? 0,
    dir: options.dir,
    output,
    stop: async () => {
      await stop()
      rmSync(options.dir, { recursive: true, force: true })
    },
  }
}
