import type { Auth } from '@opencollection/types/common/auth'
import type { Folder, Item } from '@opencollection/types/collection/item'
import type { Environment } from '@opencollection/types/config/environments'
import type {
  HttpRequestBody,
  HttpRequestHeader,
  HttpRequestParam,
} from '@opencollection/types/requests/http'
import { isRecord, list, str } from './text'
import { ImportError, type ImportResult, type SockeyeHttpRequest } from './types'

/**
 * OpenAPI 3.0 / 3.1 → one request per operation, grouped in folders by their first tag. The first
 * server becomes the `baseUrl` collection variable (every server also an environment), URLs are
 * `{{baseUrl}}/path/:param`, parameters and bodies get their examples (or defaults), and http
 * basic/bearer and apiKey security schemes become auth. Local `$ref`s (`#/components/…`) are
 * followed; schemas, responses, callbacks and links are not imported.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export function isOpenApi(doc: unknown): boolean {
  return isRecord(doc) && /^3\./.test(str(doc.openapi)) && isRecord(doc.paths)
}

/** Follow a local `$ref` (at most 32 hops: a cycle stops). */
function deref(doc: Record<string, unknown>, v: unknown): unknown {
  let value = v
  for (let hops = 0; hops < 32 && isRecord(value) && typeof value.$ref === 'string'; hops++) {
    const ref = value.$ref
    if (!ref.startsWith('#/')) return {}
    let target: unknown = doc
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~')
      target = isRecord(target) && Object.hasOwn(target, key) ? target[key] : undefined
    }
    value = target
  }
  return isRecord(value) && typeof value.$ref === 'string' ? {} : value
}

/** Schema nodes one skeleton may visit: a wide, deep schema cannot make an import slow. */
const SAMPLE_BUDGET = 2000

/** An example for a schema: its example, default, enum's first, or a skeleton (bounded). */
function sample(
  doc: Record<string, unknown>,
  schema: unknown,
  depth = 0,
  budget = { left: SAMPLE_BUDGET },
): unknown {
  const s = deref(doc, schema)
  if (!isRecord(s) || depth > 8 || --budget.left < 0) return null
  if (s.example !== undefined) return s.example
  if (s.default !== undefined) return s.default
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0]
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  if (type === 'object' || isRecord(s.properties)) {
    const props = isRecord(s.properties) ? s.properties : {}
    return Object.fromEntries(Object.entries(props).map(([k, p]) => [k, sample(doc, p, depth + 1, budget)]))
  }
  if (type === 'array') return [sample(doc, s.items, depth + 1, budget)]
  if (type === 'integer' || type === 'number') return 0
  if (type === 'boolean') return false
  if (type === 'string') return ''
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const first = list(s[key])[0]
    if (first !== undefined) return sample(doc, first, depth + 1, budget)
  }
  return null
}

function exampleOf(doc: Record<string, unknown>, holder: Record<string, unknown>): unknown {
  if (holder.example !== undefined) return holder.example
  const examples = isRecord(holder.examples) ? Object.values(holder.examples) : []
  const first = deref(doc, examples[0])
  if (isRecord(first) && first.value !== undefined) return first.value
  return sample(doc, holder.schema)
}

const text = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)

/** `https://{region}.example.com` with the server's variable defaults filled in. */
function serverUrl(server: Record<string, unknown>): string {
  const variables = isRecord(server.variables) ? server.variables : {}
  return str(server.url).replace(/\{([^}]+)\}/g, (all, name: string) => {
    const v = variables[name]
    return isRecord(v) && v.default !== undefined ? str(v.default) : all
  })
}

function body(
  doc: Record<string, unknown>,
  op: Record<string, unknown>,
): { body?: HttpRequestBody; type?: string } {
  const rb = deref(doc, op.requestBody)
  if (!isRecord(rb) || !isRecord(rb.content)) return {}
  const types = Object.keys(rb.content)
  const type = types.find((t) => /json/i.test(t)) ?? types[0]
  if (!type) return {}
  const media = isRecord(rb.content[type]) ? (rb.content[type] as Record<string, unknown>) : {}
  const example = exampleOf(doc, media)
  if (/x-www-form-urlencoded|multipart\/form-data/i.test(type)) {
    const fields = isRecord(example) ? Object.entries(example) : []
    if (/multipart/i.test(type)) {
      return {
        body: {
          type: 'multipart-form',
          data: fields.map(([name, v]) => ({ name, type: 'text', value: text(v) })),
        },
      }
    }
    return {
      body: { type: 'form-urlencoded', data: fields.map(([name, v]) => ({ name, value: text(v) })) },
      type,
    }
  }
  const data = /json/i.test(type) ? JSON.stringify(example ?? {}, null, 2) : text(example)
  return { body: { type: /json/i.test(type) ? 'json' : /xml/i.test(type) ? 'xml' : 'text', data }, type }
}

