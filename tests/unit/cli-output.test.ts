import { describe, expect, it } from 'vitest'
import type { PoolStats } from '../../electron/contract'
import {
  connectionLine,
  failureLine,
  formatBytes,
  Layout,
  ordinal,
  palette,
  printable,
  requestLine,
  summary,
} from '../../electron/cli/output'
import {
  connectionInfo as connection,
  FIXTURE_ORIGIN as ORIGIN,
  requestResult as result,
  tlsInfo,
} from '../helpers/fixtures'

const noColor = palette(false, {})

const pool: PoolStats = {
  origin: ORIGIN,
  connected: 1,
  free: 1,
  pending: 0,
  queued: 0,
  running: 0,
  size: 1,
  numConnections: 1,
  numRequests: 2,
}

describe('sockeye human output', () => {
  it('prints a new-socket request with status, type, size, socket and time', () => {
    const layout = new Layout([`${ORIGIN}/?q=python&v=1.0`], 'GET', 2)
    expect(requestLine(result(), layout, noColor)).toBe(
      '#1  GET  http://127.0.0.1:8080/?q=python&v=1.0  200  application/json      27 B  socket #1 new (first)  3.1 ms',
    )
  })

  it('prints a reused socket with the ordinal of the request on it', () => {
    const layout = new Layout([`${ORIGIN}/?q=php&v=1.0`], 'GET', 2)
    const line = requestLine(result({ id: 2, reused: true, nth: 2, reason: null }), layout, noColor)
    expect(line).toContain('socket #1 reused (2nd request)')
  })

  it('aligns the columns of consecutive lines', () => {
    const urls = [`${ORIGIN}/a`, `${ORIGIN}/longer-path`]
    const layout = new Layout(urls, 'GET', 12)
    const a = requestLine(result({ id: 1, url: urls[0] }), layout, noColor)
    const b = requestLine(
      result({ id: 12, url: urls[1], bodyBytes: 2048, contentType: 'text/plain' }),
      layout,
      noColor,
    )
    expect(a.indexOf('200')).toBe(b.indexOf('200'))
    expect(a.indexOf('socket')).toBe(b.indexOf('socket'))
  })

  it('names why a new socket was opened', () => {
    const layout = new Layout([ORIGIN], 'GET', 1)
    const line = requestLine(result({ id: 2, socket: 2, reason: 'server-closed' }), layout, noColor)
    expect(line).toContain('socket #2 new (previous socket closed by the server)')
  })

  it('prints a failure as one line with code, phase and message', () => {
    const failed = result({
      id: 3,
      url: 'http://127.0.0.1:1/',
      status: null,
      socket: null,
      error: { code: 'CONNECTION_REFUSED', phase: 'connect', message: 'connection refused by 127.0.0.1:1' },
    })
    expect(failureLine(failed, false, noColor)).toBe(
      '#3 GET http://127.0.0.1:1/ failed: CONNECTION_REFUSED (connect): connection refused by 127.0.0.1:1',
    )
  })

  it('says when a failed attempt is retried', () => {
    const failed = result({ error: { code: 'STALE_SOCKET', phase: 'send', message: 'server closed it' } })
    expect(failureLine(failed, true, noColor)).toMatch(/\(retrying once on a fresh socket\)$/)
  })

  it('does not repeat a retry the message already announces', () => {
    const message = 'server closed reused socket #1; retrying once on a fresh socket'
    const failed = result({ error: { code: 'STALE_SOCKET', phase: 'send', message } })
    expect(failureLine(failed, true, noColor)).toMatch(/; retrying once on a fresh socket$/)
  })

  it('summarises each origin with connection and request counts and one line per socket', () => {
    expect(summary([pool], [connection()], noColor)).toBe(
      [
        'http://127.0.0.1:8080',
        '  Number of connections: 1',
        '  Number of requests: 2',
        '  socket #1  http/1.1  127.0.0.1:8080 ← :53122  2 requests  open',
      ].join('\n'),
    )
  })

  it('shows why a socket closed', () => {
    const c = connection({ requests: 1, closeReason: 'connection-close', closeDetail: null, closedAt: 5 })
    expect(connectionLine(c)).toMatch(/ 1 request {2}closed \(connection-close\)$/)
  })

  it('marks a connection attempt that never connected', () => {
    const c = connection({
      remoteAddress: '',
      remotePort: 0,
      localPort: 0,
      requests: 0,
      closeReason: 'error',
      closeDetail: 'connection refused by 127.0.0.1:1',
    })
    expect(connectionLine(c)).toBe(
      'socket #1  not connected  closed (error: connection refused by 127.0.0.1:1)',
    )
  })

  it('brackets IPv6 peers and shows the TLS version', () => {
    const tls = tlsInfo()
    const line = connectionLine(connection({ protocol: 'h2', remoteAddress: '::1', remotePort: 443, tls }))
    expect(line).toContain('h2  TLSv1.3  [::1]:443 ← :53122')
  })

  it('escapes control characters a server puts in its content type', () => {
    const layout = new Layout([ORIGIN], 'GET', 1)
    const line = requestLine(result({ contentType: 'text/html\x1b[2J\x9b' }), layout, noColor)
    expect(line).toContain('text/html\\x1b[2J\\x9b')
    expect(line.includes('\x1b') || line.includes('\x9b')).toBe(false)
    expect(printable('tab\there')).toBe('tab\\x09here')
  })

  it('colours only when asked for a TTY without NO_COLOR', () => {
    expect(palette(true, {}).green('x')).toBe('\x1b[32mx\x1b[39m')
    expect(palette(true, { NO_COLOR: '1' }).green('x')).toBe('x')
    expect(palette(undefined, {}).green('x')).toBe('x')
  })

  it('formats ordinals and sizes as people read them', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '112th',
    ])
    expect([0, 1023, 1536, 10 * 1024 * 1024].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '10.0 MiB',
    ])
  })

  it('does not promise a single retry for a stream the server did not process', () => {
    const error = {
      code: 'NOT_PROCESSED',
      phase: 'send',
      message:
        '127.0.0.1:8443 did not process stream 7 (GOAWAY (NO_ERROR, last stream 5)); sending it again on a new connection',
    } as const
    const line = failureLine(result({ error }), true, noColor)
    expect(line).not.toContain('retrying once')
    expect(line).toMatch(/sending it again on a new connection$/)
  })
})
