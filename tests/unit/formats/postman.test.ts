import { describe, expect, it } from 'vitest'
import type { Folder } from '@opencollection/types/collection/item'
import { importText } from '../../../electron/workspace/import'
import { toSpec } from '../../../electron/workspace/export/spec'
import type { SockeyeHttpRequest } from '../../../electron/workspace/import/types'
import { v20, v21 } from '../../fixtures/formats'

const req = (items: unknown[] | undefined, ...path: number[]) => {
  let node: unknown = { items }
  for (const i of path) node = (node as Folder).items?.[i]
  return node as SockeyeHttpRequest
}

describe('Postman import', () => {
  it('keeps folders, object URLs with path and query params, and disabled headers', () => {
    const { format, collection } = importText(JSON.stringify(v21), 'shop.json')
    expect(format).toBe('postman')
    const folder = collection.items?.[0] as Folder
    expect(folder.info?.name).toBe('Users')
    const get = req(collection.items, 0, 0)
    expect(get.http?.url).toBe('{{base}}/users/:id?verbose=1')
    expect(get.http?.params).toEqual([
      { name: 'verbose', value: '1', type: 'query' },
      { name: 'id', value: '42', type: 'path' },
    ])
    expect(get.http?.headers).toContainEqual({ name: 'X-Off', value: '1', disabled: true })
    expect(get.http?.auth).toBe('inherit')
  })

  it('reads headers given as lines and a raw JSON body; template text stays inert', () => {
    const { collection } = importText(JSON.stringify(v21), 'shop.json')
    const create = req(collection.items, 0, 1)
    expect(create.http?.headers).toEqual([
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Trace', value: 'a:b' },
    ])
    expect(create.http?.body).toEqual({
      type: 'json',
      data: '{"name": "{{constructor.constructor(\'x\')()}}"}',
    })
    expect(create.http?.auth).toEqual({ type: 'basic', username: 'u', password: 'p' })
  })

  it('builds a URL from its parts, urlencoded and formdata bodies', () => {
    const { collection } = importText(JSON.stringify(v21), 'shop.json')
    expect(req(collection.items, 1).http?.url).toBe('http://127.0.0.1:8080/form')
    expect(req(collection.items, 1).http?.body).toEqual({
      type: 'form-urlencoded',
      data: [
        { name: 'a', value: 'b c' },
        { name: 'off', value: 'x', disabled: true },
      ],
    })
    expect(req(collection.items, 2).http?.body).toEqual({
      type: 'multipart-form',
      data: [
        { name: 'f', type: 'file', value: '/tmp/a.png' },
        { name: 't', type: 'text', value: 'v' },
      ],
    })
  })

  it('keeps collection variables and auth, and scripts as text reported as not run', () => {
    const { collection, warnings } = importText(JSON.stringify(v21), 'shop.json')
    expect(collection.request?.variables).toEqual([{ name: 'base', value: 'http://127.0.0.1:8080' }])
    expect(collection.request?.auth).toEqual({ type: 'bearer', token: '{{token}}' })
    expect(collection.request?.scripts).toEqual([
      { type: 'before-request', code: 'pm.environment.set("x", 1)' },
    ])
    expect(req(collection.items, 0, 0).runtime?.scripts).toEqual([
      { type: 'tests', code: 'pm.test("ok", () => {})' },
    ])
    expect(warnings).toContain('2 Postman scripts kept as text and not run (Sockeye runs no scripts)')
  })

  it('reads v2.0 auth objects', () => {
    const { collection } = importText(JSON.stringify(v20), 'old.json')
    const r = req(collection.items, 0)
    expect(r.http?.auth).toEqual({ type: 'basic', username: 'al', password: 'pw' })
    const built = toSpec(r)
    expect(built.ok && built.spec.headers).toEqual([
      ['Authorization', `Basic ${Buffer.from('al:pw').toString('base64')}`],
    ])
  })

  it('sends path params and drops disabled form fields', () => {
    const { collection } = importText(JSON.stringify(v21), 'shop.json')
    const get = toSpec(req(collection.items, 0, 0))
    expect(get.ok && get.spec.url).toBe('{{base}}/users/42?verbose=1')
    const form = toSpec(req(collection.items, 1))
    expect(form.ok && form.spec.body).toBe('a=b+c')
  })
})
