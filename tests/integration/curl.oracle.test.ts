/**
 * Oracle: real curl and Sockeye's engine send the same request for the same command. Each row runs
 * the command with /usr/bin/curl (through bash, as pasted) against a loopback recording server,
 * imports it (curl → OpenCollection → RequestSpec), sends it with the engine, and compares method,
 * request target, the headers the command defines, and the body byte for byte.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { importCurl } from '../../electron/workspace/import/curl'
import { toSpec } from '../../electron/workspace/export/spec'
import { poolFor, type SockeyeHttpRequest } from '../../electron/workspace/import/types'
import { startEchoServer, type EchoServer, type Recorded } from '../helpers/echo'
import { boundaryOf, curlSends, defined, readIn, requireCurl } from '../helpers/curl'

let server: EchoServer
let dir: string

beforeAll(async () => {
  requireCurl()
  server = await startEchoServer()
  dir = mkdtempSync(join(tmpdir(), 'sockeye-curl-'))
  writeFileSync(join(dir, 'body.txt'), 'line one\r\nline two\nend')
  writeFileSync(join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x0d, 0x80]))
  writeFileSync(join(dir, 'headers.txt'), 'X-From-File: 1\nX-Other: two words\n\n')
  writeFileSync(join(dir, 'upload.txt'), 'uploaded text\n')
  writeFileSync(join(dir, 'data.json'), '{"from": "file"}\n')
})
afterAll(async () => {
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Commands as a user pastes them; $URL is the recording server. */
const COMMANDS: Array<[name: string, command: string]> = [
  ['a plain GET', `curl $URL/get`],
  ['-X PUT with repeated and empty headers', `curl -X PUT $URL/put -H 'X-A: 1' -H 'X-A: 2' -H 'X-Empty;'`],
  ['-H "Name:" removes curl\'s own header', `curl $URL/r -H 'Accept:' -H 'User-Agent:'`],
  ['-H @file', `curl -H @headers.txt $URL/h`],
  ['-d joined with &', `curl -d 'a=1' -d 'b=two words' $URL/form`],
  ['--data-raw keeps a leading @', `curl --data-raw '@notafile' $URL/raw`],
  ['--data-binary @file keeps every byte', `curl --data-binary @bin.dat $URL/bin`],
  ['-d @file drops CR and LF', `curl -d @body.txt $URL/strip`],
  [
    '--data-binary @file with a Content-Type',
    `curl --data-binary @body.txt -H 'Content-Type: text/plain' $URL`,
  ],
  [
    '--data-urlencode in all its forms',
    `curl --data-urlencode 'a b&c' --data-urlencode '=x y' --data-urlencode 'n=ü é' --data-urlencode @body.txt --data-urlencode 'f@body.txt' $URL/enc`,
  ],
  ['--json', `curl --json '{"a":1}' $URL/json`],
  ['--json @file', `curl --json @data.json $URL/jsonfile`],
  [
    '-F and --form-string',
    `curl -F 'name=value' -F 'file=@upload.txt' -F 'typed=@bin.dat;type=application/x-thing' --form-string 'lit=@notafile' -F 'fromfile=<upload.txt' $URL/upload`,
  ],
  ['-G moves -d into the query', `curl -G -d 'q=1' -d 'r=two' '$URL/search?x=0'`],
  ['-I sends HEAD', `curl -I $URL/head`],
  ['-u user:password', `curl -u 'alice:s3cr3t' $URL/basic`],
  ['credentials in the URL', `curl '$USERURL/userinfo'`],
  ['-A, -e, -b', `curl -A 'MyAgent/1.0' -e 'https://ref.example/' -b 'a=1' -b 'b=2' $URL/ua`],
  ['--oauth2-bearer', `curl --oauth2-bearer tok123 $URL/bearer`],
  ['--url-query', `curl --url-query 'q=a b' --url-query '+raw=a+b' '$URL/path?x=1'`],
  ['-k --http1.1', `curl -k --http1.1 $URL/k`],
  ['--http2 over http (curl offers h2c; Sockeye sends HTTP/1.1)', `curl --http2 $URL/h2`],
  [
    'line continuations and shell quoting',
    `curl \\\n  -X POST \\\n  -H $'X-Quoted: it\\'s' \\\n  --data-binary "double \\"quoted\\" \\$HOME" \\\n  $URL/quoted`,
  ],
  ['combined short options', `curl -XPATCH -dx=1 $URL/patch`],
  ['a JSON body with its own Content-Type', `curl -H 'Content-Type: application/json' -d '{"x": 1}' $URL/j`],
  ['template text stays inert', `curl -H "X-T: {{constructor.constructor('return 1')()}}" $URL/t`],
  ['repeated --json pieces', `curl --json '{"a":1}' --json '{"b":2}' $URL/jsons`],
  ['-G with --data-urlencode', `curl -G --data-urlencode 'q=a b&c' -d 'x=1' $URL/gq`],
  ['--url-query from a file', `curl --url-query 'f@upload.txt' $URL/uq`],
  ['--url-query escapes', `curl --url-query 'k=~*é/?' --url-query '=x y' --url-query 'bare' $URL/uqe`],
  ['a header value with colons', `curl -H 'X-Time: 12:30:00' -H 'X-Url: http://a/b' $URL/colon`],
  ['-H Authorization wins over -u', `curl -u a:b -H 'Authorization: Token xyz' $URL/authz`],
  ['-H "Authorization:" removes -u', `curl -u a:b -H 'Authorization:' $URL/noauth`],
  ["-H replaces --compressed's Accept-Encoding", `curl --compressed -H 'Accept-Encoding: identity' $URL/ae`],
  ['-H Cookie beside -b', `curl -b 'a=1' -H 'Cookie: b=2' $URL/cookie`],
  ['--oauth2-bearer with -u', `curl --oauth2-bearer t0k -u a:b $URL/both`],
]

