import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeHar } from '../../electron/cli/files'
import { historyHar, historyHarParts } from '../../electron/engine/har'
import { History } from '../../electron/engine/history'
import { connectionInfo, requestResult } from '../helpers/fixtures'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sockeye-har-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function history(n: number): History {
  const h = new History(10_000)
  for (let id = 1; id <= n; id++) {
    const result = requestResult({ id, startedWall: 1_700_000_000_000 + ((id * 7919) % n), socket: 1 })
    const data = Buffer.from(`{"n":${id}}`)
    h.add(result, { data, truncated: false, contentType: 'application/json', decodeError: null }, null)
  }
  return h
}

describe('--har written in chunks', () => {
  it.each([0, 1, 256, 257, 600])(
    'writes what JSON.stringify(har, null, 2) writes (%i requests)',
    async (n) => {
      const h = history(n)
      const connections = [connectionInfo({ id: 1 })]
      const path = join(dir, 'out.har')
      expect(await writeHar(path, historyHarParts(h, connections))).toBeNull()
      const expected = `${JSON.stringify(historyHar(h, connections), null, 2)}\n`
      expect(await readFile(path, 'utf8')).toBe(expected)
      expect(await readdir(dir)).toEqual(['out.har'])
    },
  )

  it('leaves no file and no temp file behind when the directory is missing', async () => {
    const path = join(dir, 'missing', 'out.har')
    expect(await writeHar(path, historyHarParts(history(3), []))).toMatch(/does not exist/)
    expect(await readdir(dir)).toEqual([])
  })
})
