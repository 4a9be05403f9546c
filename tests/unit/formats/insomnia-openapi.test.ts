import { describe, expect, it } from 'vitest'
import type { Folder } from '@opencollection/types/collection/item'
import { importText } from '../../../electron/workspace/import'
import type { SockeyeHttpRequest } from '../../../electron/workspace/import/types'
import { insomnia, openapiYaml } from '../../fixtures/formats'

describe('Insomnia v4 import', () => {
  it('keeps request groups, requests, auth and environments; {{ _.x }} becomes {{x}}', () => {
    const { format, collection, warnings } = importText(JSON.stringify(insomnia), 'insomnia.json')
    expect(format).toBe('insomnia')
    expect(collection.info?.name).toBe('My API')
    const folder = collection.items?.[0] as Folder
    expect(folder.info?.name).toBe('Items')
    const list = folder.items?.[0] as SockeyeHttpRequest
    expect(list.http).toEqual({
      method: 'GET',
      url: '{{host}}/items?page=2',
      headers: [{ name: 'X-Token', value: '{{token}}' }],
      auth: { type: 'bearer', token: 'abc' },
    })
    const create = collection.items?.[1] as SockeyeHttpRequest
    expect(create.http?.body).toEqual({ type: 'json', data: '{"a":1}' })
    expect(create.http?.auth).toEqual({ type: 'basic', username: 'u', password: 'p' })
    expect(collection.request?.variables).toEqual([{ name: 'host', value: 'http://127.0.0.1:9' }])
    expect(collection.config?.environments).toEqual([
      {
        name: 'Dev',
        variables: [
          { name: 'host', value: 'http://dev' },
          { name: 'n', value: '1' },
        ],
      },
    ])
    expect(warnings).toContain('1 Insomnia unit_test resources are not imported')
  })
})

describe('OpenAPI 3 import', () => {
  it('makes one request per operation, foldered by tag, with servers as the baseUrl variable', () => {
    const { format, collection } = importText(openapiYaml, 'pets.yaml')
    expect(format).toBe('openapi')
    expect(collection.request?.variables).toEqual([{ name: 'baseUrl', value: 'https://eu.pets.example/v1' }])
    expect(collection.config?.environments?.map((e) => e.name)).toEqual(['production', 'local'])
    const pets = collection.items?.[0] as Folder
    expect(pets.info?.name).toBe('pets')
    const list = pets.items?.[0] as SockeyeHttpRequest
    expect(list.info?.name).toBe('listPets')
    expect(list.http?.url).toBe('{{baseUrl}}/pets?limit=10')
    expect(list.http?.headers).toEqual([{ name: 'X-Trace', value: '', disabled: true }])
    expect(list.http?.auth).toEqual({ type: 'bearer', token: '{{token}}' })
    const create = pets.items?.[1] as SockeyeHttpRequest
    expect(JSON.parse((create.http?.body as { data: string }).data)).toEqual({ name: 'Rex', age: 0 })
    expect(create.http?.auth).toEqual({
      type: 'apikey',
      key: 'X-Key',
      value: '{{apiKey}}',
      placement: 'header',
    })
    const show = collection.items?.[1] as SockeyeHttpRequest
    expect(show.http?.url).toBe('{{baseUrl}}/pets/:petId')
    expect(show.http?.params).toEqual([{ name: 'petId', value: '7', type: 'path' }])
  })

  it('reads the same document as JSON', () => {
    const json = JSON.stringify({ openapi: '3.1.0', info: { title: 'J' }, paths: { '/a': { delete: {} } } })
    const { collection, warnings } = importText(json, 'a.json')
    expect((collection.items?.[0] as SockeyeHttpRequest).http).toEqual({
      method: 'DELETE',
      url: '{{baseUrl}}/a',
    })
    expect(warnings).toContain('no servers: set the baseUrl variable before sending')
  })

  it('stops at a $ref cycle', () => {
    const doc = {
      openapi: '3.0.0',
      paths: {
        '/x': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } },
          },
        },
      },
      components: {
        schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } },
      },
    }
    const { collection } = importText(JSON.stringify(doc), 'cycle.json')
    expect((collection.items?.[0] as SockeyeHttpRequest).http?.body).toEqual({ type: 'json', data: '{}' })
  })
})
