/**
 * The format's owner is the oracle: Bruno's own YAML writer and parser (@usebruno/filestore).
 * Bruno writes a collection → Sockeye opens it; Sockeye writes one → Bruno's parser reads every
 * request back unchanged in method, URL, params, headers, body and auth.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import {
  parseEnvironment,
  parseFolder,
  parseRequest,
  stringifyCollection,
  stringifyEnvironment,
  stringifyFolder,
  stringifyRequest,
} from '@usebruno/filestore'
import type { OpenCollection } from '@opencollection/types'
import type { HttpRequest } from '@opencollection/types/requests/http'
import { readCollection, writeCollection } from '../../../electron/workspace/collection'
import { brunoRequest, yml } from '../../helpers/bruno'
import { tempDirs } from '../../helpers/tmp'

const tmp = tempDirs('bruno')

describe('a collection written by Bruno opens in Sockeye', () => {
  it('reads requests, folders and environments Bruno stringified, in Bruno layout', async () => {
    const dir = tmp()
    writeFileSync(
      join(dir, 'opencollection.yml'),
      stringifyCollection({} as never, { name: 'Shop API', version: '1' }, yml),
    )
    writeFileSync(
      join(dir, 'List items.yml'),
      stringifyRequest(
        brunoRequest('List items', 1, {
          method: 'GET',
          url: '{{base}}/items?page=2',
          params: [{ name: 'page', value: '2', type: 'query', enabled: true }],
          headers: [
            { name: 'Accept', value: 'application/json', enabled: true },
            { name: 'X-Off', value: 'no', enabled: false },
          ],
          auth: { mode: 'bearer', bearer: { token: '{{token}}' } },
        }),
        yml,
      ),
    )
    mkdirSync(join(dir, 'admin'))
    writeFileSync(
      join(dir, 'admin', 'folder.yml'),
      stringifyFolder({ meta: { name: 'Admin', seq: 2 }, request: { auth: { mode: 'none' } } } as never, yml),
    )
    writeFileSync(
      join(dir, 'admin', 'Create item.yml'),
      stringifyRequest(
        brunoRequest('Create item', 1, {
          method: 'POST',
          url: '{{base}}/items',
          body: { mode: 'json', json: '{"name": "{{name}}"}' },
          auth: { mode: 'basic', basic: { username: 'ann', password: '{{pw}}' } },
        }),
        yml,
      ),
    )
    mkdirSync(join(dir, 'environments'))
    writeFileSync(
      join(dir, 'environments', 'local.yml'),
      stringifyEnvironment(
        {
          uid: 'e1',
          name: 'local',
          variables: [
            {
              uid: 'v1',
              name: 'base',
              value: 'http://127.0.0.1:8080',
              enabled: true,
              secret: false,
              type: 'text',
            },
            { uid: 'v2', name: 'token', value: '', enabled: true, secret: true, type: 'text' },
          ],
        } as never,
        yml,
      ),
    )

    const loaded = await readCollection(dir)
    expect(loaded.problems).toEqual([])
    expect(loaded.root.info?.name).toBe('Shop API')
    expect(loaded.items.map((n) => [n.kind, n.name, n.path])).toEqual([
      ['request', 'List items', 'List items.yml'],
      ['folder', 'Admin', 'admin'],
    ])
    const list = loaded.items[0]?.kind === 'request' ? (loaded.items[0].item as HttpRequest) : null
    expect(list?.http).toEqual({
      method: 'GET',
      url: '{{base}}/items?page=2',
      headers: [
        { name: 'Accept', value: 'application/json' },
        { name: 'X-Off', value: 'no', disabled: true },
      ],
      params: [{ name: 'page', value: '2', type: 'query' }],
      auth: { type: 'bearer', token: '{{token}}' },
    })
    const admin = loaded.items[1]
    const create =
      admin?.kind === 'folder' && admin.items[0]?.kind === 'request'
        ? (admin.items[0].item as HttpRequest)
        : null
    expect(create?.http?.body).toEqual({ type: 'json', data: '{"name": "{{name}}"}' })
    expect(create?.http?.auth).toEqual({ type: 'basic', username: 'ann', password: '{{pw}}' })
    expect(loaded.environments.map((e) => e.environment.name)).toEqual(['local'])
    expect(loaded.environments[0]?.environment.variables).toEqual([
      { name: 'base', value: 'http://127.0.0.1:8080' },
      { secret: true, name: 'token' },
    ])
  })
})

/** Every body and auth form Sockeye can send, plus disabled entries and unknown keys. */
const requests: HttpRequest[] = [
  {
    info: { name: 'Get user', type: 'http', seq: 1 },
    http: {
      method: 'GET',
      url: 'http://127.0.0.1:8080/users/:id?verbose=1',
      headers: [
        { name: 'Accept', value: 'application/json' },
        { name: 'X-Trace', value: '{{trace}}', disabled: true },
      ],
      params: [
        { name: 'verbose', value: '1', type: 'query' },
        { name: 'id', value: '{{id}}', type: 'path' },
      ],
      auth: { type: 'bearer', token: '{{token}}' },
    },
  },
  {
    info: { name: 'Create', type: 'http', seq: 2 },
    http: {
      method: 'POST',
      url: 'http://127.0.0.1:8080/users',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: { type: 'json', data: '{\n  "name": "{{name}}"\n}' },
      auth: { type: 'basic', username: 'ann', password: 's3cret' },
    },
  },
  {
    info: { name: 'Form', type: 'http', seq: 3 },
    http: {
      method: 'PUT',
      url: 'http://127.0.0.1:8080/form',
      body: {
        type: 'form-urlencoded',
        data: [
          { name: 'a', value: '1 2' },
          { name: 'b', value: '&', disabled: true },
        ],
      },
      auth: { type: 'apikey', key: 'X-Key', value: '{{key}}', placement: 'header' },
    },
  },
  {
    info: { name: 'Text', type: 'http', seq: 4 },
    http: {
      method: 'PATCH',
      url: 'http://127.0.0.1:8080/t',
      body: { type: 'text', data: 'line 1\nline: 2 # not a comment' },
      auth: 'inherit',
    },
  },
  {
    info: { name: 'Multipart', type: 'http', seq: 6 },
    http: {
      method: 'POST',
      url: 'http://127.0.0.1:8080/upload',
      body: {
        type: 'multipart-form',
        data: [
          { name: 'title', type: 'text', value: '{{title}}' },
          { name: 'file', type: 'file', value: ['./fixtures/a.png'], contentType: 'image/png' },
        ],
      },
      auth: { type: 'digest', username: 'u', password: 'p' },
    },
  },
  {
    info: { name: 'File body', type: 'http', seq: 7 },
    http: {
      method: 'PUT',
      url: 'http://127.0.0.1:8080/blob',
      body: {
        type: 'file',
        data: [{ filePath: './blob.bin', contentType: 'application/octet-stream', selected: true }],
      },
      auth: { type: 'apikey', key: 'api_key', value: '{{k}}', placement: 'query' },
    },
  },
  {
    info: { name: 'Xml', type: 'http', seq: 5 },
    http: { method: 'DELETE', url: 'http://127.0.0.1:8080/x', body: { type: 'xml', data: '<a b="c"/>' } },
  },
]

