import { describe, expect, it } from 'vitest'
import { bodyForUi } from '../../electron/host/body-wire'

describe('bodies on the way to the UI', () => {
  it('sends text as base64 too, so control bytes are not escaped into a frame six times larger', () => {
    const control = '\u0001'.repeat(1000)
    const wire = bodyForUi({
      requestId: 1,
      encoding: 'utf8',
      data: control,
      bytes: 1000,
      truncated: false,
      contentType: 'text/plain',
      decodeError: null,
    })
    expect(wire).toMatchObject({ encoding: 'base64', text: true })
    expect(JSON.stringify(wire).length).toBeLessThan(1500)
    expect(Buffer.from(wire.data, 'base64').toString('utf8')).toBe(control)
  })

  it('marks binary bodies as not text and leaves their bytes alone', () => {
    const wire = bodyForUi({
      requestId: 1,
      encoding: 'base64',
      data: 'AAE=',
      bytes: 2,
      truncated: false,
      contentType: null,
      decodeError: null,
    })
    expect(wire).toMatchObject({ encoding: 'base64', data: 'AAE=', text: false })
  })
})

describe('body slices', () => {
  it('answers a large body in slices whose bytes join to the whole', async () => {
    const { createHost } = await import('../../electron/host/host')
    const { fakeEngine } = await import('./host.fake')
    const { LIMITS } = await import('../../electron/contract/limits')
    const whole = Buffer.alloc(LIMITS.bodySliceBytes * 2 + 10, 7)
    const fake = fakeEngine()
    fake.engine.getBody = () => ({
      requestId: 1,
      encoding: 'base64',
      data: whole.toString('base64'),
      bytes: whole.length,
      truncated: false,
      contentType: null,
      decodeError: null,
    })
    const host = createHost(fake.engine)
    const parts: Buffer[] = []
    let offset = 0
    while (offset < whole.length) {
      const result = await host.call('getBody', offset === 0 ? { requestId: 1 } : { requestId: 1, offset })
      if (!result.ok) throw new Error(result.error.message)
      const slice = result.value as { data: string; bytes: number; offset: number }
      expect(slice.bytes).toBe(whole.length)
      expect(slice.offset).toBe(offset)
      const part = Buffer.from(slice.data, 'base64')
      expect(part.length).toBeLessThanOrEqual(LIMITS.bodySliceBytes)
      parts.push(part)
      offset += part.length
    }
    expect(parts).toHaveLength(3)
    expect(Buffer.concat(parts).equals(whole)).toBe(true)
    expect(await host.call('getBody', { requestId: 1, offset: 4 })).toMatchObject({ ok: false })
    await host.close()
  })
})

describe('HAR export in slices', () => {
  it('reads a HAR larger than one slice in pieces that join to the document', async () => {
    const { createHost } = await import('../../electron/host/host')
    const { fakeEngine } = await import('./host.fake')
    const { LIMITS } = await import('../../electron/contract/limits')
    const fake = fakeEngine()
    const big = {
      log: {
        version: '1.2',
        creator: { name: 'x', version: '1' },
        entries: [],
        pad: 'p'.repeat(LIMITS.harSliceChars * 2),
      },
    }
    fake.engine.toHar = () => big as never
    const host = createHost(fake.engine)
    const parts: string[] = []
    let offset = 0
    for (;;) {
      const result = await host.call('exportHar', offset === 0 ? {} : { offset })
      if (!result.ok) throw new Error(result.error.message)
      const slice = result.value as { har: string; offset: number; total: number }
      expect(slice.har.length).toBeLessThanOrEqual(LIMITS.harSliceChars)
      parts.push(slice.har)
      offset = slice.offset + slice.har.length
      if (offset >= slice.total) break
    }
    expect(parts.length).toBe(3)
    expect(JSON.parse(parts.join(''))).toEqual(big)
    // Finished: reading on without starting again is refused in one line.
    expect(await host.call('exportHar', { offset: 5 })).toMatchObject({
      ok: false,
      error: { message: 'exportHar: no export in progress; start again from the beginning' },
    })
    await host.close()
  })
})
