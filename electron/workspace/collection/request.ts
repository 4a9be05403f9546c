import type { Auth } from '@opencollection/types/common/auth'
import type { RequestDefaults } from '@opencollection/types/common/request-defaults'
import type {
  HttpRequest,
  HttpRequestBody,
  HttpRequestHeader,
  MultipartFormEntry,
} from '@opencollection/types/requests/http'
import { isUtf8 } from 'node:buffer'
import type { HeaderList, RequestSpec } from '../../contract'
import { buildMultipart } from '../export/multipart'
import { redirectsOf } from '../export/spec'
import { chosenBody, type RequestFiles, type Resolve } from './files'
import { layerOf, substitute, type VariableLayer, type VariableScope } from '../variables'
import type { Secrets } from './secrets'
import type { CollectionNode, FolderNode, LoadedCollection, RequestNode, SockeyeExtension } from './types'

/**
 * A saved request → the engine's RequestSpec: variables substituted (plain lookup), headers and
 * auth inherited from folders and the collection, the body encoded. What cannot be sent as
 * written (an auth scheme Sockeye does not implement, a file part when no `files` were read) is
 * listed in `notes`, never silently guessed. `files` (readRequestFiles, with `resolverFor`'s
 * substitution) holds the bytes of the file parts and file body, read from the collection folder,
 * by path with its `{{variables}}` substituted.
 */
export interface Prepared {
  spec: RequestSpec
  /** `{{…}}` left as text anywhere in the request. */
  unresolved: string[]
  /** One line per thing not sent as written. */
  notes: string[]
}

/** The folders from the root down to the node at `path` (exclusive), and the node. */
export function locate(
  items: readonly CollectionNode[],
  path: string,
): { folders: FolderNode[]; node: CollectionNode } | null {
  for (const node of items) {
    if (node.path === path) return { folders: [], node }
    if (node.kind === 'folder' && path.startsWith(`${node.path}/`)) {
      const inner = locate(node.items, path)
      if (inner) return { folders: [node, ...inner.folders], node: inner.node }
    }
  }
  return null
}

/** The variable scope for a request: request > folders (inner first) > environment > collection. */
export function scopeFor(
  loaded: LoadedCollection,
  folders: readonly FolderNode[],
  request: HttpRequest | null,
  environment: string | null,
  secrets: Secrets = {},
): VariableScope {
  const layers: VariableLayer[] = []
  if (request) layers.push(layerOf('request', request.runtime?.variables))
  for (const folder of [...folders].reverse())
    layers.push(layerOf(`folder ${folder.name}`, folder.folder.request?.variables))
  if (environment !== null) {
    const env = loaded.environments.find((e) => e.environment.name === environment)
    const own = Object.hasOwn(secrets, environment) ? secrets[environment] : undefined
    if (env) layers.push(layerOf(`environment ${environment}`, env.environment.variables, own))
  }
  layers.push(layerOf('collection', loaded.root.request?.variables))
  return layers
}

/**
 * `{{variables}}` substituted in the scope of the request at `node` (as prepareRequest does): for
 * readRequestFiles, so the files read are the ones prepareRequest then looks up.
 */
export function resolverFor(
  loaded: LoadedCollection,
  node: RequestNode,
  environment: string | null,
  secrets: Secrets = {},
): Resolve {
  const folders = locate(loaded.items, node.path)?.folders ?? []
  const scope = scopeFor(loaded, folders, node.item as HttpRequest, environment, secrets)
  return (text) => substitute(text, scope)
}

/** Sockeye's settings for one request (`extensions.sockeye.requests[path]` in opencollection.yml). */
export function sockeyeSettings(
  loaded: LoadedCollection,
): SockeyeExtension & { requests?: Record<string, { fresh?: boolean }> } {
  const ext = loaded.root.extensions?.sockeye
  return ext && typeof ext === 'object' && !Array.isArray(ext) ? (ext as SockeyeExtension) : {}
}

