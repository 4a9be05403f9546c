/**
 * import → save → load → export: every format's collection, written by writeCollection and read back
 * by readCollection, is valid against the published OpenCollection JSON Schema, keeps every request
 * unchanged, and exports the same curl commands as before it was saved.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { Item } from '@opencollection/types/collection/item'
import {
  bundle,
  readCollection,
  requestsInOrder,
  writeCollection,
} from '../../../electron/workspace/collection'
import { requestToCurl } from '../../../electron/workspace/export/curl'
import { importText } from '../../../electron/workspace/import'
import { poolFor, type SockeyeHttpRequest } from '../../../electron/workspace/import/types'
import schema from '../../fixtures/opencollection/schema.json'
import { chrome, insomnia, openapiYaml, v20, v21 } from '../../fixtures/formats'
import { tempDirs } from '../../helpers/tmp'

const load = createRequire(createRequire(import.meta.url).resolve('@usebruno/filestore'))
const Ajv = load('ajv') as new (options: object) => {
  compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null }
}
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
const tmp = tempDirs('formats-roundtrip')

const FILES: Array<[string, string]> = [
  [
    'curl.sh',
    `curl -k -X PUT 'https://127.0.0.1:8443/a?x=1' -H 'X-A: 1' -u al:pw --data-raw '{"k": "{{constructor}}"}' -H 'Content-Type: application/json'
curl -F 'f=@up.txt;type=text/plain' -F 'g=v' http://127.0.0.1:8080/up`,
  ],
  ['postman-v2.1.json', JSON.stringify(v21)],
  ['postman-v2.0.json', JSON.stringify(v20)],
  ['insomnia.json', JSON.stringify(insomnia)],
  ['openapi.yaml', openapiYaml],
  ['chrome.har', JSON.stringify(chrome)],
]

function flatten(items: readonly Item[] | undefined): SockeyeHttpRequest[] {
  return (items ?? []).flatMap((item) =>
    'items' in item && Array.isArray(item.items) ? flatten(item.items) : [item as SockeyeHttpRequest],
  )
}

describe('import → save → load → export', () => {
  for (const [name, text] of FILES) {
    it(`${name}: schema-valid, requests unchanged, the same curl commands`, async () => {
      const { collection } = importText(text, name)
      const dir = tmp()
      await writeCollection(dir, collection)
      const loaded = await readCollection(dir)
      expect(loaded.problems).toEqual([])
      const doc = bundle(loaded)
      const ok = validate(doc)
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)

      const before = flatten(collection.items)
      const after = requestsInOrder(loaded.items).map((n) => n.item as SockeyeHttpRequest)
      expect(after.map((r) => r.http)).toEqual(before.map((r) => r.http))
      expect(after.map((r) => r.runtime)).toEqual(before.map((r) => r.runtime))
      const curl = (r: SockeyeHttpRequest, root: typeof collection) =>
        requestToCurl(r, poolFor(root, r.http?.url ?? ''))
      expect(after.map((r) => curl(r, loaded.root))).toEqual(before.map((r) => curl(r, collection)))
      expect(doc.request).toEqual(collection.request)
    })
  }
})