describe("Bruno's parser reads what Sockeye writes", () => {
  it('keeps method, URL, params, headers, body and auth of every request', async () => {
    const dir = tmp()
    const collection: OpenCollection = { info: { name: 'Written by Sockeye' }, items: requests }
    const { files } = await writeCollection(dir, collection)
    expect(files).toContain('opencollection.yml')
    // Bruno logs its own parse failures; none may happen.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    for (const request of requests) {
      const file = join(dir, `${request.info?.name}.yml`)
      const bruno = parseRequest(readFileSync(file, 'utf8'), yml)
      expect(bruno.name).toBe(request.info?.name)
      expect(bruno.request.method).toBe(request.http?.method)
      expect(bruno.request.url).toBe(request.http?.url)
      // Bruno's writer, fed Bruno's reading of our file, gives back the same http block.
      const rewritten = join(dir, 'rewritten.yml')
      writeFileSync(rewritten, stringifyRequest(bruno, yml))
      const again = await readCollection(dir)
      const node = again.items.find((n) => n.path === 'rewritten.yml')
      expect(node?.kind === 'request' && (node.item as HttpRequest).http).toEqual(request.http)
    }
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
  })

  it('reads the collection, folder and environment files Sockeye writes', async () => {
    const dir = tmp()
    await writeCollection(dir, {
      info: { name: 'Env test' },
      items: [
        {
          info: { name: 'Admin', type: 'folder' },
          request: { headers: [{ name: 'X-Admin', value: '1' }] },
          items: requests.slice(0, 1),
        },
      ],
      config: {
        environments: [
          {
            name: 'local',
            variables: [
              { name: 'base', value: 'http://127.0.0.1' },
              { secret: true, name: 'token' },
            ],
          },
        ],
      },
    })
    const folder = parseFolder(readFileSync(join(dir, 'Admin', 'folder.yml'), 'utf8'), yml)
    expect(folder.meta.name).toBe('Admin')
    expect(folder.request.headers).toMatchObject([{ name: 'X-Admin', value: '1', enabled: true }])
    const env = parseEnvironment(readFileSync(join(dir, 'environments', 'local.yml'), 'utf8'), yml)
    expect(env.variables).toMatchObject([
      { name: 'base', value: 'http://127.0.0.1', secret: false },
      { name: 'token', secret: true },
    ])
    expect(readFileSync(join(dir, 'opencollection.yml'), 'utf8')).toMatch(/^opencollection: 1\.0\.0\n/)
  })
})