export function prepareRequest(
  loaded: LoadedCollection,
  node: RequestNode,
  options: { environment?: string | null; secrets?: Secrets; files?: RequestFiles } = {},
): Prepared {
  const found = locate(loaded.items, node.path)
  const folders = found?.folders ?? []
  const request = node.item as HttpRequest
  const http = request.http ?? {}
  const scope = scopeFor(loaded, folders, request, options.environment ?? null, options.secrets)
  const unresolved: string[] = []
  const notes: string[] = []
  const sub = (text: unknown): string => {
    const out = substitute(typeof text === 'string' ? text : String(text ?? ''), scope)
    for (const name of out.unresolved) if (!unresolved.includes(name)) unresolved.push(name)
    return out.text
  }

  const defaults: (RequestDefaults | undefined)[] = [
    loaded.root.request,
    ...folders.map((f) => f.folder.request),
  ]
  let url = sub(http.url ?? '')
  // Path params `:id` from params of type path; query params are already in the URL (Bruno keeps
  // the two in sync); a URL without a query string gets the enabled query params appended.
  const params = (http.params ?? []).filter((p) => p && !p.disabled && typeof p.name === 'string')
  for (const p of params.filter((q) => q.type === 'path')) {
    url = url.replace(new RegExp(`:${escapeRegex(p.name)}(?=[/?#]|$)`, 'g'), encodeURIComponent(sub(p.value)))
  }
  const query = params.filter((p) => p.type === 'query')
  if (query.length > 0 && !url.includes('?')) {
    url += `?${query.map((p) => `${encodeURIComponent(sub(p.name))}=${encodeURIComponent(sub(p.value))}`).join('&')}`
  }

  // Headers: collection < folders (outer to inner) < request; a level replaces what it inherits for a
  // name, and repeats within one level are all sent (`-H 'X-A: 1' -H 'X-A: 2'`, as curl sends them).
  const merged = new Map<string, Array<[string, string]>>()
  const addHeaders = (list: HttpRequestHeader[] | undefined) => {
    const own = new Set<string>()
    for (const h of list ?? []) {
      if (!h || h.disabled || typeof h.name !== 'string' || !h.name) continue
      const name = sub(h.name)
      const key = name.toLowerCase()
      if (own.has(key)) merged.get(key)?.push([name, sub(h.value)])
      else merged.set(key, [[name, sub(h.value)]])
      own.add(key)
    }
  }
  for (const d of defaults) addHeaders(d?.headers)
  addHeaders(http.headers)

  // Auth: `inherit` walks up to the nearest folder (then the collection) that sets one.
  let auth: Auth | undefined = http.auth
  for (const d of [...defaults].reverse()) {
    if (auth !== 'inherit') break
    if (d?.auth !== undefined) auth = d.auth
  }
  if (auth === 'inherit') auth = undefined
  const hasAuthorization = merged.has('authorization')
  if (auth && typeof auth === 'object') {
    if (auth.type === 'basic' && !hasAuthorization) {
      const token = Buffer.from(`${sub(auth.username ?? '')}:${sub(auth.password ?? '')}`).toString('base64')
      merged.set('authorization', [['Authorization', `Basic ${token}`]])
    } else if (auth.type === 'bearer' && !hasAuthorization) {
      merged.set('authorization', [['Authorization', `Bearer ${sub(auth.token ?? '')}`]])
    } else if (auth.type === 'apikey' && auth.key) {
      if (auth.placement === 'query') {
        url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(sub(auth.key))}=${encodeURIComponent(sub(auth.value ?? ''))}`
      } else merged.set(sub(auth.key).toLowerCase(), [[sub(auth.key), sub(auth.value ?? '')]])
    } else if (!['basic', 'bearer', 'apikey'].includes(auth.type)) {
      notes.push(`auth '${auth.type}' is not applied by Sockeye; the request is sent without it`)
    }
  }

  const body = encodeBody(chosenBody(http), sub, notes, options.files)
  const headers = withBodyType([...merged.values()].flat(), body)
  const fresh = sockeyeSettings(loaded).requests?.[node.path]?.fresh === true
  const redirects = redirectsOf(request.settings)
  return {
    spec: {
      method: (http.method || 'GET').toUpperCase(),
      url,
      headers,
      body: body?.data ?? null,
      bodyEncoding: body?.encoding ?? 'utf8',
      ...(fresh ? { fresh } : {}),
      ...(redirects ? { redirects } : {}),
    },
    unresolved,
    notes,
  }
}

const RAW_TYPES: Record<string, string> = {
  json: 'application/json',
  text: 'text/plain',
  xml: 'application/xml',
  sparql: 'application/sparql-query',
}

export interface Encoded {
  data: string
  encoding: 'utf8' | 'base64'
  contentType: string | null
}

/** Bytes as the contract carries them: UTF-8 text when they are, else base64. */
const encoded = (bytes: Buffer, contentType: string | null): Encoded =>
  isUtf8(bytes)
    ? { data: bytes.toString('utf8'), encoding: 'utf8', contentType }
    : { data: bytes.toString('base64'), encoding: 'base64', contentType }

/**
 * The headers a body goes with: its Content-Type unless the request sets one (a multipart one of
 * the user's without a boundary would make the body unreadable: it is replaced).
 */
export function withBodyType(headers: HeaderList, body: Encoded | null): HeaderList {
  const type = body?.contentType
  if (!type) return headers
  const isType = (name: string) => name.toLowerCase() === 'content-type'
  let out = headers
  if (type.startsWith('multipart/') && !out.some(([n, v]) => isType(n) && /boundary=/i.test(v)))
    out = out.filter(([n]) => !isType(n))
  return out.some(([n]) => isType(n)) ? out : [...out, ['Content-Type', type]]
}

/**
 * A request body as `sockeye run` encodes it; `sub` substitutes variables in its texts (and file
 * paths), `files` holds the files' bytes by substituted path (readRequestFiles).
 */
export function encodeBody(
  body: HttpRequestBody | undefined,
  sub: (t: unknown) => string,
  notes: string[],
  files: RequestFiles | undefined,
): Encoded | null {
  if (!body) return null
  if (body.type in RAW_TYPES) {
    const data = sub((body as { data: string }).data)
    return { data, encoding: 'utf8', contentType: RAW_TYPES[body.type] ?? null }
  }
  if (body.type === 'form-urlencoded') {
    const form = new URLSearchParams()
    for (const e of body.data ?? []) if (e && !e.disabled) form.append(sub(e.name), sub(e.value))
    return { data: form.toString(), encoding: 'utf8', contentType: 'application/x-www-form-urlencoded' }
  }
  if (body.type === 'multipart-form') {
    // Text values and file paths get their variables (the files were read by substituted path).
    const entries = (body.data ?? []).flatMap((e): MultipartFormEntry[] => {
      if (!e || e.disabled) return []
      if (e.type === 'file') {
        // A path left with an undefined `{{name}}` was not read: it is reported with the unresolved
        // names (the caller refuses or asks), not as an unreadable file.
        const paths = (Array.isArray(e.value) ? e.value : [e.value])
          .map(sub)
          .filter((p) => files?.has(p) || !p.includes('{{'))
        if (files) return paths.length > 0 ? [{ ...e, name: sub(e.name), value: paths }] : []
        notes.push(`form part '${e.name}' names a file, which is not read here; it is left out`)
        return []
      }
      const value = Array.isArray(e.value) ? e.value.join(',') : e.value
      return [{ ...e, name: sub(e.name), value: sub(value) }]
    })
    const built = buildMultipart(entries, (path) => files?.get(path) ?? null)
    if (!built.ok) {
      notes.push(`${built.message}; the request goes without a body`)
      return null
    }
    return encoded(built.body, built.contentType)
  }
  if (body.type === 'file') {
    const variant = body.data.find((v) => v.selected) ?? body.data[0]
    const bytes = variant ? files?.get(sub(variant.filePath)) : undefined
    if (variant && bytes) return encoded(bytes, variant.contentType || null)
    if (variant) {
      notes.push(`body file ${variant.filePath} is not read here; the request goes without a body`)
    }
    return null
  }
  notes.push(
    `body type '${(body as { type: string }).type}' is not sent by Sockeye yet; the request goes without a body`,
  )
  return null
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
