import { isUtf8 } from 'node:buffer'
import type { HttpRequest, HttpRequestBody } from '@opencollection/types/requests/http'
import type { HeaderList, RedirectSetting, RequestSpec } from '../../contract'
import { clampTo, REDIRECTS_DEFAULT } from '../../contract/limits'
import { escape, type ReadFile } from '../import/curl-data'
import type { SockeyeHttpRequest } from '../import/types'
import { buildMultipart } from './multipart'

/**
 * OpenCollection request → the engine's RequestSpec: the exact bytes Sockeye sends. Variables
 * (`{{name}}`) are not substituted here (the collection runner does that before); what is not
 * resolved stays inert text.
 */

export type SpecResult = { ok: true; spec: RequestSpec; warnings: string[] } | { ok: false; message: string }

const has = (headers: HeaderList, name: string) =>
  headers.some(([n]) => n.toLowerCase() === name.toLowerCase())

/** The request's body choice: a plain body, or the selected (else first) of its variants. */
function chosenBody(body: NonNullable<SockeyeHttpRequest['http']>['body']): HttpRequestBody | undefined {
  if (!Array.isArray(body)) return body
  return (body.find((v) => v.selected) ?? body[0])?.body
}

/** `:name` path segments (Postman, OpenAPI's `{name}` is imported as `:name`) → their values. */
function pathParams(url: string, params: NonNullable<SockeyeHttpRequest['http']>['params']): string {
  let out = url
  for (const p of params ?? []) {
    if (p.type !== 'path' || p.disabled || p.value === '') continue
    out = out.replace(
      new RegExp(`/:${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/?#]|$)`),
      `/${p.value}`,
    )
  }
  return out
}

/** Bytes as the contract carries them: UTF-8 text when they are (the composer can show it), else base64. */
function setBody(spec: RequestSpec, bytes: Buffer): void {
  const text = isUtf8(bytes)
  spec.body = bytes.toString(text ? 'utf8' : 'base64')
  spec.bodyEncoding = text ? 'utf8' : 'base64'
}

export function toSpec(request: SockeyeHttpRequest, read: ReadFile = () => null): SpecResult {
  const http = request.http ?? {}
  const warnings: string[] = []
  const headers: HeaderList = (http.headers ?? [])
    .filter((h) => !h.disabled)
    .map((h) => [h.name, h.value] as [string, string])
  const auth = http.auth
  if (auth && auth !== 'inherit' && !has(headers, 'authorization')) {
    if (auth.type === 'basic') {
      const pair = Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`, 'utf8').toString('base64')
      headers.unshift(['Authorization', `Basic ${pair}`])
    } else if (auth.type === 'bearer') {
      headers.unshift(['Authorization', `Bearer ${auth.token ?? ''}`])
    } else if (auth.type === 'apikey' && auth.placement !== 'query' && auth.key) {
      headers.push([auth.key, auth.value ?? ''])
    } else {
      warnings.push(`${auth.type} auth is not applied by Sockeye; add the header it would make`)
    }
  }
  let url = pathParams(http.url ?? '', http.params)
  if (auth && auth !== 'inherit' && auth.type === 'apikey' && auth.placement === 'query' && auth.key) {
    url += `${url.includes('?') ? '&' : '?'}${escape(auth.key)}=${escape(auth.value ?? '')}`
  }
  const spec: RequestSpec = { method: http.method ?? 'GET', url, headers, body: null }
  const redirects = redirectsOf(request.settings)
  if (redirects) spec.redirects = redirects
  const body = chosenBody(http.body)
  const setType = (type: string) => {
    if (!has(headers, 'content-type')) headers.push(['Content-Type', type])
  }
  if (body?.type === 'json' || body?.type === 'text' || body?.type === 'xml' || body?.type === 'sparql') {
    spec.body = body.data
  } else if (body?.type === 'form-urlencoded') {
    spec.body = body.data
      .filter((e) => !e.disabled)
      .map((e) => `${escape(e.name)}=${escape(e.value)}`)
      .join('&')
    setType('application/x-www-form-urlencoded')
  } else if (body?.type === 'multipart-form') {
    const built = buildMultipart(body.data, read)
    if (!built.ok) return { ok: false, message: built.message }
    // A Content-Type the user set without a boundary would make the body unreadable: replace it.
    const index = headers.findIndex(([n]) => n.toLowerCase() === 'content-type')
    if (index >= 0 && !/boundary=/i.test(headers[index]?.[1] ?? '')) headers.splice(index, 1)
    setType(built.contentType)
    setBody(spec, built.body)
  } else if (body?.type === 'file') {
    const variant = body.data.find((v) => v.selected) ?? body.data[0]
    if (variant) {
      const bytes = read(variant.filePath)
      if (!bytes) return { ok: false, message: `body file ${variant.filePath} cannot be read` }
      setBody(spec, bytes)
      if (variant.contentType) setType(variant.contentType)
    }
  }
  return { ok: true, spec, warnings }
}

/**
 * OpenCollection's (and Bruno's) per-request `settings.followRedirects` / `maxRedirects` as the
 * engine's setting; 'inherit' and absent mean off here. Shared by export and `sockeye run`.
 */
export function redirectsOf(settings: HttpRequest['settings']): RedirectSetting | null {
  if (settings?.followRedirects !== true) return null
  return { follow: true, max: clampTo('redirects', settings.maxRedirects, REDIRECTS_DEFAULT) }
}
