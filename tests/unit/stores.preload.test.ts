import { describe, expect, it } from 'vitest'
import { fromPreload } from '../../renderer/src/api/current'
import { ApiError, errorLine } from '../../renderer/src/api/errors'
import type { SockeyeApi } from '../../renderer/src/api/contract'

describe('preload API wrapper', () => {
  it('turns a plain {code, phase, message} rejection from contextBridge into an ApiError', async () => {
    const api = {
      snapshot: () =>
        Promise.reject({ name: 'SockeyeError', code: 'FORBIDDEN', phase: 'input', message: 'no' }),
      onEvents: () => () => {},
    } as unknown as SockeyeApi
    const err = await fromPreload(api)
      .snapshot({})
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(errorLine(err)).toBe('FORBIDDEN (input): no')
  })

  it('passes values and onEvents through untouched', async () => {
    const onEvents = () => () => {}
    const api = { clearHistory: () => Promise.resolve({}), onEvents } as unknown as SockeyeApi
    const wrapped = fromPreload(api)
    expect(await wrapped.clearHistory({})).toEqual({})
    expect(wrapped.onEvents).toBe(onEvents)
  })
})
