import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { rawRequest } from './serve.client'

const START = resolve(__dirname, '../../scripts/start.js')

describe('npm start without the Electron binary', () => {
  it('says so in one line and starts browser mode instead', async () => {
    const env = {
      ...process.env,
      // Make the binary absent even where it is installed, and never try GitHub from a test.
      ELECTRON_OVERRIDE_DIST_PATH: resolve(__dirname, 'no-electron-here'),
      SOCKEYE_NO_DOWNLOAD: '1',
      BROWSER: 'none',
    }
    const child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    let out = ''
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out)
          if (found) resolveUrl(found[0])
        })
        child.on('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}${err}`)))
      })
      const notes = out.split('\n').filter((line) => line.includes('Electron binary'))
      expect(notes).toEqual([
        'sockeye: the Electron binary is not installed and could not be fetched (download skipped); starting browser mode instead',
      ])
      const { port, pathname, search } = new URL(url)
      const page = await rawRequest(Number(port), `${pathname}${search}`)
      expect(page.status).toBe(200)
      expect(err).not.toMatch(/\n\s+at /) // no stack trace
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  })
})
