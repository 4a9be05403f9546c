import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  prepareRequest,
  readCollection,
  readSecrets,
  writeCollection,
} from '../../../electron/workspace/collection'
import { layerOf, substitute, describeTemplates } from '../../../electron/workspace/variables'
import { tempDirs } from '../../helpers/tmp'

const tmp = tempDirs('vars')

describe('substitution is plain lookup', () => {
  const scope = [
    layerOf('request', [{ name: 'id', value: '7' }]),
    layerOf('env', [
      { name: 'id', value: 'env' },
      { name: 'host', value: 'h{{id}}' },
    ]),
  ]

  it('takes the highest layer and expands values that use other variables', () => {
    expect(substitute('http://{{host}}/{{ id }}', scope)).toEqual({ text: 'http://h7/7', unresolved: [] })
  })

  it('leaves evaluation payloads and prototype names as inert text, reported unresolved', () => {
    const payloads = [
      "{{constructor.constructor('return process')().exit(1)}}",
      "{{process.mainModule.require('child_process').execSync('id')}}",
      '{{constructor}}',
      '{{__proto__}}',
      '{{toString}}',
      '{{process.env.HOME}}',
    ]
    for (const payload of payloads) {
      const out = substitute(`a${payload}b`, scope)
      expect(out.text).toBe(`a${payload}b`)
      expect(out.unresolved).toEqual([payload.slice(2, -2).trim()])
    }
  })

  it('stops at a cycle instead of looping', () => {
    const cyclic = [
      layerOf('env', [
        { name: 'a', value: '{{b}}' },
        { name: 'b', value: '{{a}}' },
      ]),
    ]
    expect(substitute('{{a}}', cyclic)).toEqual({ text: '{{a}}', unresolved: ['a'] })
  })

  it('skips disabled variables and takes secrets from the local secrets, never from the file', () => {
    const layer = layerOf(
      'env',
      [
        { name: 'off', value: 'x', disabled: true },
        { secret: true, name: 'token' },
      ],
      { token: 's3' },
    )
    expect([...layer.values]).toEqual([['token', 's3']])
  })

  it('describes each template for the composer', () => {
    expect(describeTemplates('{{host}} {{nope}}', scope)).toEqual([
      { name: 'host', value: 'h7', source: 'env' },
      { name: 'nope', value: null, source: null },
    ])
  })
})

describe('prepareRequest', () => {
  it('resolves request > folder > environment > collection, inherits headers and auth', async () => {
    const dir = tmp()
    await writeCollection(
      dir,
      {
        info: { name: 'P' },
        request: {
          variables: [
            { name: 'base', value: 'http://collection' },
            { name: 'who', value: 'collection' },
          ],
          headers: [{ name: 'X-Col', value: '{{who}}' }],
          auth: { type: 'bearer', token: '{{token}}' },
        },
        items: [
          {
            info: { name: 'F', type: 'folder' },
            request: {
              variables: [{ name: 'who', value: 'folder' }],
              headers: [{ name: 'X-Col', value: 'folder-wins' }],
              auth: 'inherit',
            },
            items: [
              {
                info: { name: 'R', type: 'http' },
                http: {
                  method: 'post',
                  url: '{{base}}/users/:id',
                  params: [
                    { name: 'id', value: '{{who}}', type: 'path' },
                    { name: 'q', value: 'a b', type: 'query' },
                  ],
                  headers: [{ name: 'X-Missing', value: '{{nope}}' }],
                  body: { type: 'json', data: '{"who":"{{who}}"}' },
                  auth: 'inherit',
                },
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
      { secrets: { local: { token: 'tok-value' } } },
    )
    // The secret value is in the git-ignored local file, not in any YAML file.
    expect(readFileSync(join(dir, 'environments', 'local.yml'), 'utf8')).not.toContain('tok-value')
    expect(JSON.parse(readFileSync(join(dir, '.sockeye', 'secrets.json'), 'utf8'))).toEqual({
      local: { token: 'tok-value' },
    })
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.sockeye\/$/m)
    const loaded = await readCollection(dir)
    const folder = loaded.items[0]
    const node = folder?.kind === 'folder' ? folder.items[0] : undefined
    if (node?.kind !== 'request') throw new Error('no request')
    const prepared = prepareRequest(loaded, node, { environment: 'local', secrets: await readSecrets(dir) })
    expect(prepared.spec).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:9/users/folder?q=a%20b',
      headers: [
        ['X-Col', 'folder-wins'],
        ['X-Missing', '{{nope}}'],
        ['Authorization', 'Bearer tok-value'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"who":"folder"}',
      bodyEncoding: 'utf8',
    })
    expect(prepared.unresolved).toEqual(['nope'])
    // Without the environment, the collection's base applies and the secret is unresolved.
    const bare = prepareRequest(loaded, node)
    expect(bare.spec.url).toBe('http://collection/users/folder?q=a%20b')
    expect(bare.unresolved).toEqual(['nope', 'token'])
  })
})
