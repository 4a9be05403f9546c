/**
 * Copy as cURL: running the copied command with real curl sends the request Sockeye sends (method,
 * target, the request's headers, body bytes), checked on a recording loopback server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestSpec } from '../../electron/contract'
import { createEngine } from '../../electron/engine'
import { requestToCurl, specToCurl } from '../../electron/workspace/export/curl'
import { toSpec } from '../../electron/workspace/export/spec'
import type { SockeyeHttpRequest } from '../../electron/workspace/import/types'
import { startEchoServer, type EchoServer, type Recorded } from '../helpers/echo'
import { boundaryOf, curlSends, defined, readIn, requireCurl } from '../helpers/curl'

let server: EchoServer
let dir: string

beforeAll(async () => {
  requireCurl()
  server = await startEchoServer()
  dir = mkdtempSync(join(tmpdir(), 'sockeye-copy-'))
  writeFileSync(join(dir, 'up load.bin'), Buffer.from([0, 0xff, 0x25, 0x27, 0x5c, 0x0a]))
  writeFileSync(join(dir, 'note.txt'), 'a note\n')
})
afterAll(async () => {
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const binary = Buffer.from([0, 1, 0x25, 0x27, 0x5c, 0xff, 0x0a, 0x0d, 0x7f, 0x41]).toString('base64')

const SPECS: Array<[string, (url: string) => RequestSpec]> = [
  [
    'a GET with repeated, empty and quoted headers',
    (u) => ({
      method: 'GET',
      url: `${u}/g?x=1`,
      headers: [
        ['X-A', '1'],
        ['X-A', "it's"],
        ['X-Empty', ''],
      ],
      body: null,
    }),
  ],
  [
    'a JSON POST',
    (u) => ({
      method: 'POST',
      url: `${u}/p`,
      headers: [['Content-Type', 'application/json']],
      body: '{"a": "b c", "q": "\'"}',
    }),
  ],
  [
    'a PUT body with no Content-Type',
    (u) => ({ method: 'PUT', url: `${u}/put`, headers: [], body: 'plain' }),
  ],
  [
    'a binary body (NUL, %, quote, backslash, 0xff) through standard input',
    (u) => ({ method: 'POST', url: `${u}/bin`, headers: [], body: binary, bodyEncoding: 'base64' }),
  ],
  [
    'a binary body that starts with dashes (a multipart body: not an option to printf)',
    (u) => ({
      method: 'POST',
      url: `${u}/dash`,
      headers: [['Content-Type', 'multipart/form-data; boundary=--x']],
      body: Buffer.from('----x\r\n\0\r\n----x--\r\n', 'latin1').toString('base64'),
      bodyEncoding: 'base64',
    }),
  ],
  ['HEAD', (u) => ({ method: 'HEAD', url: `${u}/h`, headers: [], body: null })],
  ['DELETE', (u) => ({ method: 'DELETE', url: `${u}/d/1`, headers: [['Accept', 'text/plain']], body: null })],
  [
    'a text body with CR, LF, tabs and quotes',
    (u) => ({
      method: 'PATCH',
      url: `${u}/t`,
      headers: [['Content-Type', 'text/plain']],
      body: 'a\r\nb\t"c"\n\'d\'',
    }),
  ],
  [
    'a URL with brackets and braces',
    (u) => ({ method: 'GET', url: `${u}/q?a[]=1&b={x}`, headers: [], body: null }),
  ],
  [
    'a User-Agent and Accept of its own',
    (u) => ({
      method: 'GET',
      url: `${u}/ua`,
      headers: [
        ['User-Agent', 'Sockeye'],
        ['Accept', '*/*'],
      ],
      body: null,
    }),
  ],
]

const REQUESTS: Array<[string, (url: string) => SockeyeHttpRequest]> = [
  [
    'multipart with a file and text fields',
    (u) => ({
      http: {
        method: 'POST',
        url: `${u}/form`,
        body: {
          type: 'multipart-form',
          data: [
            { name: 'field', type: 'text', value: 'value' },
            { name: 'at', type: 'text', value: '@not-a-file' },
            { name: 'typed', type: 'text', value: '{}', contentType: 'application/json' },
            { name: 'upload', type: 'file', value: 'up load.bin', contentType: 'application/octet-stream' },
            { name: 'untyped', type: 'file', value: 'note.txt' },
          ],
        },
      },
    }),
  ],
  [
    'form-urlencoded',
    (u) => ({
      http: {
        method: 'POST',
        url: `${u}/urlenc`,
        body: {
          type: 'form-urlencoded',
          data: [
            { name: 'a b', value: 'c&d' },
            { name: 'skip', value: 'x', disabled: true },
            { name: 'u', value: 'ü' },
          ],
        },
      },
    }),
  ],
  [
    'a file body',
    (u) => ({
      http: {
        method: 'PUT',
        url: `${u}/file`,
        body: { type: 'file', data: [{ filePath: 'note.txt', contentType: 'text/plain', selected: true }] },
      },
    }),
  ],
  [
    'basic auth and a bearer-less header',
    (u) => ({
      http: { method: 'GET', url: `${u}/auth`, auth: { type: 'basic', username: 'al ice', password: 'p:w' } },
    }),
  ],
]

async function viaEngine(spec: RequestSpec): Promise<Recorded> {
  const engine = createEngine()
  try {
    const before = server.requests.length
    const result = await engine.send(spec)
    expect(result.error).toBeNull()
    return server.requests[before] as Recorded
  } finally {
    await engine.close()
  }
}

const viaCurl = (command: string) => curlSends(server, command, dir)

function expectSame(curl: Recorded, ours: Recorded) {
  expect(curl.method).toBe(ours.method)
  expect(curl.target).toBe(ours.target)
  const from = boundaryOf(curl)
  const to = boundaryOf(ours)
  const swap = (s: string) => (from && to ? s.replaceAll(from, to) : s)
  expect(swap(curl.body.toString('latin1'))).toBe(ours.body.toString('latin1'))
  expect(defined(curl, ours).map(([n, v]) => [n, swap(v)])).toEqual(defined(ours, curl))
}

describe('copy as cURL sends what Sockeye sends', () => {
  for (const [name, make] of SPECS) {
    it(`a request: ${name}`, async () => {
      const spec = make(server.url)
      const ours = await viaEngine(spec)
      const curl = await viaCurl(specToCurl(spec))
      expectSame(curl, ours)
    })
  }
  for (const [name, make] of REQUESTS) {
    it(`a collection request: ${name}`, async () => {
      const request = make(server.url)
      const built = toSpec(request, readIn(dir))
      if (!built.ok) throw new Error(built.message)
      const ours = await viaEngine(built.spec)
      const curl = await viaCurl(requestToCurl(request))
      expectSame(curl, ours)
    })
  }
})
