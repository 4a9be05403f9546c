import { describe, expect, it } from 'vitest'
import type { BodyPayload, ConnectionInfo, RequestResult } from '../../electron/contract'
import { bodyPayload } from '../../electron/engine/body'
import { buildHar } from '../../electron/engine/har'
import pkg from '../../package.json'
import { connectionInfo, requestResult, tlsInfo } from '../helpers/fixtures'

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0)

/** Socket #1 as HAR sees it: opened at t=10, with the server's keep-alive hint. */
const connection = (over: Partial<ConnectionInfo> = {}): ConnectionInfo =>
  connectionInfo({
    localPort: 50000,
    connect: 1.5,
    openedAt: 10,
    keepAliveHint: { timeout: 5, max: null },
    ...over,
  })

/** A GET with cookies both ways (HAR parses them), started at T0 wall time. */
const result = (over: Partial<RequestResult> = {}): RequestResult =>
  requestResult({
    url: 'http://127.0.0.1:8080/search?q=python&v=1.0',
    startedAt: 10,
    startedWall: T0,
    requestHeaders: [
      ['host', '127.0.0.1:8080'],
      ['cookie', 'a=1; b=2'],
    ],
    responseHeaders: [
      ['content-type', 'application/json'],
      ['set-cookie', 'sid=xyz; Path=/; HttpOnly'],
    ],
    bodyBytes: 13,
    wireBytes: 13,
    timings: { blocked: 0.2, dns: -1, connect: 1.5, ssl: -1, send: 0.1, wait: 2, receive: 0.3 },
    totalMs: 4.1,
    ...over,
  })

const json = (id: number): BodyPayload =>
  bodyPayload(id, Buffer.from('{"ok":"yes"}\n'), false, 'application/json', null)

type Obj = Record<string, unknown>

/** Checks the HAR 1.2 required fields and their types; returns every problem found. */
function harProblems(doc: unknown): string[] {
  const problems: string[] = []
  const is = (value: unknown, type: string, where: string) => {
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
    if (actual !== type) problems.push(`${where}: expected ${type}, got ${actual}`)
  }
  const nameValues = (list: unknown, where: string) => {
    is(list, 'array', where)
    if (Array.isArray(list))
      list.forEach((h, i) => {
        is(h?.name, 'string', `${where}[${i}].name`)
        is(h?.value, 'string', `${where}[${i}].value`)
      })
  }
  const log = (doc as { log?: Record<string, unknown> }).log
  is(log, 'object', 'log')
  if (!log) return problems
  expect(log.version).toBe('1.2')
  is((log.creator as Record<string, unknown>)?.name, 'string', 'log.creator.name')
  is((log.creator as Record<string, unknown>)?.version, 'string', 'log.creator.version')
  is(log.entries, 'array', 'log.entries')
  for (const [i, e] of ((log.entries as Obj[]) ?? []).entries()) {
    const at = `entries[${i}]`
    is(e.startedDateTime, 'string', `${at}.startedDateTime`)
    if (Number.isNaN(Date.parse(String(e.startedDateTime))))
      problems.push(`${at}.startedDateTime not ISO 8601`)
    is(e.time, 'number', `${at}.time`)
    is(e.cache, 'object', `${at}.cache`)
    const req = (e.request ?? {}) as Obj
    for (const k of ['method', 'url', 'httpVersion']) is(req[k], 'string', `${at}.request.${k}`)
    for (const k of ['headersSize', 'bodySize']) is(req[k], 'number', `${at}.request.${k}`)
    nameValues(req.cookies, `${at}.request.cookies`)
    nameValues(req.headers, `${at}.request.headers`)
    nameValues(req.queryString, `${at}.request.queryString`)
    const res = (e.response ?? {}) as Obj
    for (const k of ['status', 'headersSize', 'bodySize']) is(res[k], 'number', `${at}.response.${k}`)
    for (const k of ['statusText', 'httpVersion', 'redirectURL']) is(res[k], 'string', `${at}.response.${k}`)
    nameValues(res.cookies, `${at}.response.cookies`)
    nameValues(res.headers, `${at}.response.headers`)
    const content = res.content as Obj | undefined
    is(content?.size, 'number', `${at}.response.content.size`)
    is(content?.mimeType, 'string', `${at}.response.content.mimeType`)
    const t = (e.timings ?? {}) as Record<string, number | undefined>
    for (const k of ['send', 'wait', 'receive']) {
      is(t[k], 'number', `${at}.timings.${k}`)
      if (!((t[k] ?? -1) >= 0)) problems.push(`${at}.timings.${k} must be >= 0`)
    }
    for (const k of ['blocked', 'dns', 'connect', 'ssl']) {
      const v = t[k]
      if (v !== undefined && !(v >= 0 || v === -1)) problems.push(`${at}.timings.${k} must be >= 0 or -1`)
    }
  }
  return problems
}

