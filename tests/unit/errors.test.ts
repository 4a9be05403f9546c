import { afterEach, describe, expect, it } from 'vitest'
import net, { type AddressInfo } from 'node:net'
import { Pool, errors as undiciErrors, fetch, request } from 'undici'
import type { Phase } from '../../electron/contract'
import { classifyError, sockeyeError, staleSocketError } from '../../electron/engine/errors'
import { makeCertificate, startHttpServer, startHttpsServer } from '../helpers/servers'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function track<T extends { close(): Promise<unknown> }>(thing: T): T {
  cleanups.push(async () => void (await thing.close()))
  return thing
}

/** A raw TCP server that answers every connection with `reply` (or stalls when null). */
async function rawServer(onSocket: (s: net.Socket) => void): Promise<{ origin: string; port: number }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
    onSocket(s)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  )
  return { origin: `http://127.0.0.1:${port}`, port }
}

/** The error undici rejects with for a GET to `origin`. */
async function failureOf(
  origin: string,
  options: ConstructorParameters<typeof Pool>[1] = {},
): Promise<unknown> {
  const pool = new Pool(origin, options)
  cleanups.push(() => pool.destroy())
  try {
    const res = await pool.request({ path: '/', method: 'GET' })
    await res.body.text()
  } catch (err) {
    return err
  }
  throw new Error('the request unexpectedly succeeded')
}

const ctx = (origin: string, phase: Phase = 'wait', timeoutMs?: number) => ({
  phase,
  origin: origin.includes('://') && /:\d+$/.test(origin) ? origin : `${origin}:80`,
  host: '127.0.0.1',
  timeoutMs,
})

function expectOneLine(message: string) {
  expect(message).not.toMatch(/\n|\r/)
  expect(message).not.toMatch(/\bat .+:\d+:\d+/)
}

