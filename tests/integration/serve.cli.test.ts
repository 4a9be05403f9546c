import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { rawRequest } from './serve.client'

const BIN = resolve(__dirname, '../../bin/sockeye.js')

describe('sockeye serve (built CLI)', () => {
  it('prints a token URL whose page is served from out/renderer, and exits 0 on SIGINT', async () => {
    const started = performance.now()
    const child = spawn(process.execPath, [BIN, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out)
          if (found) resolveUrl(found[0])
        })
        child.on('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}`)))
      })
      console.info(
        `sockeye serve: process start to URL printed ${(performance.now() - started).toFixed(0)} ms`,
      )
      const { port, pathname, search } = new URL(url)
      const page = await rawRequest(Number(port), `${pathname}${search}`)
      expect(page.status).toBe(200)
      expect(page.body).toContain('<div id="app">')
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  })
})
