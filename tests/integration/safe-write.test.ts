/**
 * Writes never replace what is not a regular file, and a writer killed mid-save leaves the old
 * or the new file, never a partial one.
 */
import { execFileSync, spawn } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { writeFileSafe } from '../../electron/workspace/files'
import { tempDirs } from '../helpers/tmp'
import { cli, server, useCliHarness } from './cli.harness'

useCliHarness()
const tmp = tempDirs('write')

describe('sockeye --har onto something that is not a regular file', () => {
  it('refuses /dev/null before sending anything, and /dev/null stays a device', async () => {
    const s = await server()
    const r = await cli(['--har', '/dev/null', `${s.url}/`])
    expect(r.code).toBe(2)
    expect(r.errors).toEqual([
      'sockeye: --har /dev/null is a device; refusing to replace it (give a regular file name)',
    ])
    expect(s.connections()).toBe(0)
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
  })

  it('refuses a FIFO and a symlink, leaving both (and the link target) as they were', async () => {
    const s = await server()
    const dir = tmp()
    const fifo = join(dir, 'pipe.har')
    execFileSync('mkfifo', [fifo])
    const target = join(dir, 'target.txt')
    writeFileSync(target, 'keep me')
    const link = join(dir, 'link.har')
    symlinkSync(target, link)
    for (const [path, kind] of [
      [fifo, 'a FIFO (named pipe)'],
      [link, 'a symbolic link'],
    ] as const) {
      const r = await cli(['--har', path, `${s.url}/`])
      expect(r.code).toBe(2)
      expect(r.errors).toEqual([
        `sockeye: --har ${path} is ${kind}; refusing to replace it (give a regular file name)`,
      ])
    }
    expect(s.connections()).toBe(0)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
  })

  it('still writes a HAR to a regular file', async () => {
    const s = await server()
    const file = join(tmp(), 'run.har')
    writeFileSync(file, 'old')
    const r = await cli(['--har', file, `${s.url}/`])
    expect(r.code).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8')).log.entries).toHaveLength(1)
  })
})

describe('writeFileSafe', () => {
  it('refuses a directory, a FIFO and a symlink with one line', async () => {
    const dir = tmp()
    execFileSync('mkfifo', [join(dir, 'f')])
    symlinkSync('/etc/hostname', join(dir, 'l'))
    await expect(writeFileSafe(dir, 'x')).rejects.toThrow(/is a directory; refusing/)
    await expect(writeFileSafe(join(dir, 'f'), 'x')).rejects.toThrow(/is a FIFO \(named pipe\); refusing/)
    await expect(writeFileSafe(join(dir, 'l'), 'x')).rejects.toThrow(/is a symbolic link; refusing/)
  })

  it('leaves the old or the new file when the writer is killed (SIGKILL) mid-save', async () => {
    const dir = tmp()
    const file = join(dir, 'big.yml')
    const old = `${'o'.repeat(1024)}\n`.repeat(1024) // 1 MiB of old content
    writeFileSync(file, old)
    const size = 64 * 1024 * 1024
    // A child that saves 64 MiB with the real writer (bundled by esbuild: Node 20 runs no TS),
    // prints when it starts, and is killed.
    const writer = join(dir, 'writer.cjs')
    await build({
      entryPoints: [resolve('electron/workspace/files.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: writer,
      logLevel: 'silent',
    })
    const script = `
      const { writeFileSafe } = require(${JSON.stringify(writer)})
      const data = Buffer.alloc(${size}, 'n')
      process.stdout.write('start\\n')
      writeFileSafe(${JSON.stringify(file)}, data).then(() => process.stdout.write('done\\n'))
    `
    const outcomes = { old: 0, new: 0 }
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, ['-e', script], {
        cwd: resolve('.'),
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (d: Buffer) => d.includes('start') && done())
        child.on('exit', (code) => fail(new Error(`writer exited (${code}) before starting`)))
      })
      // Kill once the temp file exists and is growing: the save is under way.
      await waitFor(() =>
        readdirSync(dir).some((n) => n.startsWith('big.yml.') && statSync(join(dir, n)).size > 0),
      )
      child.kill('SIGKILL')
      await new Promise((done) => child.on('exit', done))
      const content = readFileSync(file)
      if (content.length === size) outcomes.new++
      else {
        expect(content.toString()).toBe(old)
        outcomes.old++
      }
    }
    expect(outcomes.old + outcomes.new).toBe(3)
    // The kill landed before the rename at least once (the test exercised a partial temp file).
    expect(outcomes.old).toBeGreaterThan(0)
  }, 60_000)
})

async function waitFor(ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('the writer never started writing')
    await new Promise((r) => setImmediate(r))
  }
}