describe('classifyError on real failures', () => {
  it('names host and port for a refused connection', async () => {
    const server = await startHttpServer()
    const origin = server.origin
    await server.close()
    const err = classifyError(await failureOf(origin), ctx(origin, 'connect'))
    expect(err.code).toBe('CONNECTION_REFUSED')
    expect(err.phase).toBe('connect')
    expect(err.message).toContain(origin.replace('http://', ''))
    expectOneLine(err.message)
  })

  it('finds the refused connection inside fetch\'s "fetch failed" cause chain', async () => {
    const server = await startHttpServer()
    const origin = server.origin
    await server.close()
    const failure = await fetch(origin).catch((e: unknown) => e)
    expect((failure as Error).message).toBe('fetch failed')
    expect(classifyError(failure, ctx(origin, 'connect')).code).toBe('CONNECTION_REFUSED')
  })

  it('reports a self-signed certificate with the --insecure hint', async () => {
    const server = track(await startHttpsServer())
    const err = classifyError(await failureOf(server.origin), ctx(server.origin, 'connect'))
    expect(err).toEqual({
      code: 'TLS_SELF_SIGNED',
      phase: 'tls',
      message: `TLS: self-signed certificate for 127.0.0.1:${server.port}; use --insecure to skip verification`,
    })
  })

  it('reports an expired certificate', async () => {
    const certificate = await makeCertificate({ expired: true })
    const server = track(await startHttpsServer(undefined, certificate))
    const failure = await failureOf(server.origin, { connect: { ca: certificate.cert } })
    const err = classifyError(failure, ctx(server.origin, 'connect'))
    expect(err.code).toBe('TLS_EXPIRED')
    expect(err.message).toMatch(/has expired/)
  })

  it('reports a certificate for another host name', async () => {
    const certificate = await makeCertificate({ commonName: 'other.test', altNames: ['other.test'] })
    const server = track(await startHttpsServer(undefined, certificate))
    const failure = await failureOf(server.origin, { connect: { ca: certificate.cert } })
    const err = classifyError(failure, ctx(server.origin, 'connect'))
    expect(err).toEqual({
      code: 'TLS_HOSTNAME_MISMATCH',
      phase: 'tls',
      message: `TLS: certificate of 127.0.0.1:${server.port} is for other.test, not 127.0.0.1; use a matching host name or --insecure`,
    })
  })

  it('reports a headers timeout with the timeout and the phase', async () => {
    const server = await rawServer(() => {}) // accepts, never answers
    const err = classifyError(
      await failureOf(server.origin, { headersTimeout: 150 }),
      ctx(server.origin, 'wait', 150),
    )
    expect(err.code).toBe('HEADERS_TIMEOUT')
    expect(err.phase).toBe('wait')
    expect(err.message).toContain('150 ms')
  })

  it('reports a body timeout when the body stalls', async () => {
    const server = await rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'))
    const err = classifyError(
      await failureOf(server.origin, { bodyTimeout: 150 }),
      ctx(server.origin, 'receive'),
    )
    expect(err.code).toBe('BODY_TIMEOUT')
    expect(err.phase).toBe('receive')
  })

  it('reports a malformed status line as a malformed response', async () => {
    const server = await rawServer((s) => s.end('HTTX/9 banana\r\n\r\n'))
    const err = classifyError(await failureOf(server.origin), ctx(server.origin, 'wait'))
    expect(err.code).toBe('MALFORMED_RESPONSE')
    expect(err.message).toContain(`malformed response from 127.0.0.1:${server.port}: `)
    expectOneLine(err.message)
  })

  it('reports oversized response headers', async () => {
    const big = 'x'.repeat(4096)
    const server = await rawServer((s) =>
      s.end(`HTTP/1.1 200 OK\r\nX-Big: ${big}\r\nContent-Length: 0\r\n\r\n`),
    )
    const err = classifyError(await failureOf(server.origin, { maxHeaderSize: 1024 }), ctx(server.origin))
    expect(err.code).toBe('HEADERS_TOO_LARGE')
  })

  it('reports a connection closed mid-body as a reset in the receive phase', async () => {
    const server = await rawServer((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial', () => s.destroy())
    })
    const err = classifyError(await failureOf(server.origin), ctx(server.origin, 'receive'))
    expect(err.code).toBe('CONNECTION_RESET')
    expect(err.phase).toBe('receive')
    expect(err.message).toContain('while receiving the body')
  })

  // undici 7 says "bad response" only in its message (SocketError, UND_ERR_SOCKET, like a FIN):
  // by code, it is the connection ending under the request.
  it('reports a second, unrequested response as the connection closing, by its code', async () => {
    const reply = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'
    const server = await rawServer((s) => s.once('data', () => s.write(reply + reply)))
    const pool = new Pool(server.origin)
    cleanups.push(() => pool.destroy())
    // undici answers the request with the first response and destroys the socket for the second.
    const failure = new Promise<unknown>((resolve) => pool.on('disconnect', (_o, _t, err) => resolve(err)))
    await (await pool.request({ path: '/', method: 'GET' })).body.dump()
    const err = classifyError(await failure, ctx(server.origin, 'wait'))
    expect(err.code).toBe('CONNECTION_RESET')
    expect(err.message).toContain(
      `127.0.0.1:${server.port} closed the connection while waiting for response headers`,
    )
  })

  it('reports an aborted request', async () => {
    const server = await rawServer(() => {})
    const controller = new AbortController()
    const pending = request(`${server.origin}/`, { signal: controller.signal }).catch((e: unknown) => e)
    controller.abort()
    expect(classifyError(await pending, ctx(server.origin)).code).toBe('ABORTED')
  })

  it('reports a pool closed under an in-flight request', async () => {
    const server = await rawServer(() => {})
    const pool = new Pool(server.origin)
    const pending = pool.request({ path: '/', method: 'GET' }).catch((e: unknown) => e)
    await pool.destroy()
    const err = classifyError(await pending, ctx(server.origin))
    expect(err.code).toBe('POOL_CLOSED')
    expect(err.message).toContain(server.origin)
  })
})

