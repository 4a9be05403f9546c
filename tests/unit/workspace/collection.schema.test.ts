/**
 * What Sockeye writes is valid against the published OpenCollection JSON Schema (the folder read
 * back and bundled into one document, as the schema describes it). ajv 8 is not a direct
 * dependency: it comes with @usebruno/filestore, which validates with it too.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { bundle, readCollection, writeCollection } from '../../../electron/workspace/collection'
import schema from '../../fixtures/opencollection/schema.json'
import { tempDirs } from '../../helpers/tmp'

const load = createRequire(createRequire(import.meta.url).resolve('@usebruno/filestore'))
const Ajv = load('ajv') as new (options: object) => {
  compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null }
}
const tmp = tempDirs('schema')

describe('OpenCollection JSON Schema', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)

  it('accepts the collection Sockeye writes, folders and environments included', async () => {
    const dir = tmp()
    await writeCollection(dir, {
      info: { name: 'Schema check' },
      request: { variables: [{ name: 'base', value: 'http://127.0.0.1:8080' }] },
      items: [
        {
          info: { name: 'Users', type: 'folder' },
          request: {
            headers: [{ name: 'X-Team', value: 'a' }],
            variables: [{ name: 'path', value: '/users' }],
          },
          items: [
            {
              info: { name: 'List', type: 'http' },
              http: {
                method: 'GET',
                url: '{{base}}{{path}}',
                params: [{ name: 'q', value: '1', type: 'query' }],
                headers: [{ name: 'Accept', value: '*/*', disabled: true }],
                auth: { type: 'bearer', token: '{{token}}' },
              },
              settings: { encodeUrl: true, timeout: 0, followRedirects: true, maxRedirects: 5 },
            },
          ],
        },
        {
          info: { name: 'Post form', type: 'http' },
          http: {
            method: 'POST',
            url: '{{base}}/f',
            body: { type: 'form-urlencoded', data: [{ name: 'a', value: 'b' }] },
          },
        },
      ],
      config: {
        environments: [
          {
            name: 'local',
            variables: [
              { name: 'x', value: '1' },
              { secret: true, name: 'token' },
            ],
          },
        ],
      },
      extensions: { sockeye: { pools: { 'http://127.0.0.1:8080': { connections: 2 } } } },
    })
    const doc = bundle(await readCollection(dir))
    const ok = validate(doc)
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('rejects a document the schema forbids (the check can fail)', () => {
    expect(
      validate({ info: { name: 1 }, items: [{ info: { type: 'http' }, http: { headers: 'nope' } }] }),
    ).toBe(false)
  })
})
