import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { startH2Server, startHttpsServer } from '../helpers/servers'
import { closeAfterEach, get, record } from '../helpers/engine'

const t = closeAfterEach()

describe('TLS and HTTP/2', () => {
  it('captures TLS details of a self-signed server when verification is off', async () => {
    t.server = await startHttpsServer()
    t.engine = createEngine()
    t.engine.configure(t.server.origin, { rejectUnauthorized: false })
    const result = await t.engine.send(get(`${t.server.url}/hello`))

    expect(result.error).toBeNull()
    expect(result.status).toBe(200)
    expect(result.timings.ssl).toBeGreaterThan(0)
    expect(result.timings.connect).toBeGreaterThanOrEqual(result.timings.ssl)
    const tls = t.engine.connections()[0]?.tls
    expect(tls?.version).toMatch(/^TLSv1\.[23]$/)
    expect(tls?.cipher).not.toBe('')
    expect(tls?.authorized).toBe(false)
    expect(tls?.peer?.subject).toContain('CN=localhost')
    expect(tls?.peer?.selfSigned).toBe(true)
    expect(tls?.peer?.san).toContain('DNS:localhost')
    expect(tls?.peer?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  })

  it('says a socket resumed its TLS session and keeps the certificate of the full handshake', async () => {
    t.server = await startHttpsServer()
    t.engine = createEngine({ defaults: { rejectUnauthorized: false, allowH2: false } })
    const first = await t.engine.send(get(`${t.server.url}/1`))
    const second = await t.engine.send(get(`${t.server.url}/2`, { fresh: true }))
    expect([first.error, second.error]).toEqual([null, null])
    const [a, b] = t.engine.connections()
    expect(a?.tls?.resumed).toBe(false)
    expect(b?.tls?.resumed).toBe(true)
    expect(b?.tls?.peer?.fingerprint256).toBe(a?.tls?.peer?.fingerprint256)
    // HAR: connect (TCP) includes ssl (the handshake); TLS set-up in JavaScript is not in either.
    expect(second.timings.connect).toBeGreaterThanOrEqual(second.timings.ssl)
  })

  it('fails with TLS_SELF_SIGNED when verification is on', async () => {
    t.server = await startHttpsServer()
    t.engine = createEngine()
    const events = record(t.engine)
    const result = await t.engine.send(get(t.server.url))

    expect(result.status).toBeNull()
    expect(result.error?.code).toBe('TLS_SELF_SIGNED')
    expect(result.error?.phase).toBe('tls')
    const closed = await events.waitFor('socket:closed')
    expect([closed.reason, closed.error?.code]).toEqual(['error', 'TLS_SELF_SIGNED'])
  })

  it('multiplexes 5 concurrent requests as 5 streams on one h2 socket with default settings', async () => {
    t.server = await startH2Server()
    t.engine = createEngine()
    t.engine.configure(t.server.origin, { rejectUnauthorized: false })
    const results = await t.engine.run({ request: get(t.server.url), repeat: 5, concurrency: 5 }).done

    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(results.map((r) => r.httpVersion)).toEqual(['2', '2', '2', '2', '2'])
    expect(results[0]?.requestHeaders).toContainEqual([':method', 'GET'])
    expect(new Set(results.map((r) => r.socket))).toEqual(new Set([1]))
    expect(results.map((r) => r.nth).sort()).toEqual([1, 2, 3, 4, 5])
    const connections = t.engine.connections()
    expect(connections).toHaveLength(1)
    expect(connections[0]?.protocol).toBe('h2')
    expect(connections[0]?.tls?.alpn).toBe('h2')
    expect(connections[0]?.requests).toBe(5)
    expect(t.server.connections()).toBe(1)
  })

  it('keeps HTTP/1.1 and several sockets when the server does not offer h2', async () => {
    t.server = await startHttpsServer()
    t.engine = createEngine({ defaults: { rejectUnauthorized: false, connections: 3 } })
    const results = await t.engine.run({ request: get(t.server.url), repeat: 6, concurrency: 6 }).done

    expect(results.every((r) => r.status === 200 && r.httpVersion === '1.1')).toBe(true)
    expect(t.engine.connections().every((c) => c.protocol === 'http/1.1')).toBe(true)
    expect(t.engine.connections().length).toBeGreaterThan(1)
    expect(t.engine.connections().length).toBeLessThanOrEqual(3)
  })
})
