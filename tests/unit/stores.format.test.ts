import { describe, expect, it } from 'vitest'
import { formatCount, newSocketText, reuseText } from '../../renderer/src/composables/format'

describe('reuse and new-socket sentences', () => {
  it('tells an idle socket, an h2 stream and a pipelined request apart', () => {
    expect(reuseText({ kind: 'idle', inFlight: 0, behind: null })).toBe('Reused an idle keep-alive socket.')
    expect(reuseText({ kind: 'multiplexed', inFlight: 2, behind: null })).toBe(
      'Multiplexed as a new HTTP/2 stream beside 2 other streams in flight.',
    )
    expect(reuseText({ kind: 'pipelined', inFlight: 1, behind: 7 })).toBe(
      'Pipelined on a busy socket, written behind req 7.',
    )
  })

  it('explains the new reasons without saying the user asked for it', () => {
    expect(newSocketText('settings-changed')).not.toMatch(/you asked/i)
    expect(newSocketText('goaway')).toContain('GOAWAY')
  })
})

describe('formatCount', () => {
  it('groups thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 10_000, 12_345, 600_000, 1_234_567, -1234, 1234.5])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US', { maximumFractionDigits: 20 }))
  })
})
