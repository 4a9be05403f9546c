import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const script = join(root, 'scripts/security.js')
const dirs: string[] = []

/** `npm run security` on the given inputs: exit code and output. */
async function security(...inputs: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [script, ...inputs], {
      cwd: root,
      timeout: 60_000,
    })
    return { code: 0, out: stdout + stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('npm run security (electronegativity)', () => {
  it('passes on Sockeye’s main and preload sources', async () => {
    const { code, out } = await security()
    expect(out).toMatch(/: \d+ findings, 0 high, 0 unparsed files: OK/)
    expect(code).toBe(0)
  })

  it('fails on a window without context isolation, one finding per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sockeye-insecure-'))
    dirs.push(dir)
    writeFileSync(
      join(dir, 'main.js'),
      "const { BrowserWindow } = require('electron')\n" +
        'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } })\n',
    )
    const { code, out } = await security(dir)
    expect(code).toBe(1)
    expect(out).toMatch(/^HIGH +\w+ +CONTEXT_ISOLATION_JS_CHECK {2}.*main\.js:2:\d+ {2}\S/m)
    expect(out).toMatch(/FAILED$/m)
  })
})
