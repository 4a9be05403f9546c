/**
 * The built command (out/main/cli.js via bin/sockeye.js) imports a curl file, exports it, and opens
 * a HAR: curlconverter's WASM shell parser loads from the bundle, and `-d @-` reads a real pipe.
 */
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startHttpServer } from '../helpers/servers'
import { tempDirs } from '../helpers/tmp'

const root = resolve(__dirname, '../..')
const temp = tempDirs('formats-spawn')

function sockeye(args: string[], cwd: string, stdin?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = execFile(
      process.execPath,
      [resolve(root, 'bin/sockeye.js'), ...args],
      { cwd, timeout: 15_000 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0
        done({ code: typeof code === 'number' ? code : -1, stdout, stderr })
      },
    )
    child.stdin?.end(stdin ?? '')
  })
}

describe('the built sockeye import / export / open', () => {
  it('imports a curl file, exports it and opens the HAR of a run', async () => {
    if (!existsSync(resolve(root, 'out/main/cli.js')))
      throw new Error('out/main/cli.js is missing: run npm run build first')
    const dir = temp()
    const server = await startHttpServer()
    try {
      writeFileSync(join(dir, 'c.sh'), `curl -H 'X-A: 1' \\\n  --data-urlencode 'q=a b' ${server.url}/f\n`)
      const imported = await sockeye(['import', 'c.sh', '--into', 'col'], dir)
      expect([imported.code, imported.stderr]).toEqual([0, ''])
      const exported = await sockeye(['export', 'col', '--curl'], dir)
      expect(exported.stdout).toBe(
        `# POST -f.yml\ncurl ${server.url}/f -H 'X-A: 1' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary q=a+b\n`,
      )
      const run = await sockeye(
        ['-d', '@-', '--har', 'run.har', `${server.url}/a`, `${server.url}/b`],
        dir,
        'piped',
      )
      expect(run.code).toBe(0)
      const opened = await sockeye(['open', 'run.har'], dir)
      expect(opened.code).toBe(0)
      expect(opened.stdout).toMatch(/#1 +POST .*\/a .* socket #1 new \(first\)/)
      expect(opened.stdout).toMatch(/#2 +POST .*\/b .* socket #1 reused \(2nd request\)/)
    } finally {
      await server.close()
    }
  })
})
