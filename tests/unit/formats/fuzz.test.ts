/**
 * Importers on mangled input: every fixture with random subtrees replaced by values of the wrong
 * type either imports or is refused with an ImportError — never a TypeError — and what it imports
 * can be turned into a request and a curl command.
 */
import { describe, expect, it } from 'vitest'
import type { Item } from '@opencollection/types/collection/item'
import { importText, ImportError } from '../../../electron/workspace/import'
import { openHar } from '../../../electron/workspace/import/recording'
import { requestToCurl } from '../../../electron/workspace/export/curl'
import { toSpec } from '../../../electron/workspace/export/spec'
import type { SockeyeHttpRequest } from '../../../electron/workspace/import/types'
import { chrome, insomnia, v20, v21 } from '../../fixtures/formats'

/** mulberry32: a small seeded PRNG, so a failure replays. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WRONG: unknown[] = [null, 0, -1, 'x', '', true, [], {}, [null], { a: 1 }, '{{constructor}}', 1e308]

function mangle(value: unknown, rnd: () => number, depth = 0): unknown {
  if (rnd() < 0.08 && depth > 0) return WRONG[Math.floor(rnd() * WRONG.length)]
  if (Array.isArray(value)) return value.map((v) => mangle(v, rnd, depth + 1))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mangle(v, rnd, depth + 1)]))
  }
  return value
}

function requests(items: readonly Item[] | undefined): SockeyeHttpRequest[] {
  return (items ?? []).flatMap((i) =>
    'items' in i && Array.isArray(i.items) ? requests(i.items) : [i as SockeyeHttpRequest],
  )
}

describe('importers on mangled input', () => {
  const fixtures: Array<[string, unknown]> = [
    ['postman v2.1', v21],
    ['postman v2.0', v20],
    ['insomnia', insomnia],
    ['har', chrome],
  ]
  for (const [name, fixture] of fixtures) {
    it(`${name}: 300 mangled copies import or refuse with one line`, () => {
      const rnd = random(name.length * 7919)
      let imported = 0
      for (let i = 0; i < 300; i++) {
        const text = JSON.stringify(mangle(fixture, rnd))
        try {
          const { collection } = importText(text, 'f.json')
          for (const r of requests(collection.items)) {
            const built = toSpec(r, () => Buffer.alloc(0))
            if (built.ok) expect(typeof requestToCurl(r)).toBe('string')
          }
          if (name === 'har') openHar(JSON.parse(text))
          imported++
        } catch (err) {
          if (!(err instanceof ImportError))
            throw new Error(`copy ${i}: ${String(err)}\n${text.slice(0, 400)}`, { cause: err })
        }
      }
      // Most copies still import: the mangling reaches the importers' code, not only their door.
      expect(imported).toBeGreaterThan(100)
    })
  }
})
