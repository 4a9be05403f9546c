import { parseArgs } from 'node:util'
import { createEngine } from '../engine'
import { parseTarget } from '../engine/input'
import * as v from 'valibot'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { PoolSettingsPatchSchema, type PoolSettings, type RequestResult, type RequestSpec } from '../contract'
import {
  prepareRequest,
  readCollection,
  readSecrets,
  requestsInOrder,
  resolverFor,
  sockeyeSettings,
} from '../workspace/collection'
import { readRequestFiles } from '../workspace/collection/files'
import { cookieFlags, cookieOptions, poolSettings, redirectOptions, redirects, Usage } from './args'
import { cookieNote, loadCookies, saveCookies } from './cookies'
import { checkHarTarget, writeHar } from './files'
import { writeJsonReport } from './json'
import { failureLine, Layout, palette, printable, requestLine, summary } from './output'
import { EXIT, usageError, type CliIo } from './run'

/**
 * `sockeye run <folder> [--env NAME] [--json] [--har FILE] [pool options]`: send a collection's
 * HTTP requests one after another in collection order (folders depth first, by seq), with the
 * same per-request lines and connection report as `sockeye <url>…`. Everything is checked before
 * the first request goes out: unreadable files, unknown environment, unresolved variables.
 */
export const RUN_USAGE = `Usage: sockeye run <folder> [options]
  --env NAME                  use environments/NAME.yml (and its secrets in .sockeye/secrets.json)
  --json                      print one JSON document (requests, connections, pools)
  --har FILE                  write a HAR 1.2 file
  --fresh                     send every request on a new socket
  -L, --location              follow redirects in every request (overrides each file's
                              settings.followRedirects; without -L the file decides)
  --max-redirs N              follow at most N redirects with -L
  -b, --cookie 'a=1; b=2'|FILE, --cookie-jar FILE
                              a cookie jar across the run's requests, as for sockeye <url>
  --connections K, --pipelining P, --h2, --http1.1, --insecure, --keep-alive-timeout MS, --timeout MS,
  --max-time MS
                              as for sockeye <url> (see sockeye --help)`

