import { afterEach, describe, expect, it, vi } from 'vitest'
import { LineBuffer } from '../../electron/cli/lines'

const recorder = () => {
  const writes: string[] = []
  return { writes, write: (chunk: string) => writes.push(chunk) }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('request lines written together', () => {
  it('writes the lines of 16 ms in one write, across event-loop turns', () => {
    vi.useFakeTimers()
    const out = recorder()
    const lines = new LineBuffer(out)
    lines.push('line 1')
    vi.advanceTimersByTime(10)
    lines.push('line 2')
    expect(out.writes).toEqual([])
    vi.advanceTimersByTime(6)
    expect(out.writes).toEqual(['line 1\nline 2\n'])
    lines.push('line 3')
    vi.advanceTimersByTime(16)
    expect(out.writes).toEqual(['line 1\nline 2\n', 'line 3\n'])
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
