import { describe, expect, it } from 'vitest'
import { parseArgv, type Command, type RunCommand } from '../../electron/cli/args'

function command(argv: string[]): Command {
  const parsed = parseArgv(argv)
  if (!parsed.ok) throw new Error(`expected success, got: ${parsed.error.message}`)
  return parsed.command
}

function run(argv: string[]): RunCommand {
  const c = command(argv)
  if (c.kind !== 'run') throw new Error(`expected a run command, got ${c.kind}`)
  return c
}

function usage(argv: string[]) {
  const parsed = parseArgv(argv)
  if (parsed.ok) throw new Error(`expected a usage error for ${argv.join(' ')}`)
  return parsed.error
}

const URL1 = 'http://127.0.0.1:8080/?q=python&v=1.0'

describe('sockeye argument parsing', () => {
  it('defaults to one sequential GET per URL with engine pool defaults', () => {
    expect(run([URL1])).toEqual({
      kind: 'run',
      urls: [URL1],
      method: 'GET',
      headers: [],
      data: null,
      repeat: 1,
      concurrency: 1,
      delayMs: 0,
      pool: {},
      fresh: false,
      redirects: null,
      json: false,
      har: null,
      bodyBudgetMiB: null,
      cookies: [],
      cookieJar: null,
    })
  })

  it('keeps URLs in command-line order', () => {
    expect(run(['http://a.test/1', '--json', 'http://b.test/2']).urls).toEqual([
      'http://a.test/1',
      'http://b.test/2',
    ])
  })

  it('maps pool options to per-origin pool settings', () => {
    const c = run(['--connections', '1', '--pipelining', '4', '--h2', '--insecure', URL1])
    expect(c.pool).toEqual({ connections: 1, pipelining: 4, allowH2: true, rejectUnauthorized: false })
  })

  it('makes --http1.1 turn HTTP/2 off', () => {
    expect(run(['--http1.1', URL1]).pool).toEqual({ allowH2: false })
  })

  it('makes --timeout set the connect, headers and body timeouts', () => {
    expect(run(['--timeout', '2500', URL1]).pool).toEqual({
      connectTimeout: 2500,
      headersTimeout: 2500,
      bodyTimeout: 2500,
    })
  })

  it('makes --keep-alive-timeout an upper bound over the server hint', () => {
    expect(run(['--keep-alive-timeout', '800', URL1]).pool).toEqual({
      keepAliveTimeout: 800,
      keepAliveMaxTimeout: 800,
    })
  })

  it('reads -L / --location as follow redirects, with --max-redirs N (default 10, as the composer)', () => {
    expect(run(['-L', URL1]).redirects).toEqual({ follow: true, max: 10 })
    expect(run(['--location', '--max-redirs', '0', URL1]).redirects).toEqual({ follow: true, max: 0 })
  })

  it('reads --max-time as the pool maxTime (a total deadline per request, like curl -m)', () => {
    expect(run(['--max-time', '2500', URL1]).pool).toEqual({ maxTime: 2500 })
  })

  it('reads repeat, concurrency, delay, fresh, json and har', () => {
    const c = run(['-n', '3', '-c', '2', '--delay', '1500', '--fresh', '--json', '--har', 'out.har', URL1])
    expect(c).toMatchObject({
      repeat: 3,
      concurrency: 2,
      delayMs: 1500,
      fresh: true,
      json: true,
      har: 'out.har',
    })
  })

  it('collects repeated -H headers in order, trimmed around the colon', () => {
    expect(run(['-H', 'Accept: text/plain', '-H', 'X-Trace:a:b', URL1]).headers).toEqual([
      ['Accept', 'text/plain'],
      ['X-Trace', 'a:b'],
    ])
  })

  it('makes -d without -X a POST, as curl does', () => {
    const c = run(['-d', 'a=1', URL1])
    expect(c.method).toBe('POST')
    expect(c.data).toEqual({ kind: 'text', text: 'a=1' })
  })

  it('keeps an explicit method with -d', () => {
    expect(run(['-X', 'PUT', '-d', 'x', URL1]).method).toBe('PUT')
  })

  it('treats -d @file as a file to read later', () => {
    expect(run(['-d', '@body.json', URL1]).data).toEqual({ kind: 'file', path: 'body.json' })
  })

  it('recognises help, version and serve', () => {
    expect(command(['--help'])).toEqual({ kind: 'help' })
    expect(command(['-h', URL1])).toEqual({ kind: 'help' })
    expect(command(['--version'])).toEqual({ kind: 'version' })
    expect(command(['serve'])).toEqual({ kind: 'serve', port: undefined, open: false, bodyBudgetMiB: null })
    expect(command(['serve', '--port', '4173', '--open'])).toMatchObject({
      kind: 'serve',
      port: 4173,
      open: true,
    })
  })

  it('takes a body budget in MiB for runs and for browser mode, within the contract range', () => {
    expect(run(['--body-budget', '64', URL1]).bodyBudgetMiB).toBe(64)
    expect(command(['serve', '--body-budget', '0'])).toMatchObject({ kind: 'serve', bodyBudgetMiB: 0 })
    expect(usage(['--body-budget', '-1', URL1]).message).toMatch(/^--body-budget (needs a value|must be)/)
    expect(usage(['--body-budget', '65537', URL1]).message).toBe(
      "--body-budget must be an integer from 0 to 65536 (got '65537')",
    )
  })
})

