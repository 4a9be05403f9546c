import { closeSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Item } from '@opencollection/types/collection/item'
import {
  prepareRequest,
  readCollection,
  readSecrets,
  requestsInOrder,
  resolverFor,
  writeCollection,
} from '../workspace/collection'
import { readRequestFiles } from '../workspace/collection/files'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { FileError } from '../workspace/files'
import { requestToCurl, specToCurl } from '../workspace/export/curl'
import { importBytes, ImportError, KNOWN_FORMATS } from '../workspace/import'
import type { ReadFile } from '../workspace/import/curl-data'
import { openHar } from '../workspace/import/recording'
import { decodeText, MAX_IMPORT_BYTES, parseJson } from '../workspace/import/text'
import { poolFor, type SockeyeHttpRequest } from '../workspace/import/types'
import { writeJsonReport } from './json'
import { failureLine, Layout, palette, requestLine, summary } from './output'
import { readAtMost } from './files'
import { USAGE } from './args'
import type { CliIo } from './run'

/**
 * `sockeye import <file> --into <folder>`, `sockeye export <folder> --curl`,
 * `sockeye open <file.har> [--json]`: the workspace formats on the command line.
 */

/** The format commands' lines of `sockeye --help`. */
export const FORMATS_USAGE = USAGE.split('\n')
  .filter((line) => /^\s+sockeye (import|export|open)\b/.test(line))
  .join('\n')

const EXIT = { ok: 0, failed: 1, usage: 2 } as const

function fail(io: CliIo, message: string, code: number = EXIT.failed): number {
  io.stderr.write(`sockeye: ${message}\n`)
  return code
}

/** The most a curl command's `@file` may read (the contract's body limit). */
const MAX_PART_BYTES = 10 * 1024 * 1024

