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