function securityAuth(
  doc: Record<string, unknown>,
  requirements: unknown,
  warnings: string[],
): Auth | undefined {
  const components = isRecord(doc.components) ? doc.components : {}
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {}
  for (const requirement of list(requirements).filter(isRecord)) {
    for (const name of Object.keys(requirement)) {
      const scheme = deref(doc, schemes[name])
      if (!isRecord(scheme)) continue
      const kind = str(scheme.scheme).toLowerCase()
      if (scheme.type === 'http' && kind === 'basic')
        return { type: 'basic', username: '{{username}}', password: '{{password}}' }
      if (scheme.type === 'http' && kind === 'bearer') return { type: 'bearer', token: '{{token}}' }
      if (scheme.type === 'apiKey' && scheme.in !== 'cookie') {
        return {
          type: 'apikey',
          key: str(scheme.name),
          value: '{{apiKey}}',
          placement: scheme.in === 'query' ? 'query' : 'header',
        }
      }
      warnings.push(`security scheme ${name} (${str(scheme.type)}) is not imported`)
    }
  }
  return undefined
}

export function importOpenApi(doc: unknown): ImportResult {
  if (!isOpenApi(doc) || !isRecord(doc))
    throw new ImportError('not an OpenAPI 3 document (no openapi: 3.x and paths)')
  const warnings: string[] = []
  const info = isRecord(doc.info) ? doc.info : {}
  const servers = list(doc.servers).filter(isRecord)
  const folders = new Map<string, Item[]>()
  const loose: Item[] = []
  const paths = doc.paths as Record<string, unknown>
  for (const [path, rawItem] of Object.entries(paths)) {
    const pathItem = deref(doc, rawItem)
    if (!isRecord(pathItem)) continue
    for (const method of METHODS) {
      const op = deref(doc, pathItem[method])
      if (!isRecord(op)) continue
      const parameters = [...list(pathItem.parameters), ...list(op.parameters)]
        .map((p) => deref(doc, p))
        .filter(isRecord)
      const params: HttpRequestParam[] = []
      const headers: HttpRequestHeader[] = []
      const query: string[] = []
      for (const p of parameters) {
        const name = str(p.name)
        const value = text(exampleOf(doc, p))
        if (p.in === 'path') params.push({ name, value, type: 'path' })
        else if (p.in === 'query') {
          params.push({ name, value, type: 'query', ...(p.required === true ? {} : { disabled: true }) })
          if (p.required === true) query.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
        } else if (p.in === 'header')
          headers.push({ name, value, ...(p.required === true ? {} : { disabled: true }) })
      }
      const url = `{{baseUrl}}${path.replace(/\{([^}]+)\}/g, ':$1')}${query.length > 0 ? `?${query.join('&')}` : ''}`
      const http: NonNullable<SockeyeHttpRequest['http']> = { method: method.toUpperCase(), url }
      if (params.length > 0) http.params = params
      const b = body(doc, op)
      if (
        b.type &&
        !headers.some((h) => h.name.toLowerCase() === 'content-type') &&
        !/multipart/i.test(b.type)
      ) {
        headers.push({ name: 'Content-Type', value: b.type })
      }
      if (headers.length > 0) http.headers = headers
      if (b.body) http.body = b.body
      const a = securityAuth(doc, op.security ?? doc.security, warnings)
      if (a) http.auth = a
      const name = str(op.operationId) || str(op.summary) || `${method.toUpperCase()} ${path}`
      const tag = str(list(op.tags)[0])
      const bucket = tag ? (folders.get(tag) ?? []) : loose
      if (tag) folders.set(tag, bucket)
      const request: SockeyeHttpRequest = { info: { name, type: 'http', seq: bucket.length + 1 }, http }
      const docs = [str(op.summary), str(op.description)].filter(Boolean).join('\n\n')
      if (docs) request.docs = docs
      bucket.push(request)
    }
  }
  const items: Item[] = [...folders].map(([name, children], i): Folder => ({
    info: { name, type: 'folder', seq: i + 1 },
    items: children,
  }))
  loose.forEach((item, i) => {
    ;(item as SockeyeHttpRequest).info = { ...(item as SockeyeHttpRequest).info, seq: items.length + i + 1 }
  })
  items.push(...loose)
  const collection: ImportResult['collection'] = {
    opencollection: '1.0.0',
    info: { name: str(info.title, 'OpenAPI'), ...(info.version ? { version: str(info.version) } : {}) },
    items,
    request: { variables: [{ name: 'baseUrl', value: servers[0] ? serverUrl(servers[0]) : '' }] },
  }
  if (servers.length === 0) warnings.push('no servers: set the baseUrl variable before sending')
  if (servers.length > 1) {
    const environments: Environment[] = servers.map((s, i) => ({
      name: str(s.description) || `server ${i + 1}`,
      variables: [{ name: 'baseUrl', value: serverUrl(s) }],
    }))
    collection.config = { environments }
  }
  warnings.push('response definitions and schemas are not imported (examples fill the requests)')
  return { format: 'openapi', collection, warnings }
}