/** curl's `@file` reads, relative to the working directory as curl's are; null past the limit. */
const readForCurl: ReadFile = (path) => {
  if (path === '-') return null
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    const buffer = Buffer.alloc(MAX_PART_BYTES + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0 || (length += n) >= buffer.length) break
    }
    return length > MAX_PART_BYTES ? null : buffer.subarray(0, length)
  } catch {
    return null
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/** The file to import or open, at most the import limit plus one byte (decodeText then refuses). */
async function readInput(path: string): Promise<Buffer> {
  try {
    return await readAtMost(path, MAX_IMPORT_BYTES)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
    const why =
      code === 'ENOENT'
        ? `no such file (looked in ${resolve(path)})`
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot read (${code})`
    throw new ImportError(`${path}: ${why}`)
  }
}

export async function runFormats(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0]
    return fail(io, `${name}: ${detail} (usage:\n${FORMATS_USAGE})`, EXIT.usage)
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout.write(`Usage:\n${FORMATS_USAGE}\n`)
    return EXIT.ok
  }
  const target = positionals[0]
  if (positionals.length !== 1 || target === undefined) {
    return fail(
      io,
      `${name} takes one ${name === 'export' ? 'folder' : 'file'} (usage:\n${FORMATS_USAGE})`,
      EXIT.usage,
    )
  }
  try {
    if (name === 'import') return await importCommand(target, values.into, io)
    if (name === 'export') return await exportCommand(target, values.curl === true, values.env ?? null, io)
    return await openCommand(target, values.json === true, io)
  } catch (err) {
    if (err instanceof ImportError || err instanceof FileError) return fail(io, err.message)
    // A bug, not bad input: still one line, no stack trace (as `main` does).
    const message = err instanceof Error ? err.message : String(err)
    return fail(io, `internal error: ${message.split('\n')[0]} (please report it)`)
  }
}

const OPTIONS = {
  into: { type: 'string' },
  curl: { type: 'boolean' },
  env: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Requests in a bundled collection, folders walked. */
function countRequests(items: readonly Item[] | undefined): number {
  return (items ?? []).reduce(
    (n, item) => n + ('items' in item && Array.isArray(item.items) ? countRequests(item.items) : 1),
    0,
  )
}

async function importCommand(file: string, into: string | undefined, io: CliIo): Promise<number> {
  if (!into)
    return fail(io, `import: --into <folder> is required (where the collection is written)`, EXIT.usage)
  const bytes = await readInput(file)
  const result = importBytes(bytes, file, { readFile: readForCurl })
  for (const warning of result.warnings) io.stderr.write(`sockeye: import: ${warning}\n`)
  const count = countRequests(result.collection.items)
  if (count === 0) return fail(io, `${file} (${result.format}) holds no requests; nothing written to ${into}`)
  const written = await writeCollection(resolve(into), result.collection)
  io.stdout.write(
    `imported ${count} ${count === 1 ? 'request' : 'requests'} from ${file} (${result.format}) into ${into}: ${written.files.length} files written\n`,
  )
  return EXIT.ok
}

async function exportCommand(folder: string, curl: boolean, env: string | null, io: CliIo): Promise<number> {
  if (!curl) return fail(io, 'export: give the format: --curl (one curl command per request)', EXIT.usage)
  const loaded = await readCollection(folder)
  for (const p of loaded.problems)
    io.stderr.write(`sockeye: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`)
  const nodes = requestsInOrder(loaded.items).filter((n) => n.type === 'http')
  if (nodes.length === 0 && loaded.problems.length > 0) return EXIT.failed
  if (env !== null && !loaded.environments.some((e) => e.environment.name === env)) {
    const known = loaded.environments.map((e) => e.environment.name).join(', ') || 'the collection has none'
    return fail(io, `--env ${env}: no such environment (known: ${known})`, EXIT.usage)
  }
  // With --env, variables are resolved as `sockeye run` resolves them; without, `{{…}}` stays as written.
  const secrets = env === null ? {} : await readSecrets(loaded.dir)
  let refused = 0
  for (const node of nodes) {
    const request = node.item as SockeyeHttpRequest
    let command: string
    try {
      if (env === null) command = requestToCurl(request, poolFor(loaded.root, request.http?.url ?? ''))
      else {
        // File parts and file bodies stay files (curl reads them when the command runs), checked
        // as `sockeye run` checks them: inside the folder, regular files, within the body limit.
        // Their bytes are not read: the command names the paths (prepareRequest only gets the
        // headers such a body goes with from them).
        const resolve = resolverFor(loaded, node, env, secrets)
        const files = await readRequestFiles(loaded.dir, request as HttpRequest, { resolve, contents: false })
        if (!files.ok) throw new Error(`${files.message}; no command printed`)
        const prepared = prepareRequest(loaded, node, { environment: env, secrets, files: files.files })
        for (const note of prepared.notes) io.stderr.write(`sockeye: ${node.path}: ${note}\n`)
        for (const name of prepared.unresolved)
          io.stderr.write(`sockeye: ${node.path}: {{${name}}} is not set\n`)
        const pool = poolFor(loaded.root, prepared.spec.url)
        command =
          files.files.size > 0
            ? requestToCurl(request, pool, { spec: prepared.spec, resolve: (text) => resolve(text).text })
            : specToCurl(prepared.spec, pool)
      }
    } catch (err) {
      io.stderr.write(`sockeye: ${node.path}: ${err instanceof Error ? err.message : String(err)}\n`)
      refused++
      continue
    }
    io.stdout.write(`# ${node.path.replace(/[\r\n]/g, ' ')}\n${command}\n`)
  }
  return loaded.problems.length > 0 || refused > 0 ? EXIT.failed : EXIT.ok
}

async function openCommand(file: string, json: boolean, io: CliIo): Promise<number> {
  const doc = parseJson(decodeText(await readInput(file), file), file)
  const recording = openHar(doc)
  if (json) {
    await writeJsonReport(io.stdout, recording.requests, recording.connections, recording.pools)
    return EXIT.ok
  }
  const colors = palette(io.stdout.isTTY, io.env ?? process.env)
  const methods = recording.requests.map((r) => r.method)
  const widest = methods.reduce((a, m) => (m.length > a.length ? m : a), 'GET')
  const layout = new Layout(
    recording.requests.map((r) => r.url),
    widest,
    Math.max(1, ...recording.requests.map((r) => r.id)),
  )
  for (const r of recording.requests) {
    if (r.error) io.stderr.write(`${failureLine(r, false, colors)}\n`)
    else io.stdout.write(`${requestLine(r, layout, colors)}\n`)
  }
  const text = summary(recording.pools, recording.connections, colors)
  if (text) io.stdout.write(`\n${text}\n`)
  return EXIT.ok
}

export { KNOWN_FORMATS }