describe('classifyError on errors that loopback cannot produce', () => {
  it('reports DNS failure naming the host', () => {
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND' })
    const err = classifyError(e, { phase: 'connect', origin: 'http://nope.invalid:80', host: 'nope.invalid' })
    expect(err).toEqual({
      code: 'DNS_FAILED',
      phase: 'dns',
      message: 'DNS: cannot resolve nope.invalid (ENOTFOUND); check the host name',
    })
  })

  it('reports a temporary resolver failure as DNS_FAILED with the network hint', () => {
    const e = Object.assign(new Error('getaddrinfo EAI_AGAIN api.test'), { code: 'EAI_AGAIN' })
    const err = classifyError(e, { phase: 'connect', origin: 'https://api.test:443', host: 'api.test' })
    expect(err.code).toBe('DNS_FAILED')
    expect(err.message).toBe(
      'DNS: cannot resolve api.test (EAI_AGAIN): temporary failure; check your network or DNS server',
    )
  })

  it('reports a connect timeout with the configured timeout (not read from the message)', () => {
    const e = new undiciErrors.ConnectTimeoutError(
      'Connect Timeout Error (attempted address: 10.0.0.1:80, timeout: 10000ms)',
    )
    const ctx = {
      phase: 'connect',
      origin: 'http://10.0.0.1:80',
      host: '10.0.0.1',
      timeoutMs: 10000,
    } as const
    const err = classifyError(e, ctx)
    expect(err.code).toBe('CONNECT_TIMEOUT')
    expect(err.message).toBe('connect to 10.0.0.1:80 timed out after 10000 ms; is the host reachable?')
  })

  it('reports the first known code of an AggregateError (happy eyeballs)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:80'), { code: 'ECONNREFUSED' })
    const err = classifyError(new AggregateError([refused], ''), ctx('http://localhost:80', 'connect'))
    expect(err.code).toBe('CONNECTION_REFUSED')
  })

  it('turns an unknown error into INTERNAL with its first line and no stack', () => {
    const e = new Error('something odd\n    at foo (file.js:1:2)')
    const err = classifyError(e, ctx('http://127.0.0.1:1'))
    expect(err.code).toBe('INTERNAL')
    expect(err.message).toBe('something odd (while waiting for response headers)')
  })

  it('survives non-errors and cyclic causes', () => {
    expect(classifyError('boom', ctx('http://h:1')).code).toBe('INTERNAL')
    expect(classifyError(null, ctx('http://h:1')).code).toBe('INTERNAL')
    const cyclic: { message: string; cause?: unknown } = { message: 'loop' }
    cyclic.cause = cyclic
    expect(classifyError(cyclic, ctx('http://h:1')).message).toMatch(/^loop/)
  })
})

describe('sockeyeError and staleSocketError', () => {
  it('flattens a message to one bounded line', () => {
    const err = sockeyeError('INTERNAL', 'send', `a\nb ${'x'.repeat(1000)}`)
    expect(err.message).toBe('a')
    expect(sockeyeError('INTERNAL', 'send', 'y'.repeat(1000)).message.length).toBeLessThanOrEqual(300)
  })

  it('explains a stale keep-alive socket with idle time, hint and what happens next', () => {
    const retry = staleSocketError('http://127.0.0.1:8080', 3, 5012.4, 5, true)
    expect(retry).toEqual({
      code: 'STALE_SOCKET',
      phase: 'send',
      message:
        'server closed reused socket #3 to 127.0.0.1:8080 after 5012 ms idle (server hinted Keep-Alive: timeout=5); retrying once on a fresh socket',
    })
    expect(staleSocketError('http://h:80', 1, null, null, false).message).toMatch(/not retried/)
  })
})