describe('sockeye usage errors', () => {
  // Each bad input → one line that names the problem and the fix, with the engine's code when one applies.
  const cases: Array<[string[], string, string]> = [
    [
      ['--connections', 'x', URL1],
      'INVALID_OPTION',
      "--connections must be an integer from 1 to 256 (got 'x')",
    ],
    [
      ['--connections', '0', URL1],
      'INVALID_OPTION',
      "--connections must be an integer from 1 to 256 (got '0')",
    ],
    [
      ['--pipelining', '1.5', URL1],
      'INVALID_OPTION',
      "--pipelining must be an integer from 1 to 100 (got '1.5')",
    ],
    [
      ['-n', '-1', URL1],
      'INVALID_OPTION',
      "--repeat needs a value, not another option; write --repeat=VALUE if the value starts with '-'",
    ],
    [['-c', '2000', URL1], 'INVALID_OPTION', "--concurrency must be an integer from 1 to 1024 (got '2000')"],
    [['--delay', '1e3', URL1], 'INVALID_OPTION', "--delay must be an integer from 0 to 600000 (got '1e3')"],
    [['--timeout', '0', URL1], 'INVALID_OPTION', "--timeout must be an integer from 1 to 600000 (got '0')"],
    [['--keep-alive-timeout', '', URL1], 'INVALID_OPTION', '--keep-alive-timeout must be an integer from 1'],
    [
      ['--max-time', 'x', URL1],
      'INVALID_OPTION',
      "--max-time must be an integer from 0 to 86400000 (got 'x')",
    ],
    [['--bogus', URL1], 'INVALID_OPTION', "unknown option '--bogus' (see sockeye --help"],
    [[URL1, '-X'], 'INVALID_OPTION', '--method needs a value (see sockeye --help)'],
    [['--json=yes', URL1], 'INVALID_OPTION', '--json takes no value; write --json alone'],
    [['-H', 'NoColon', URL1], 'INVALID_HEADER', '--header must look like "Name: value" (got \'NoColon\')'],
    [['--h2', '--http1.1', URL1], 'INVALID_OPTION', '--h2 and --http1.1 contradict each other; give one'],
    [['-d', '@', URL1], 'INVALID_OPTION', '--data @file needs a file name after @'],
    [['--har', '', URL1], 'INVALID_OPTION', '--har needs a file name'],
    [[], 'INVALID_OPTION', 'no URL given (usage: sockeye [options] <url>...; see --help)'],
    [['serve', '--port', 'abc'], 'INVALID_OPTION', "--port must be an integer from 0 to 65535 (got 'abc')"],
    [['serve', URL1], 'INVALID_OPTION', `serve takes no URL (got '${URL1}')`],
    [['serve', '--json'], 'INVALID_OPTION', "unknown option '--json'"],
  ]

  for (const [argv, code, message] of cases) {
    it(`rejects ${JSON.stringify(argv.join(' '))} with ${code}`, () => {
      const error = usage(argv)
      expect(error.code).toBe(code)
      expect(error.message.startsWith(message)).toBe(true)
      expect(error.message).not.toMatch(/\n/)
    })
  }

  it("points curl's -c FILE to --cookie-jar", () => {
    const parsed = parseArgv(['-c', 'jar.txt', URL1])
    expect(parsed).toEqual({
      ok: false,
      error: {
        code: 'INVALID_OPTION',
        message:
          "--concurrency must be an integer from 1 to 1024 (got 'jar.txt'); for curl's -c FILE write --cookie-jar FILE",
      },
    })
  })

  it('takes -b (repeatable) and --cookie-jar; -c stays --concurrency', () => {
    const command = run(['-b', 'a=1; b=2', '--cookie', 'jar.txt', '--cookie-jar', 'out.txt', '-c', '2', URL1])
    expect(command).toMatchObject({ cookies: ['a=1; b=2', 'jar.txt'], cookieJar: 'out.txt', concurrency: 2 })
  })
})
