import { describe, expect, it } from 'vitest'
import { parseCall } from '../../../electron/contract'
import { WORKSPACE_LIMITS } from '../../../electron/contract/workspace'
import { readCollection, resolveTexts, writeCollection } from '../../../electron/workspace/collection'
import { tempDirs } from '../../helpers/tmp'

const tmp = tempDirs('resolve')

async function shop() {
  const dir = tmp()
  await writeCollection(
    dir,
    {
      info: { name: 'Shop' },
      request: { variables: [{ name: 'version', value: 'v1' }] },
      items: [
        {
          info: { name: 'Admin', type: 'folder' },
          request: {
            variables: [{ name: 'area', value: 'admin' }],
            headers: [{ name: 'X-Area', value: '{{area}}' }],
            auth: { type: 'bearer', token: '{{token}}' },
          },
          items: [
            {
              info: { name: 'Users', type: 'http' },
              http: { method: 'GET', url: '{{base}}/{{area}}', auth: 'inherit' },
            },
          ],
        },
      ],
      config: {
        environments: [
          {
            name: 'local',
            variables: [
              { name: 'base', value: 'http://127.0.0.1:9' },
              { secret: true, name: 'token' },
            ],
          },
        ],
      },
    },
    { secrets: { local: { token: 's3cret' } } },
  )
  return readCollection(dir)
}

describe('resolveTexts (a draft resolved on Send)', () => {
  it('substitutes with the request’s folders, environment and collection, and names the layer of each', async () => {
    const loaded = await shop()
    const out = resolveTexts(loaded, 'Admin/Users.yml', 'local', { local: { token: 's3cret' } }, [
      '{{base}}/{{area}}/{{version}}',
      'Bearer {{token}}',
      '{{missing}} and {{constructor.constructor("x")()}}',
    ])
    expect(out.texts).toEqual([
      'http://127.0.0.1:9/admin/v1',
      'Bearer s3cret',
      '{{missing}} and {{constructor.constructor("x")()}}',
    ])
    expect(out.unresolved).toEqual(['missing', 'constructor.constructor("x")()'])
    expect(out.variables).toEqual([
      { name: 'base', value: 'http://127.0.0.1:9', source: 'environment local', secret: false },
      { name: 'area', value: 'admin', source: 'folder Admin', secret: false },
      { name: 'version', value: 'v1', source: 'collection', secret: false },
      { name: 'token', value: null, source: 'environment local', secret: true },
      { name: 'missing', value: null, source: null, secret: false },
      { name: 'constructor.constructor("x")()', value: null, source: null, secret: false },
    ])
  })

  it('names what the request inherits from its folder: headers and, with auth: inherit, the folder’s auth', async () => {
    const loaded = await shop()
    const out = resolveTexts(loaded, 'Admin/Users.yml', 'local', { local: { token: 's3cret' } }, [])
    expect(out.inherited).toEqual([
      ['X-Area', 'admin'],
      ['Authorization', 'Bearer s3cret'],
    ])
    expect(resolveTexts(loaded, null, 'local', {}, []).inherited).toEqual([])
  })

  it('a draft from nowhere sees the environment and the collection, not a folder’s variables', async () => {
    const loaded = await shop()
    const out = resolveTexts(loaded, null, null, {}, ['{{base}}{{area}}{{version}}'])
    expect(out.texts).toEqual(['{{base}}{{area}}v1'])
    expect(out.unresolved).toEqual(['base', 'area'])
  })

  it('the call refuses too many texts or too long ones before reading them', () => {
    const many = parseCall('resolveVariables', {
      dir: '/c',
      path: null,
      environment: null,
      texts: new Array(WORKSPACE_LIMITS.draftTexts + 1).fill(1),
    })
    expect(many.ok).toBe(false)
    if (!many.ok) expect(many.error.message).toMatch(/at most 2000 texts/)
    const long = parseCall('resolveVariables', {
      dir: '/c',
      path: null,
      environment: null,
      texts: ['x'.repeat(WORKSPACE_LIMITS.draftChars), 'y'],
    })
    expect(long.ok).toBe(false)
    if (!long.ok) expect(long.error.message).toMatch(/longer than/)
    const fine = parseCall('resolveVariables', {
      dir: '/c',
      path: 'a.yml',
      environment: 'local',
      texts: ['{{a}}'],
    })
    expect(fine.ok).toBe(true)
  })
})
