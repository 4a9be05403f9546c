import { describe, expect, it } from 'vitest'
import { parseArgv } from '../../electron/cli/args'
import { LIMITS, RANGES, parseCall } from '../../electron/contract'
import { createEngine } from '../../electron/engine'
import { createHost } from '../../electron/host/host'
import { fakeEngine } from './host.fake'

/** An array of `length` items that counts every item read: the proof that nothing walked it. */
function watchedArray(length: number, item: unknown): { list: unknown[]; reads: () => number } {
  let reads = 0
  const list = new Proxy(new Array<unknown>(length).fill(item), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++
      return Reflect.get(target, key, receiver)
    },
  })
  return { list, reads: () => reads }
}

const spec = (headers: unknown) => ({ method: 'GET', url: 'http://127.0.0.1:1/', headers, body: null })

describe('limits: sizes and counts are checked before contents', () => {
  it('refuses a 1.3-million-element header list without reading one item', () => {
    const { list, reads } = watchedArray(1_300_000, 0)
    const result = parseCall('send', { request: spec(list) })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_OPTION',
        phase: 'input',
        message: `send: request.headers: at most ${LIMITS.headers} headers`,
      },
    })
    expect(reads()).toBe(0)
  })

  it('refuses the same list at the host, where IPC and the WebSocket server validate', async () => {
    const host = createHost(fakeEngine().engine)
    const { list, reads } = watchedArray(1_300_000, ['a', 'b'])
    const result = await host.call('send', { request: spec(list) })
    await host.close()
    expect(result).toMatchObject({ ok: false, error: { message: /at most 500 headers/ } })
    expect(reads()).toBe(0)
  })

  it('accepts exactly the limit and refuses one more', () => {
    const ok = Array.from({ length: LIMITS.headers }, () => ['x', 'y'])
    expect(parseCall('send', { request: spec(ok) }).ok).toBe(true)
    expect(parseCall('send', { request: spec([...ok, ['x', 'y']]) }).ok).toBe(false)
  })

  it('refuses a settings patch with more fields than settings exist, naming the count', () => {
    const settings = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 1]))
    expect(parseCall('configurePool', { origin: 'http://a:1', settings })).toMatchObject({
      ok: false,
      error: { message: 'configurePool: settings: at most 32 fields' },
    })
  })

  it('refuses a call whose input has more fields than any call takes, before looking at them', () => {
    const input = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))
    expect(parseCall('snapshot', input)).toMatchObject({
      ok: false,
      error: { message: `snapshot: at most ${LIMITS.fields} fields` },
    })
  })

  it('reports the first problem only, not one per bad item', () => {
    const headers = Array.from({ length: LIMITS.headers }, () => 7)
    const result = parseCall('send', { request: spec(headers) })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toMatch(/^send: request\.headers\.0: /)
  })
})

describe('limits: one table read by the schema, the engine and the CLI', () => {
  const [, maxRepeat] = RANGES.repeat
  const [, maxConnections] = RANGES.connections

  it('gives the schema the ranges of the table', () => {
    expect(parseCall('send', { request: spec([]), repeat: maxRepeat }).ok).toBe(true)
    expect(parseCall('send', { request: spec([]), repeat: maxRepeat + 1 }).ok).toBe(false)
    const patch = (connections: number) => ({ origin: 'http://a:1', settings: { connections } })
    expect(parseCall('configurePool', patch(maxConnections)).ok).toBe(true)
    expect(parseCall('configurePool', patch(maxConnections + 1)).ok).toBe(false)
  })

  it('gives the CLI the same ranges, named in its message', () => {
    const parsed = parseArgv(['-n', String(maxRepeat + 1), 'http://127.0.0.1:1/'])
    expect(parsed).toMatchObject({
      ok: false,
      error: { message: `--repeat must be an integer from 1 to ${maxRepeat} (got '${maxRepeat + 1}')` },
    })
    expect(parseArgv(['-n', String(maxRepeat), 'http://127.0.0.1:1/']).ok).toBe(true)
  })

  it('gives the engine the same ranges for pool settings', async () => {
    const engine = createEngine()
    try {
      expect(engine.configure('http://127.0.0.1:1', { connections: maxConnections }).connections).toBe(
        maxConnections,
      )
      expect(() => engine.configure('http://127.0.0.1:1', { connections: maxConnections + 1 })).toThrow(
        `connections must be an integer from 1 to ${maxConnections}`,
      )
    } finally {
      await engine.close()
    }
  })
})

describe('limits: pool settings are only the pool settings', () => {
  it('refuses a range that is not a pool setting as a pool setting', async () => {
    const engine = createEngine()
    try {
      const patch = { repeat: 5 } as unknown as Parameters<typeof engine.configure>[1]
      expect(() => engine.configure('http://127.0.0.1:1', patch)).toThrow("unknown pool setting 'repeat'")
    } finally {
      await engine.close()
    }
  })
})
