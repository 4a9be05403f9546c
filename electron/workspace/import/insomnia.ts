import type { Auth } from '@opencollection/types/common/auth'
import type { Variable } from '@opencollection/types/common/variables'
import type { Folder, Item } from '@opencollection/types/collection/item'
import type { Environment } from '@opencollection/types/config/environments'
import type { HttpRequestBody, HttpRequestHeader } from '@opencollection/types/requests/http'
import { rawType } from './body'
import { isRecord, list, str } from './text'
import { ImportError, type ImportResult, type SockeyeHttpRequest } from './types'

/**
 * Insomnia v4 export (`_type: export`, `__export_format: 4`) → OpenCollection: request groups as
 * folders, requests, the base environment as collection variables and sub-environments as
 * environments. Insomnia's `{{ _.name }}` becomes `{{name}}`; template tags (`{% … %}`) stay text.
 */

export function isInsomnia(doc: unknown): boolean {
  return isRecord(doc) && doc._type === 'export' && doc.__export_format === 4 && Array.isArray(doc.resources)
}

/** `{{ _.name }}` / `{{_.name}}` → `{{name}}` (OpenCollection's variable syntax). */
function vars(text: string): string {
  return text.replace(/\{\{\s*_\.([A-Za-z0-9_.-]+)\s*\}\}/g, '{{$1}}')
}

function auth(v: unknown, where: string, warnings: string[]): Auth | undefined {
  if (!isRecord(v) || v.disabled === true || v.type === undefined || v.type === 'none') return undefined
  if (v.type === 'basic')
    return { type: 'basic', username: vars(str(v.username)), password: vars(str(v.password)) }
  if (v.type === 'bearer') {
    if (v.prefix && str(v.prefix) !== 'Bearer')
      warnings.push(`${where}: bearer prefix '${str(v.prefix)}' is not kept`)
    return { type: 'bearer', token: vars(str(v.token)) }
  }
  if (v.type === 'apikey') {
    return {
      type: 'apikey',
      key: str(v.key),
      value: vars(str(v.value)),
      placement: v.addTo === 'queryParams' ? 'query' : 'header',
    }
  }
  warnings.push(`${where}: ${str(v.type)} auth is not imported; set its header by hand`)
  return undefined
}

function body(v: unknown, where: string, warnings: string[]): HttpRequestBody | undefined {
  if (!isRecord(v)) return undefined
  const mime = str(v.mimeType)
  const params = list(v.params).filter(isRecord)
  if (mime === 'application/x-www-form-urlencoded') {
    return {
      type: 'form-urlencoded',
      data: params.map((p) => ({
        name: vars(str(p.name)),
        value: vars(str(p.value)),
        ...(p.disabled === true ? { disabled: true } : {}),
      })),
    }
  }
  if (mime === 'multipart/form-data') {
    return {
      type: 'multipart-form',
      data: params.map((p) => ({
        name: vars(str(p.name)),
        type: p.type === 'file' ? ('file' as const) : ('text' as const),
        value: p.type === 'file' ? str(p.fileName) : vars(str(p.value)),
        ...(p.disabled === true ? { disabled: true } : {}),
      })),
    }
  }
  if (typeof v.fileName === 'string' && v.fileName !== '') {
    return {
      type: 'file',
      data: [{ filePath: v.fileName, contentType: mime || 'application/octet-stream', selected: true }],
    }
  }
  if (typeof v.text === 'string') return { type: rawType(mime), data: vars(v.text) }
  if (mime !== '') warnings.push(`${where}: a ${mime} body without text is not imported`)
  return undefined
}