/** Build, serialize, parse: what a HAR viewer would read. */
const roundTrip = (...args: Parameters<typeof buildHar>) => JSON.parse(JSON.stringify(buildHar(...args)))

describe('buildHar', () => {
  it('produces a valid HAR 1.2 document that survives a JSON round trip', () => {
    const second = result({
      id: 2,
      startedWall: T0 + 5,
      reused: true,
      nth: 2,
      reason: null,
      url: 'http://127.0.0.1:8080/search?q=php&v=1.0',
    })
    const doc = roundTrip(
      [
        { result: result(), body: json(1) },
        { result: second, body: json(2) },
      ],
      [connection()],
    )
    expect(harProblems(doc)).toEqual([])
    expect(doc.log.creator).toEqual({ name: 'Sockeye', version: pkg.version })
    expect(doc.log.entries).toHaveLength(2)
  })

  it('names the socket in connection, serverIPAddress and _socket', () => {
    const [first, second] = roundTrip(
      [
        { result: result(), body: null },
        { result: result({ id: 2, startedWall: T0 + 5, reused: true, nth: 2, reason: null }), body: null },
      ],
      [connection()],
    ).log.entries
    expect(first.connection).toBe('1')
    expect(first.serverIPAddress).toBe('127.0.0.1')
    const open = { closeReason: null, closeDetail: null }
    expect(first._socket).toEqual({
      id: 1,
      reused: false,
      reason: 'first',
      nth: 1,
      protocol: 'http/1.1',
      ...open,
    })
    expect(second._socket).toEqual({
      id: 1,
      reused: true,
      reason: null,
      nth: 2,
      protocol: 'http/1.1',
      ...open,
    })
  })

  it("carries the socket's final state and how a reused socket was shared", () => {
    const reuse = { kind: 'pipelined', inFlight: 1, behind: 1 } as const
    const closed = { closeReason: 'connection-close', closeDetail: 'response had Connection: close' } as const
    const [entry] = roundTrip(
      [{ result: result({ id: 2, reused: true, nth: 2, reason: null, reuse }), body: null }],
      [connection(closed)],
    ).log.entries
    expect(entry._socket).toMatchObject({ reuse, ...closed })
  })

  it('fills request and response fields from the result', () => {
    const [e] = roundTrip([{ result: result(), body: json(1) }], [connection()]).log.entries
    expect(e.startedDateTime).toBe('2026-11-25T09:00:00.000Z')
    expect(e.request.httpVersion).toBe('HTTP/1.1')
    expect(e.request.queryString).toEqual([
      { name: 'q', value: 'python' },
      { name: 'v', value: '1.0' },
    ])
    expect(e.request.cookies).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ])
    expect(e.response.cookies).toEqual([{ name: 'sid', value: 'xyz', path: '/', httpOnly: true }])
    expect(e.response.content).toEqual({ size: 13, mimeType: 'application/json', text: '{"ok":"yes"}\n' })
    expect(e.response.bodySize).toBe(13)
    expect(e.response.headersSize).toBe(-1)
    expect(e.cache).toEqual({})
  })

  it('sums the available timings into time, counting ssl only inside connect', () => {
    const timings = { blocked: 1, dns: 2, connect: 10, ssl: 6, send: 1, wait: 3, receive: 4 }
    const [e] = roundTrip([{ result: result({ timings }), body: null }], [connection()]).log.entries
    expect(e.time).toBe(21)
    expect(e.timings).toEqual(timings)
  })

  it('exports a failed request with status 0, non-negative send/wait/receive and _error', () => {
    const error = {
      code: 'CONNECTION_REFUSED',
      phase: 'connect',
      message: 'connection refused by 127.0.0.1:1',
    } as const
    const failed = result({
      status: null,
      statusText: null,
      httpVersion: null,
      contentType: null,
      responseHeaders: [],
      bodyBytes: 0,
      wireBytes: 0,
      socket: null,
      nth: 0,
      reason: null,
      timings: { blocked: 0.5, dns: -1, connect: -1, ssl: -1, send: -1, wait: -1, receive: -1 },
      error,
    })
    const doc = roundTrip([{ result: failed, body: null }], [])
    expect(harProblems(doc)).toEqual([])
    const [e] = doc.log.entries
    expect(e.response.status).toBe(0)
    expect(e.response.content).toEqual({ size: 0, mimeType: 'x-unknown' })
    expect(e.timings).toMatchObject({ send: 0, wait: 0, receive: 0 })
    expect(e._error).toEqual(error)
    expect(e.connection).toBeUndefined()
    expect(e._socket).toBeUndefined()
  })

  it('carries a binary body as base64 that decodes to the same bytes', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255])
    const r = result({ contentType: 'image/png', bodyBytes: png.length, wireBytes: png.length })
    const doc = roundTrip(
      [{ result: r, body: bodyPayload(1, png, false, 'image/png', null) }],
      [connection()],
    )
    expect(harProblems(doc)).toEqual([])
    const { content } = doc.log.entries[0].response
    expect(content.encoding).toBe('base64')
    expect(Buffer.from(content.text, 'base64').equals(png)).toBe(true)
  })

  it('records an h2 request with its TLS details in _socket', () => {
    const tls = tlsInfo()
    const conn = connection({ protocol: 'h2', tls, origin: 'https://127.0.0.1:8443' })
    const [e] = roundTrip([{ result: result({ httpVersion: '2' }), body: null }], [conn]).log.entries
    expect(e.request.httpVersion).toBe('HTTP/2')
    expect(e.response.httpVersion).toBe('HTTP/2')
    expect(e._socket).toMatchObject({ protocol: 'h2', tls })
  })

  it('includes postData with the request content type and the kept body', () => {
    const r = result({
      method: 'POST',
      requestHeaders: [['content-type', 'application/json']],
      requestBodyBytes: 7,
    })
    const [e] = roundTrip([{ result: r, body: null, requestBody: Buffer.from('{"a":1}') }], [connection()])
      .log.entries
    expect(e.request.postData).toEqual({ mimeType: 'application/json', text: '{"a":1}' })
    expect(e.request.bodySize).toBe(7)
  })

  it('takes redirectURL from the Location header', () => {
    const r = result({ status: 302, statusText: 'Found', responseHeaders: [['Location', '/next']] })
    const [e] = roundTrip([{ result: r, body: null }], [connection()]).log.entries
    expect(e.response.redirectURL).toBe('/next')
  })

  it('marks a truncated body in the content comment', () => {
    const kept = bodyPayload(1, Buffer.from('abcd'), true, 'text/plain', null)
    const r = result({ contentType: 'text/plain', bodyBytes: 4, wireBytes: 100, truncated: true })
    const [e] = roundTrip([{ result: r, body: kept }], [connection()]).log.entries
    expect(e.response.content).toMatchObject({ text: 'abcd', comment: 'truncated: 4 bytes kept' })
    expect(e.response.bodySize).toBe(100)
  })

  it('links a retry to the attempt it replaces with _retryOf', () => {
    const [e] = roundTrip([{ result: result({ id: 5, retryOf: 4 }), body: null }], [connection()]).log.entries
    expect(e._retryOf).toBe(4)
  })

  it('orders entries by start time', () => {
    const late = result({ id: 1, startedWall: T0 + 100 })
    const early = result({ id: 2, startedWall: T0 })
    const entries = roundTrip(
      [
        { result: late, body: null },
        { result: early, body: null },
      ],
      [connection()],
    ).log.entries
    expect(entries.map((e: { _requestId: number }) => e._requestId)).toEqual([2, 1])
  })
})
