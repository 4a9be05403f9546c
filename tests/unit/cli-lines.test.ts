import { setImmediate as turn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { LineBuffer } from '../../electron/cli/lines'

const recorder = () => {
  const writes: string[] = []
  return { writes, write: (chunk: string) => writes.push(chunk) }
}

describe('request lines written per turn', () => {
  it('writes the lines of one turn in one write, and nothing before the turn ends', async () => {
    const out = recorder()
    const lines = new LineBuffer(out)
    for (let i = 1; i <= 3; i++) lines.push(`line ${i}`)
    expect(out.writes).toEqual([])
    await turn()
    expect(out.writes).toEqual(['line 1\nline 2\nline 3\n'])
  })

  it('writes at once when asked (before a line goes to stderr, and at the end)', () => {
    const out = recorder()
    const lines = new LineBuffer(out)
    lines.push('before the failure')
    lines.flush()
    lines.flush()
    expect(out.writes).toEqual(['before the failure\n'])
  })

  it('does not gather more than 64 KiB before writing', () => {
    const out = recorder()
    const lines = new LineBuffer(out)
    const line = 'x'.repeat(1023)
    for (let i = 0; i < 64; i++) lines.push(line)
    expect(out.writes).toHaveLength(1)
    expect(out.writes[0]).toHaveLength(64 * 1024)
  })
})
