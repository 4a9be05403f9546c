import { describe, expect, it } from 'vitest'
import { DEFAULT_PORT, startServe } from '../../electron/serve'
import { startHttpServer } from '../helpers/servers'
import { STATIC_DIR } from './serve.client'

describe('browser mode port', () => {
  it('uses 7323 by default in `sockeye serve`, so a restart is the same browser origin', () => {
    expect(DEFAULT_PORT).toBe(7323)
  })

  it('takes its preferred port when it is free', async () => {
    // A port that was free a moment ago: listen on 0, note it, close.
    const probe = await startHttpServer()
    const port = probe.port
    await probe.close()
    const server = await startServe({ staticDir: STATIC_DIR, preferredPort: port, note: () => {} })
    try {
      expect(server.port).toBe(port)
    } finally {
      await server.close()
    }
  })

  it('falls back to a free port when the preferred one is taken, and says so in one line', async () => {
    const blocker = await startHttpServer()
    const notes: string[] = []
    const server = await startServe({
      staticDir: STATIC_DIR,
      preferredPort: blocker.port,
      note: (line) => notes.push(line),
    })
    try {
      expect(server.port).not.toBe(blocker.port)
      expect(notes).toEqual([
        `sockeye serve: port ${blocker.port} is in use; serving on ${server.port} instead (a new browser origin)`,
      ])
    } finally {
      await server.close()
      await blocker.close()
    }
  })
})