async function sendWithSockeye(command: string): Promise<Recorded> {
  const imported = importCurl(command, { readFile: readIn(dir) })
  const request = imported.collection.items?.[0] as SockeyeHttpRequest
  const built = toSpec(request, readIn(dir))
  if (!built.ok) throw new Error(built.message)
  const engine = createEngine({ defaults: poolFor(imported.collection, built.spec.url) })
  try {
    const before = server.requests.length
    const result = await engine.send(built.spec)
    expect(result.error).toBeNull()
    expect(server.requests.length).toBe(before + 1)
    return server.requests[before] as Recorded
  } finally {
    await engine.close()
  }
}

const sendWithCurl = (command: string) => curlSends(server, command, dir)

describe('curl import sends what curl sends', () => {
  for (const [name, template] of COMMANDS) {
    it(name, async () => {
      const command = template
        .replaceAll('$URL', server.url)
        .replaceAll('$USERURL', server.url.replace('://', '://bob:p%40ss@'))
      const curl = await sendWithCurl(command)
      const ours = await sendWithSockeye(command)
      expect(ours.method).toBe(curl.method)
      expect(ours.target).toBe(curl.target)
      const from = boundaryOf(curl)
      const to = boundaryOf(ours)
      // curl's multipart boundary is random; so is Sockeye's: compare with one put for the other.
      const swap = (s: string) => (from && to ? s.replaceAll(from, to) : s)
      expect(ours.body.toString('latin1')).toBe(swap(curl.body.toString('latin1')))
      const curlHeaders = defined(curl, ours).map(([n, v]) => [n, swap(v)])
      expect(defined(ours, curl)).toEqual(curlHeaders)
    })
  }

  it('--compressed asks for the codings Sockeye decodes, each of which curl asks for too', async () => {
    const command = `curl --compressed ${server.url}/z`
    const coding = (r: Recorded) =>
      (r.headers.find(([n]) => n.toLowerCase() === 'accept-encoding')?.[1] ?? '').split(/,\s*/)
    const curl = await sendWithCurl(command)
    const ours = await sendWithSockeye(command)
    expect(coding(ours)).toEqual(['deflate', 'gzip', 'br'])
    for (const c of coding(ours)) expect(coding(curl)).toContain(c)
  })
})