function request(r: Record<string, unknown>, seq: number, warnings: string[]): SockeyeHttpRequest {
  const name = str(r.name, `request ${seq}`)
  let url = vars(str(r.url))
  const query = list(r.parameters)
    .filter(isRecord)
    .filter((p) => p.disabled !== true)
    .map((p) => `${encodeURIComponent(vars(str(p.name)))}=${encodeURIComponent(vars(str(p.value)))}`)
  if (query.length > 0) url += `${url.includes('?') ? '&' : '?'}${query.join('&')}`
  const http: NonNullable<SockeyeHttpRequest['http']> = { method: str(r.method, 'GET').toUpperCase(), url }
  const headers: HttpRequestHeader[] = list(r.headers)
    .filter(isRecord)
    .map((h) => ({
      name: vars(str(h.name)),
      value: vars(str(h.value)),
      ...(h.disabled === true ? { disabled: true } : {}),
    }))
  if (headers.length > 0) http.headers = headers
  const b = body(r.body, name, warnings)
  if (b) http.body = b
  const a = auth(r.authentication, name, warnings)
  if (a) http.auth = a
  const out: SockeyeHttpRequest = { info: { name, type: 'http', seq }, http }
  if (typeof r.description === 'string' && r.description !== '') out.docs = r.description
  return out
}

function variables(data: unknown): Variable[] {
  if (!isRecord(data)) return []
  return Object.entries(data).map(([name, value]) => ({
    name,
    value: typeof value === 'string' ? vars(value) : JSON.stringify(value),
  }))
}

export function importInsomnia(doc: unknown): ImportResult {
  if (!isInsomnia(doc) || !isRecord(doc))
    throw new ImportError('not an Insomnia v4 export (__export_format 4)')
  const resources = list(doc.resources).filter(isRecord)
  const warnings: string[] = []
  const children = new Map<string, Record<string, unknown>[]>()
  for (const r of resources) {
    const parent = str(r.parentId)
    children.set(parent, [...(children.get(parent) ?? []), r])
  }
  const workspace = resources.find((r) => r._type === 'workspace')
  const skipped = new Map<string, number>()
  const seen = new Set<string>()
  const build = (parent: string): Item[] => {
    // A resource is its own ancestor only in a broken file: each is placed once.
    const kids = (children.get(parent) ?? []).filter((r) => !seen.has(str(r._id)))
    kids.forEach((r) => seen.add(str(r._id)))
    const out: Item[] = []
    for (const r of kids.sort((a, b) => Number(a.metaSortKey ?? 0) - Number(b.metaSortKey ?? 0))) {
      if (r._type === 'request') out.push(request(r, out.length + 1, warnings))
      else if (r._type === 'request_group') {
        const folder: Folder = { info: { name: str(r.name, 'folder'), type: 'folder', seq: out.length + 1 } }
        const env = variables(r.environment)
        if (env.length > 0) folder.request = { variables: env }
        folder.items = build(str(r._id))
        out.push(folder)
      } else if (r._type !== 'environment' && r._type !== 'workspace') {
        skipped.set(str(r._type), (skipped.get(str(r._type)) ?? 0) + 1)
      }
    }
    return out
  }
  const rootId = workspace ? str(workspace._id) : ''
  const items = workspace ? build(rootId) : build('')
  for (const [type, n] of skipped) warnings.push(`${n} Insomnia ${type} resources are not imported`)
  const orphans = resources.filter(
    (r) => (r._type === 'request' || r._type === 'request_group') && !seen.has(str(r._id)),
  ).length
  if (orphans > 0)
    warnings.push(`${orphans} requests or folders are outside the workspace tree; not imported`)

  const envs = resources.filter((r) => r._type === 'environment')
  const base = envs.find((e) => str(e.parentId) === rootId)
  const collection: ImportResult['collection'] = {
    opencollection: '1.0.0',
    info: { name: str(workspace?.name, 'Insomnia export') },
    items,
  }
  const baseVars = variables(base?.data)
  if (baseVars.length > 0) collection.request = { variables: baseVars }
  const environments: Environment[] = envs
    .filter((e) => base && str(e.parentId) === str(base._id))
    .map((e) => ({ name: str(e.name, 'environment'), variables: variables(e.data) }))
  if (environments.length > 0) collection.config = { environments }
  return { format: 'insomnia', collection, warnings }
}