const options = {
  env: { type: 'string' },
  json: { type: 'boolean' },
  har: { type: 'string' },
  fresh: { type: 'boolean' },
  ...redirectOptions,
  ...cookieOptions,
  connections: { type: 'string' },
  pipelining: { type: 'string' },
  h2: { type: 'boolean' },
  'http1.1': { type: 'boolean' },
  insecure: { type: 'boolean' },
  'keep-alive-timeout': { type: 'string' },
  timeout: { type: 'string' },
  'max-time': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

interface Planned {
  name: string
  spec: RequestSpec
}

export async function runCollection(argv: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parse>['values']
  let folder: string
  let pool: ReturnType<typeof poolSettings>
  let follow: ReturnType<typeof redirects>
  let jarFlags: ReturnType<typeof cookieFlags>
  try {
    const parsed = parse(argv)
    values = parsed.values
    if (values.help) {
      io.stdout.write(`${RUN_USAGE}\n`)
      return EXIT.ok
    }
    if (parsed.positionals.length !== 1)
      throw new Usage('run takes one collection folder (usage: sockeye run <folder> [--env NAME])')
    folder = parsed.positionals[0] as string
    pool = poolSettings(values)
    follow = redirects(values)
    jarFlags = cookieFlags(values)
  } catch (err) {
    if (err instanceof Usage) return usageError(io, { code: err.code, message: err.message })
    throw err
  }

  const loaded = await readCollection(folder)
  const fatal = loaded.problems.find((p) => p.file === '.')
  if (fatal) return usageError(io, { code: 'FILE_NOT_FOUND', message: `run ${folder}: ${fatal.message}` })
  for (const p of loaded.problems)
    io.stderr.write(`sockeye: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`)
  const env = values.env ?? null
  if (env !== null && !loaded.environments.some((e) => e.environment.name === env)) {
    const known = loaded.environments.map((e) => e.environment.name)
    const list = known.length ? `known: ${known.join(', ')}` : 'the collection has none'
    return usageError(io, { code: 'INVALID_OPTION', message: `--env ${env}: no such environment (${list})` })
  }
  let secrets: Awaited<ReturnType<typeof readSecrets>>
  try {
    secrets = await readSecrets(loaded.dir)
  } catch (err) {
    return usageError(io, {
      code: 'INVALID_OPTION',
      message: err instanceof Error ? err.message : String(err),
    })
  }

  const planned: Planned[] = []
  for (const node of requestsInOrder(loaded.items)) {
    if (node.type !== 'http') {
      io.stderr.write(`sockeye: ${node.path}: ${node.type} requests are not run (only http); skipped\n`)
      continue
    }
    // File parts and file bodies, from the collection folder, before anything is sent.
    const files = await readRequestFiles(loaded.dir, node.item as HttpRequest, {
      resolve: resolverFor(loaded, node, env, secrets),
    })
    if (!files.ok) {
      return usageError(io, {
        code: 'INVALID_OPTION',
        message: `${node.path}: ${files.message}; nothing was sent`,
      })
    }
    const prepared = prepareRequest(loaded, node, { environment: env, secrets, files: files.files })
    for (const note of prepared.notes) io.stderr.write(`sockeye: ${node.path}: ${note}\n`)
    if (prepared.unresolved.length > 0) {
      const names = prepared.unresolved.map((n) => `{{${printable(n)}}}`).join(', ')
      const where = env
        ? `environment '${env}', its folders or the collection`
        : 'the collection or its folders (no --env given)'
      return usageError(io, {
        code: 'INVALID_OPTION',
        message: `${node.path}: ${names} not defined in ${where}; nothing was sent`,
      })
    }
    let spec = values.fresh ? { ...prepared.spec, fresh: true } : prepared.spec
    if (follow) spec = { ...spec, redirects: follow }
    const target = parseTarget(spec)
    if (!target.ok)
      return usageError(io, {
        code: target.error.code,
        message: `${node.path}: ${target.error.message}; nothing was sent`,
      })
    planned.push({ name: node.name, spec })
  }
  if (planned.length === 0) {
    return usageError(io, { code: 'INVALID_OPTION', message: `run ${folder}: no http requests to run` })
  }
  if (values.har) {
    const target = await checkHarTarget(values.har)
    if (target) return usageError(io, target)
  }
  const jar = await loadCookies(jarFlags)
  if (!jar.ok) return usageError(io, jar.error)
  for (const note of jar.cookies?.notes ?? []) io.stderr.write(`sockeye: ${note}\n`)
  const cookieHeader = jar.cookies?.header
  if (cookieHeader) {
    for (const p of planned) p.spec = { ...p.spec, headers: [...p.spec.headers, ['Cookie', cookieHeader]] }
  }

  // The collection's own pool settings (extensions.sockeye.pools), then the command line's on top.
  const pools: Array<[string, Partial<PoolSettings>]> = []
  for (const [origin, settings] of Object.entries(sockeyeSettings(loaded).pools ?? {})) {
    const parsed = v.safeParse(PoolSettingsPatchSchema, settings)
    const key = v.safeParse(v.pipe(v.string(), v.regex(/^https?:\/\/[^/?#\s]+:\d+$/)), origin)
    if (!parsed.success || !key.success) {
      const why = !key.success
        ? 'origin must be scheme://host:port'
        : (parsed.issues?.[0]?.message ?? 'invalid')
      return usageError(io, {
        code: 'INVALID_OPTION',
        message: `opencollection.yml: extensions.sockeye.pools['${printable(origin)}']: ${why}`,
      })
    }
    pools.push([origin, { ...parsed.output, ...pool }])
  }

  const colors = palette(io.stdout.isTTY, io.env ?? process.env)
  // As `sockeye <url>`: bodies only for --har, and the pool stats read once at the end.
  const engine = createEngine({
    defaults: pool,
    keepBodies: values.har !== undefined,
    statsEvents: false,
    lifecycleEvents: false,
    cookies: jar.cookies?.store ?? null,
  })
  for (const [origin, settings] of pools) engine.configure(origin, settings)
  const methods = planned.map((p) => p.spec.method)
  const layout = new Layout(
    planned.map((p) => p.spec.url),
    methods.reduce((a, b) => (b.length > a.length ? b : a), ''),
    planned.length,
  )
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'request:completed' && !values.json) {
      const note = cookieNote(event.result)
      io.stdout.write(`${requestLine(event.result, layout, colors)}${note ? `  ${colors.dim(note)}` : ''}\n`)
    } else if (event.type === 'request:failed')
      io.stderr.write(`${failureLine(event.result, event.willRetry, colors)}\n`)
  })
  let failures = 0
  for (const p of planned) {
    if (io.signal?.aborted) break
    const result: RequestResult = await engine.send(p.spec)
    if (result.error) failures++
  }
  const interrupted = io.signal?.aborted === true
  if (interrupted) await engine.close()
  else await new Promise((resolve) => setImmediate(resolve))
  unsubscribe()
  if (values.json) {
    await writeJsonReport(io.stdout, engine.results(), engine.connections(), engine.stats())
  } else {
    const text = summary(engine.stats(), engine.connections(), colors)
    if (text) io.stdout.write(`\n${text}\n`)
  }
  let harFailed = false
  if (values.har) {
    const error = await writeHar(values.har, engine.harParts())
    if (error) io.stderr.write(`sockeye: ${error}\n`)
    harFailed = error !== null
  }
  const jarError =
    jar.cookies && jarFlags.cookieJar ? await saveCookies(jar.cookies.store, jarFlags.cookieJar) : null
  if (jarError) io.stderr.write(`sockeye: ${jarError}\n`)
  if (interrupted) return EXIT.interrupted
  await engine.close()
  return failures > 0 || harFailed || jarError ? EXIT.failed : EXIT.ok
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
    throw new Usage(`run: ${message} (see sockeye run --help)`)
  }
}
